"""Project-level views."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the app answers. Touches no database on purpose (it is
    also the trivial view the benchmarks compare our pages against)."""
    return HttpResponse("ok", content_type="text/plain")

"""Project-level views."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the app answers. Touches no database on purpose (it is
    also the trivial view the benchmarks compare our pages against)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: 200 only when the database (and replica), the cache, the
    file storage and the task broker all answer; otherwise 503 naming the one that did not."""
    from .readiness import answers

    found = answers()
    failed = [answer for answer in found if not answer.ok]
    body = {
        "ready": not failed,
        "engines": {
            answer.engine: {"ok": answer.ok, "seconds": answer.seconds}
            | ({"error": answer.detail, "variable": answer.variable} if not answer.ok else {})
            for answer in found
        },
    }
    if failed:
        body["failed"] = failed[0].engine
    return JsonResponse(body, status=503 if failed else 200, json_dumps_params={"indent": 1})


def switch_language(request: HttpRequest) -> HttpResponse:
    """Read the site in another language (``?language=en&next=/hanshan/``), remembered in the
    language cookie that ``ChineseFirstLocaleMiddleware`` reads.

    A GET without a CSRF token, unlike Django's ``set_language``: choosing a language changes
    nothing anyone else sees, and the public pages, cached for everyone, then carry no token.
    """
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response

"""/office/: where an office account starts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from workstations.models import Committee
from workstations.tenancy import committee_of_user

from .access import get_committee_for_user, is_office_user, office_view


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The account's own committee's board; a committee picked in the header's switcher; for a
    superuser without a committee of their own, the list of committees."""
    user = request.user
    if not is_office_user(user):
        raise Http404
    if slug := request.GET.get("committee"):
        return redirect("office:board", committee=get_committee_for_user(user, slug).slug)
    own = committee_of_user(user)
    if own is not None:
        return redirect("office:board", committee=own.slug)
    if not user.is_superuser:
        raise Http404
    committees = Committee.objects.select_related("parent").order_by("level", "name")
    return render(request, "office/index.html", {"committees": committees})


@office_view
def home(request: HttpRequest, committee: Committee) -> HttpResponse:
    return redirect("office:board", committee=committee.slug)

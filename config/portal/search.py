"""Search within a brand: its published workstations, activities and outcomes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consultations.models import Activity
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation

from .forms import SearchForm
from .selectors import activity_items, workstation_cards
from .tenant import with_committee

SEARCH_RESULTS_PER_PAGE = 20


def _search_querysets(committee: Committee, q: str) -> dict[str, object]:
    """Published workstations, activities and outcomes of the brand that mention ``q``.

    A plain case-insensitive substring match: fine for a county's few thousand items; a full-text
    index can replace it when a brand outgrows it.
    """
    return {
        "workstations": workstation_cards(
            Workstation.objects.published()
            .for_committee(committee)
            .filter(
                Q(name__icontains=q)
                | Q(intro__icontains=q)
                | Q(address__icontains=q)
                | Q(theme__icontains=q)
            )
            .order_by("kind", "name")
        ),
        "activities": activity_items(
            Activity.objects.published()
            .for_committee(committee)
            .filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(place__icontains=q))
        ),
        "outcomes": public_outcomes()
        .for_committee(committee)
        .filter(Q(title__icontains=q) | Q(summary__icontains=q))
        .select_related("committee"),
    }


@with_committee
def search(request: HttpRequest, committee: Committee) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context = {"committee": committee, "form": form, "q": "", "page": None, "tabs": []}
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        querysets = _search_querysets(committee, q)
        counts = {kind: qs.count() for kind, qs in querysets.items()}
        kind = form.cleaned_data["type"] or next(
            (k for k, n in counts.items() if n), "workstations"
        )
        labels = dict(SearchForm.base_fields["type"].choices)
        context.update(
            q=q,
            kind=kind,
            tabs=[(k, labels[k], n) for k, n in counts.items()],
            page=Paginator(querysets[kind], SEARCH_RESULTS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
        )
    return render(request, "portal/search.html", context)

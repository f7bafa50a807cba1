"""Search within a brand: its published workstations, activities and outcomes."""

from __future__ import annotations

import hashlib

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consultations.models import Activity
from outcomes import counts
from outcomes.models import Outcome
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation
from workstations.search import matching

from .forms import SearchForm
from .selectors import activity_items, workstation_cards
from .tenant import with_committee

SEARCH_RESULTS_PER_PAGE = 20
# Results are counted up to this many ("1000+"), and paged as far: counting every activity of a
# province that mentions 养老 would read them all, and nobody pages past fifty pages.
COUNTED_AT_MOST = 1000


def _search_querysets(committee: Committee, q: str, *, common=False) -> dict[str, object]:
    """Published workstations, activities and outcomes of the brand that mention ``q``, found
    through the search indexes (``workstations.search``) within the brand's committees
    (``common``: ``q`` is known to have many matches, see ``matching``)."""
    return {
        "workstations": workstation_cards(
            Workstation.objects.published()
            .for_committee(committee)
            .filter(matching(Workstation, q, within=committee, common=common))
            .order_by("kind", "name")
        ),
        "activities": activity_items(
            Activity.objects.published()
            .for_committee(committee)
            .filter(matching(Activity, q, within=committee, common=common))
        ),
        "outcomes": public_outcomes()
        .for_committee(committee)
        .filter(matching(Outcome, q, within=committee, common=common))
        .select_related("committee"),
    }


def _counts(committee: Committee, q: str, querysets: dict[str, object]) -> dict[str, int]:
    """How many of each kind match ``q`` (up to one more than COUNTED_AT_MOST), kept under the
    versions of the brand's committees like its figures: the commonest searches ("养老",
    "教育") are counted once per change, not on every visit (the three counts were two thirds
    of a province's search)."""
    digest = hashlib.sha1(q.encode()).hexdigest()

    def count(current) -> dict[str, int]:
        return {
            kind: qs.order_by()[: COUNTED_AT_MOST + 1].count() for kind, qs in querysets.items()
        }

    return counts.kept(committee, f"search:{digest}", count)


def _paginator(queryset, counted: int) -> Paginator:
    """Pages of ``queryset`` whose count is the one already made (at most COUNTED_AT_MOST)."""
    paginator = Paginator(queryset, SEARCH_RESULTS_PER_PAGE)
    paginator.count = min(counted, COUNTED_AT_MOST)  # a cached_property: not counted again
    return paginator


def _shown(committee: Committee, q: str, kind: str, querysets: dict, found: dict):
    """The results of the kind shown: those of a phrase with more matches than are counted
    are read by its text alone (``matching``'s ``common``), in the list's order."""
    if found[kind] > COUNTED_AT_MOST:
        return _search_querysets(committee, q, common=True)[kind]
    return querysets[kind]


@with_committee
def search(request: HttpRequest, committee: Committee) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context = {"committee": committee, "form": form, "q": "", "page": None, "tabs": []}
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        querysets = _search_querysets(committee, q)
        found = _counts(committee, q, querysets)
        kind = form.cleaned_data["type"] or next((k for k, n in found.items() if n), "workstations")
        labels = dict(SearchForm.base_fields["type"].choices)
        context.update(
            q=q,
            kind=kind,
            tabs=[
                (k, labels[k], f"{COUNTED_AT_MOST}+" if n > COUNTED_AT_MOST else n)
                for k, n in found.items()
            ],
            page=_paginator(_shown(committee, q, kind, querysets, found), found[kind]).get_page(
                request.GET.get("page")
            ),
        )
    return render(request, "portal/search.html", context)

"""What the portal's lists fetch with each row, written once for every page that lists them."""

from __future__ import annotations

from django.db.models import Prefetch

from members.selectors import public_memberships


def workstation_cards(queryset):
    """What a workstation card shows: photos and the conveners in force."""
    return queryset.select_related("committee", "area", "sector").prefetch_related(
        "photos",
        Prefetch(
            "memberships",
            queryset=public_memberships()
            .conveners()
            .select_related("member")
            .order_by("member__name"),
            to_attr="public_conveners",
        ),
    )


def activity_items(queryset):
    """What an activity in a list shows: its workstation, type and photos."""
    return queryset.select_related("workstation__committee", "type").prefetch_related("photos")

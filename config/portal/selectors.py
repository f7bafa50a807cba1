"""What the portal's lists fetch with each row, written once for every page that lists them."""

from __future__ import annotations

from django.db.models import Prefetch

from members.selectors import public_memberships


def workstation_cards(queryset):
    """What a workstation card shows: photos and the conveners in force."""
    return (
        queryset.select_related("committee", "area", "sector")
        # The columns a card shows (portal/_workstation_card.html), not the whole record.
        .only(
            "kind",
            "name",
            "slug",
            "reception_hours",
            "committee__slug",
            "committee__name",
            "area__name",
            "sector__name",
        )
        .prefetch_related(
            "photos",
            Prefetch(
                "memberships",
                queryset=public_memberships()
                .conveners()
                .select_related("member")
                .only("workstation_id", "member__name")
                .order_by("member__name"),
                to_attr="public_conveners",
            ),
        )
    )


def activity_items(queryset):
    """What an activity in a list shows: its workstation, type and photos."""
    return (
        queryset.select_related("workstation__committee", "type")
        # The columns an item shows (portal/_activity_item.html), not the whole record.
        .only(
            "title",
            "date",
            "residents_served",
            "type__name",
            "workstation__name",
            "workstation__committee__slug",
        )
        .prefetch_related("photos")
    )

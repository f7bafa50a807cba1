"""A brand's published activities: the list, an activity's page, and the Atom feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.models import Activity
from members.selectors import with_public_flag
from workstations.models import Committee

from .cache import cached_page
from .tenant import committee_or_404, with_committee

ACTIVITIES_PER_PAGE = 20
FEED_LENGTH = 30


def _published_activities(committee: Committee):
    return (
        Activity.objects.published()
        .for_committee(committee)
        .select_related("workstation__committee", "type")
    )


@cached_page
@with_committee
def activity_list(request: HttpRequest, committee: Committee) -> HttpResponse:
    page = Paginator(
        _published_activities(committee).prefetch_related("photos"), ACTIVITIES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "portal/activity_list.html", {"committee": committee, "page": page})


@cached_page
@with_committee
def activity_detail(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.published()
        .for_committee(committee, subtree=False)
        .select_related("workstation__committee", "type"),
        pk=pk,
    )
    context = {
        "committee": committee,
        "activity": activity,
        "photos": activity.photos.all(),
        "participants": with_public_flag(
            activity.participants.select_related("sector", "committee")
        ).order_by("name"),
        "media_reports": activity.media_reports.all(),
    }
    return render(request, "portal/activity_detail.html", context)


class ActivityFeed(Feed):
    """An Atom feed of a brand's latest published activities (its counties' for a city)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, committee: str) -> Committee:
        return committee_or_404(committee)

    def title(self, obj: Committee) -> str:
        return _("%(brand)s: activities") % {"brand": obj.display_brand}

    def subtitle(self, obj: Committee) -> str:
        return obj.slogan or obj.name

    def link(self, obj: Committee) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Committee):
        return _published_activities(obj)[:FEED_LENGTH]

    def item_title(self, item: Activity) -> str:
        return item.title

    def item_description(self, item: Activity) -> str:
        return Truncator(item.description).chars(300)

    def item_pubdate(self, item: Activity):
        return item.approved_at

    def item_updateddate(self, item: Activity):
        return item.updated_at

    def item_author_name(self, item: Activity) -> str:
        return item.workstation.name

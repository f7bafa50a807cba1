"""Public pages of what happens: activities, consultations, and residents' messages.

A resident's tracking code is a secret given only to them: /track/ shows them their message
with its state and the reply, even a reply they did not allow to be published (it is addressed
to them). A hidden message is not found by its code. The workstation's page shows only replies
the resident allowed to be published, never hidden messages, and never a name or a mobile.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members.models import Member
from members.selectors import with_public_flag
from outcomes.selectors import public_outcomes
from workstations.models import Committee
from workstations.views import published_workstation_or_404, with_committee

from .forms import (
    PublicMessageForm,
    RatingForm,
    TrackForm,
    client_address,
    normalise_code,
    wrong_code_rate_limit,
)
from .models import Activity, Consultation, PublicMessage
from .services import message_create, message_rate

ACTIVITIES_PER_PAGE = 20
SENT_SALT = "consultations.message-sent"
SENT_MAX_AGE = 24 * 60 * 60
FEED_LENGTH = 30


def _published_activities(committee: Committee):
    return (
        Activity.objects.published()
        .for_committee(committee)
        .select_related("workstation__committee", "type")
    )


# --- Activities ------------------------------------------------------------------------------


@with_committee
def activity_list(request: HttpRequest, committee: Committee) -> HttpResponse:
    page = Paginator(
        _published_activities(committee).prefetch_related("photos"), ACTIVITIES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request, "consultations/activity_list.html", {"committee": committee, "page": page}
    )


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
    return render(request, "consultations/activity_detail.html", context)


# --- Consultations -----------------------------------------------------------------------------


@with_committee
def consultation_detail(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    consultation = get_object_or_404(
        Consultation.objects.published()
        .for_committee(committee, subtree=False)
        .select_related("workstation__committee"),
        pk=pk,
    )
    steps = list(
        consultation.steps.order_by("step", "date", "pk").prefetch_related(
            Prefetch(
                "members",
                queryset=with_public_flag(Member.objects.select_related("committee")).order_by(
                    "name"
                ),
            )
        )
    )
    recorded = {s.step for s in steps}
    progress = [
        {
            "value": value,
            "label": label,
            "state": "current"
            if value == consultation.stage
            else "done"
            if value < consultation.stage or value in recorded
            else "todo",
        }
        for value, label in Consultation.Step.choices
    ]
    context = {
        "committee": committee,
        "consultation": consultation,
        "steps": steps,
        "progress": progress,
        "outcomes": public_outcomes().filter(consultation=consultation).select_related("committee"),
        "media_reports": consultation.media_reports.all(),
    }
    return render(request, "consultations/consultation_detail.html", context)


# --- Residents' messages -----------------------------------------------------------------------


@never_cache
@with_committee
def message_form(request: HttpRequest, committee: Committee, workstation: str) -> HttpResponse:
    ws = published_workstation_or_404(committee, workstation)
    client = client_address(request)
    if request.method == "POST":
        form = PublicMessageForm(request.POST, client=client)
        if form.is_valid():
            data = form.cleaned_data
            message = message_create(
                workstation=ws,
                name=data["name"],
                mobile=data["mobile"],
                category=data["category"],
                text=data["text"],
                reply_may_be_published=data["reply_may_be_published"],
                site_url=request.build_absolute_uri("/"),
            )
            form.consume()
            token = signing.dumps(message.tracking_code, salt=SENT_SALT)
            url = reverse(
                "public:message_sent", kwargs={"committee": committee.slug, "workstation": ws.slug}
            )
            return redirect(f"{url}?{urlencode({'t': token})}")
        form.renew_challenge()
    else:
        form = PublicMessageForm(client=client)
    return render(
        request,
        "consultations/message_form.html",
        {"committee": committee, "workstation": ws, "form": form},
    )


@never_cache
@with_committee
def message_sent(request: HttpRequest, committee: Committee, workstation: str) -> HttpResponse:
    """The tracking code of the message just sent, carried signed in the address so that no
    server state is needed; refused after a day."""
    ws = published_workstation_or_404(committee, workstation)
    try:
        code = signing.loads(request.GET.get("t", ""), salt=SENT_SALT, max_age=SENT_MAX_AGE)
    except signing.BadSignature:
        return redirect(ws.get_absolute_url())
    return render(
        request,
        "consultations/message_sent.html",
        {
            "committee": committee,
            "workstation": ws,
            "code": code,
            "track_url": f"{reverse('public:track')}?{urlencode({'code': code})}",
        },
    )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None, client=client_address(request))
    message = form.message if form.is_bound and form.is_valid() else None
    context = {"form": form, "message": message, "committee": None, "rating_form": None}
    if message is not None:
        context["committee"] = message.workstation.committee
        if message.status == PublicMessage.Status.CLOSED and message.rating is None:
            context["rating_form"] = RatingForm(initial={"code": message.tracking_code})
    return render(request, "consultations/track.html", context)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    form = RatingForm(request.POST)
    code = normalise_code(request.POST.get("code", ""))
    message = PublicMessage.objects.visible().filter(tracking_code=code).first() if code else None
    if message is None:
        wrong_code_rate_limit.hit(client_address(request))
        messages.error(request, _("No message has this tracking code."))
        return redirect("public:track")
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
    elif message_rate(message=message, rating=form.cleaned_data["rating"]):
        messages.success(request, _("Thank you for rating how your message was handled."))
    else:
        messages.error(
            request, _("Only a closed message can be rated, and only once. Nothing was changed.")
        )
    return redirect(f"{reverse('public:track')}?{urlencode({'code': message.tracking_code})}")


# --- Feed and sitemaps ---------------------------------------------------------------------------


class ActivityFeed(Feed):
    """An Atom feed of a brand's latest published activities (its counties' for a city)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, committee: str) -> Committee:
        return get_object_or_404(Committee, slug=committee)

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


class ActivitySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Activity.objects.published().select_related("workstation__committee").order_by("pk")

    def lastmod(self, obj: Activity):
        return obj.updated_at


class ConsultationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Consultation.objects.published().select_related("workstation__committee").order_by("pk")
        )

    def lastmod(self, obj: Consultation):
        return obj.updated_at

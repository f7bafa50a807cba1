"""Residents' messages: the form at a workstation, the page with the tracking code, /track/
and the rating.

A resident's tracking code is a secret given only to them: /track/ shows them their message
with its state and the reply, even a reply they did not allow to be published (it is addressed
to them). A hidden message is not found by its code. The workstation's page shows only replies
the resident allowed to be published, never hidden messages, and never a name or a mobile.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consultations.models import PublicMessage
from consultations.services.messages import message_create, message_rate
from workstations.models import Committee

from .forms import PublicMessageForm, RatingForm, TrackForm, normalise_code
from .limits import client_address, wrong_code_rate_limit
from .tenant import published_workstation_or_404, with_committee

SENT_SALT = "consultations.message-sent"
SENT_MAX_AGE = 24 * 60 * 60


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
        "portal/message_form.html",
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
        "portal/message_sent.html",
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
    return render(request, "portal/track.html", context)


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

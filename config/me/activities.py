"""Screens for a member's own activity logs: list, log a new one, edit, submit.

A member sees and changes only the logs they wrote (another member's log is a 404), and changes
them only while they are drafts or have been returned. Nothing typed is lost: a form that does
not validate comes back with everything in it, and the photos already sent wait on the server
under the form's one-time token (``PendingPhoto``) until the form is saved.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Activity, ActivityPhoto
from consultations.services.activities import (
    activity_create,
    activity_is_editable,
    activity_submit,
    activity_update,
)
from consultations.services.photos import (
    MAX_PHOTOS,
    pending_photos,
    pending_photos_discard,
    photo_stage,
    photos_stage_for_form,
)
from workstations.models import Workstation
from workstations.photos import ACCEPT, PhotoError

from .access import get_workstation_for_member, member_required, my_workstations
from .forms import ActivityForm, MediaLinkFormSet, media_links_from


def _get_activity_for_member(request: HttpRequest, pk: int) -> Activity:
    """One of the member's own logs, or 404."""
    member = request.member
    activities = Activity.objects.for_committee(member.committee, subtree=False).select_related(
        "workstation", "type"
    )
    return get_object_or_404(activities, pk=pk, author=member)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@member_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = (
        Activity.objects.filter(author=request.member)
        .select_related("workstation", "type")
        .order_by("-updated_at")[:100]
    )
    return render(
        request,
        "me/activity_list.html",
        {"activities": activities, "workstations": my_workstations(request.member)},
    )


@member_required
def activity_start(request: HttpRequest) -> HttpResponse:
    """Log an activity: straight to the form when the member sits in one workstation."""
    workstations = list(my_workstations(request.member))
    if len(workstations) == 1:
        return redirect("me:activity_new", workstation=workstations[0].pk)
    return render(request, "me/activity_start.html", {"workstations": workstations})


def _for_outbox(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The answer to a form the phone kept while it had no signal and sends now (member.js,
    ``Accept: application/json``): where to go once it is saved, or that it was not."""
    if "application/json" not in request.headers.get("Accept", ""):
        return response
    # What became of it: "saved" (and submitted, if asked), "replay" (this very form was
    # applied before), "draft" (saved, but not ready to submit), "refused" (nothing applied).
    outcome = getattr(response, "outbox", "refused")
    if isinstance(response, HttpResponseRedirect) and outcome != "refused":
        return JsonResponse({"location": response.url, "outcome": outcome})
    return JsonResponse({"outcome": "refused"}, status=422)


def _marked(response: HttpResponse, outcome: str) -> HttpResponse:
    response.outbox = outcome
    return response


@member_required
def activity_new(request: HttpRequest, workstation: int) -> HttpResponse:
    response = _activity_form(
        request, workstation=get_workstation_for_member(request.member, workstation)
    )
    return _for_outbox(request, response)


@member_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_member(request, pk)
    if not activity_is_editable(activity):
        messages.warning(
            request,
            _("This activity has been submitted or approved and can no longer be changed."),
        )
        return _for_outbox(request, redirect("me:activity_detail", pk=activity.pk))
    response = _activity_form(request, workstation=activity.workstation, activity=activity)
    return _for_outbox(request, response)


@require_POST
@member_required
def activity_photo_upload(request: HttpRequest) -> JsonResponse:
    """One photo of a form not saved yet, sent on its own (member.js shows its progress and
    offers a retry): it waits under the form's token like a photo posted with the form, and
    the form then names it in ``keep_photo``."""
    token = _posted_token(request)
    upload = request.FILES.get("photo")
    if token is None or upload is None:
        return JsonResponse({"error": _("No photo was received. Please try again.")}, status=400)
    if pending_photos(user=request.user, token=token).count() >= MAX_PHOTOS:
        message = _("An activity can have at most %(max)d photos; “%(name)s” was not added.") % {
            "max": MAX_PHOTOS,
            "name": (upload.name or "")[:80],
        }
        return JsonResponse({"error": message}, status=400)
    try:
        photo = photo_stage(user=request.user, token=token, upload=upload)
    except PhotoError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"id": photo.pk})


@member_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_member(request, pk)
    return render(
        request,
        "me/activity_detail.html",
        {
            "activity": activity,
            "editable": activity_is_editable(activity),
            "photos": activity.photos.all(),
            "media_reports": activity.media_reports.all(),
            "reviews": activity.reviews.select_related("by__member"),
            "participants": activity.participants.all(),
        },
    )


@require_POST
@member_required
def activity_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_member(request, pk)
    if activity.status == Activity.Status.APPROVED:
        messages.warning(request, _("This activity is already approved."))
        return redirect("me:activity_detail", pk=activity.pk)
    try:
        if activity_submit(activity=activity, by=request.user):
            messages.success(request, _("Submitted. Your convener will review it."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("me:activity_edit", pk=activity.pk)
    return redirect("me:activity_detail", pk=activity.pk)


# The form, new or edit


def _posted_token(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return None


def _posted_ids(request: HttpRequest, name: str) -> set[int]:
    return {int(v) for v in request.POST.getlist(name) if v.isdigit()}


def _last_log(request: HttpRequest, workstation: Workstation) -> Activity | None:
    return (
        request.member.activities_logged.filter(workstation=workstation)
        .order_by("-date", "-created_at")
        .first()
    )


def _initial(activity: Activity | None, request: HttpRequest, workstation: Workstation) -> dict:
    if activity is None:
        # What seldom changes comes from the member's last log here: the place and the people.
        last = _last_log(request, workstation)
        if last is None:
            return {"date": timezone.localdate(), "participants": [request.member.pk]}
        return {
            "date": timezone.localdate(),
            "place": last.place,
            "participants": list(last.participants.values_list("pk", flat=True)),
        }
    return {
        "type": activity.type_id,
        "date": activity.date,
        "title": activity.title,
        "place": activity.place,
        "residents_served": activity.residents_served,
        "description": activity.description,
        "participants": list(activity.participants.values_list("pk", flat=True)),
    }


def _activity_form(
    request: HttpRequest, *, workstation: Workstation, activity: Activity | None = None
) -> HttpResponse:
    member = request.member
    existing_photos = list(activity.photos.all()) if activity else []
    if request.method != "POST":
        form = ActivityForm(
            workstation=workstation, initial=_initial(activity, request, workstation)
        )
        media = MediaLinkFormSet(
            prefix="media",
            initial=[{"url": r.url, "title": r.title} for r in activity.media_reports.all()]
            if activity
            else [],
        )
        return _render_form(request, form, media, workstation, activity, existing_photos)

    submitting = request.POST.get("action") == "submit"
    form = ActivityForm(request.POST, workstation=workstation, submitting=submitting)
    media = MediaLinkFormSet(request.POST, prefix="media")
    token = _posted_token(request)
    if token is None:
        form.is_valid()  # the missing token is a form error; nothing is staged
        return _render_form(request, form, media, workstation, activity, existing_photos)

    replay = member.activities_logged.filter(client_token=token).first()
    if replay is not None:
        # The same form again (a double tap, a reload): it was applied once already.
        messages.info(request, _("This form was already saved."))
        return _marked(redirect("me:activity_detail", pk=replay.pk), "replay")

    # Photos: the ones sent earlier with this form, those ticked for removal, and new ones.
    remove_ids = _posted_ids(request, "remove_photo")
    remove = [p for p in existing_photos if p.pk in remove_ids]
    photos = photos_stage_for_form(
        user=request.user,
        token=token,
        uploads=request.FILES.getlist("photos"),
        keep=_posted_ids(request, "keep_photo"),
        activity=activity,
        removing=remove_ids,
    )
    kept, staged_now, photo_errors = photos.waiting, photos.new, photos.errors

    if form.is_valid() and media.is_valid() and not photo_errors:
        fields = {**form.service_kwargs(), "media_links": media_links_from(media)}
        try:
            if activity is None:
                activity, applied = activity_create(
                    author=member, workstation=workstation, token=token, photos=kept, **fields
                )
            else:
                applied = activity_update(
                    activity=activity, token=token, photos=kept, remove_photos=remove, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not applied:
                pending_photos_discard(photos=staged_now)
                messages.info(request, _("This form was already saved."))
                return _marked(redirect("me:activity_detail", pk=activity.pk), "replay")
            return _after_save(request, activity, submitting)

    return _render_form(
        request,
        form,
        media,
        workstation,
        activity,
        existing_photos,
        pending=kept,
        remove_ids=remove_ids,
        photo_errors=photo_errors,
    )


def _after_save(request: HttpRequest, activity: Activity, submitting: bool) -> HttpResponse:
    if not submitting:
        messages.success(request, _("Draft saved. You can come back and finish it later."))
        return _marked(redirect("me:activity_detail", pk=activity.pk), "saved")
    try:
        activity_submit(activity=activity, by=request.user)
    except ValidationError as error:
        # Saved, but not ready to submit: back to the form, everything kept.
        for message in error.messages:
            messages.error(request, message)
        return _marked(redirect("me:activity_edit", pk=activity.pk), "draft")
    messages.success(request, _("Submitted. Your convener will review it."))
    return _marked(redirect("me:activity_detail", pk=activity.pk), "saved")


def _render_form(
    request: HttpRequest,
    form: ActivityForm,
    media,
    workstation: Workstation,
    activity: Activity | None,
    existing_photos: list[ActivityPhoto],
    *,
    pending=(),
    remove_ids=frozenset(),
    photo_errors=(),
) -> HttpResponse:
    has_errors = bool(form.errors or any(media.errors) or media.non_form_errors() or photo_errors)
    action = (
        reverse("me:activity_edit", kwargs={"pk": activity.pk})
        if activity
        else reverse("me:activity_new", kwargs={"workstation": workstation.pk})
    )
    return render(
        request,
        "me/activity_form.html",
        {
            "form": form,
            "media": media,
            "workstation": workstation,
            "activity": activity,
            "existing_photos": existing_photos,
            "pending_photos": list(pending),
            "remove_ids": remove_ids,
            "photo_errors": photo_errors,
            "has_errors": has_errors,
            "max_photos": MAX_PHOTOS,
            "accept": ACCEPT,
            "action": action,
            # The folded fields say what they will be when they come from the last log.
            "from_last_log": activity is None and not form.is_bound and "place" in form.initial,
        },
    )

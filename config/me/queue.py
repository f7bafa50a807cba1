"""The convener's queue: logs submitted at the workstations they convene; approve or return.

A convener sees the logs of their own workstations once submitted (drafts stay with their
author); a log of a workstation they do not convene is a 404. Every step is kept as an
``ActivityReview`` row.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Activity
from consultations.services.activities import activity_approve, activity_return

from .access import convened_workstations, member_required
from .forms import ReviewForm


def _reviewable(request: HttpRequest):
    return (
        Activity.objects.filter(workstation__in=convened_workstations(request.member))
        .exclude(status=Activity.Status.DRAFT)
        .select_related("workstation", "type", "author")
    )


def _get_activity_for_convener(request: HttpRequest, pk: int) -> Activity:
    """A submitted (or already reviewed) log at a workstation the member convenes, or 404."""
    return get_object_or_404(_reviewable(request), pk=pk)


@member_required
def queue(request: HttpRequest) -> HttpResponse:
    reviewable = _reviewable(request)
    return render(
        request,
        "me/queue.html",
        {
            "convenes": convened_workstations(request.member).exists(),
            "waiting": reviewable.filter(status=Activity.Status.SUBMITTED).order_by(
                "submitted_at", "pk"
            ),
            "reviewed": reviewable.exclude(status=Activity.Status.SUBMITTED).order_by(
                "-updated_at"
            )[:20],
        },
    )


def _render_review(request: HttpRequest, activity: Activity, form=None) -> HttpResponse:
    return render(
        request,
        "me/review.html",
        {
            "activity": activity,
            "form": form or ReviewForm(),
            "photos": activity.photos.all(),
            "media_reports": activity.media_reports.all(),
            "participants": activity.participants.all(),
            "reviews": activity.reviews.select_related("by__member"),
            "waiting": activity.status == Activity.Status.SUBMITTED,
        },
    )


@member_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, _get_activity_for_convener(request, pk))


@require_POST
@member_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_convener(request, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        if activity_approve(
            activity=activity, by=request.user, comment=form.cleaned_data.get("comment", "")
        ):
            messages.success(
                request, _("Approved: “%(title)s” is published.") % {"title": activity.title}
            )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    return redirect("me:queue")


@require_POST
@member_required
def return_to_member(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_convener(request, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        if activity_return(
            activity=activity, by=request.user, comment=form.cleaned_data.get("comment", "")
        ):
            messages.success(
                request,
                _("Returned to %(member)s with your comment.")
                % {"member": activity.author.name if activity.author else "?"},
            )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return _render_review(request, activity, form)
        messages.warning(request, " ".join(error.messages))
    return redirect("me:queue")

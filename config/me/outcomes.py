"""A member's outcomes: write one (alone or with co-authors), submit it, follow its trail as
staff record what became of it; and a consultation report drafted from a consultation.

An outcome the member is not an author of is a 404; a draft report from a consultation of a
workstation the member does not convene is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Consultation
from outcomes.models import Outcome
from outcomes.services.outcomes import (
    consultation_draft_report,
    outcome_create,
    outcome_submit,
    outcome_update,
)

from .access import convened_workstations, member_required
from .activities import add_service_errors
from .forms import OutcomeForm
from .selectors import my_outcomes


def _get_outcome_for_member(request: HttpRequest, pk: int) -> Outcome:
    """An outcome of the member's committee that the member is an author of, or 404."""
    outcomes = Outcome.objects.for_committee(request.member.committee, subtree=False)
    return get_object_or_404(
        outcomes.filter(authors=request.member).select_related("workstation", "consultation"),
        pk=pk,
    )


@member_required
def outcome_list(request: HttpRequest) -> HttpResponse:
    return render(request, "me/outcome_list.html", {"outcomes": my_outcomes(request.member)})


@member_required
def outcome_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _get_outcome_for_member(request, pk)
    return render(
        request,
        "me/outcome_detail.html",
        {
            "outcome": outcome,
            "authors": outcome.authors.all(),
            "events": outcome.events.all(),
            "endorsements": outcome.endorsements.all(),
            "editable": outcome.status == Outcome.Status.DRAFT,
        },
    )


def _outcome_form(request: HttpRequest, outcome: Outcome | None = None) -> HttpResponse:
    member = request.member
    submitting = request.POST.get("action") == "submit"
    if request.method == "POST":
        form = OutcomeForm(request.POST, member=member, outcome=outcome)
        if form.is_valid():
            token = form.cleaned_data["form_token"]
            try:
                if outcome is None:
                    outcome, applied = outcome_create(
                        author=member, token=token, **form.service_kwargs()
                    )
                else:
                    applied = outcome_update(
                        outcome=outcome, author=member, token=token, **form.service_kwargs()
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not applied:
                    messages.info(request, _("This form was already saved."))
                elif submitting:
                    return _submit(request, outcome)
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("me:outcome_detail", pk=outcome.pk)
    else:
        form = OutcomeForm(member=member, outcome=outcome, initial=_initial(request, outcome))
    return render(request, "me/outcome_form.html", {"form": form, "outcome": outcome})


def _initial(request: HttpRequest, outcome: Outcome | None) -> dict:
    if outcome is not None:
        return {
            "kind": outcome.kind,
            "title": outcome.title,
            "summary": outcome.summary,
            "body": outcome.body,
            "workstation": outcome.workstation_id,
            "consultation": outcome.consultation_id,
            "co_authors": [a.pk for a in outcome.authors.all() if a.pk != request.member.pk],
            "submitted_to": outcome.submitted_to,
        }
    initial = {"kind": request.GET.get("kind") or Outcome.Kind.PUBLIC_OPINION}
    if request.GET.get("consultation", "").isdigit():
        initial["consultation"] = int(request.GET["consultation"])
    return initial


def _submit(request: HttpRequest, outcome: Outcome) -> HttpResponse:
    try:
        if outcome_submit(outcome=outcome, by=request.member):
            messages.success(request, _("Submitted. Its trail will show what becomes of it."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("me:outcome_edit", pk=outcome.pk)
    return redirect("me:outcome_detail", pk=outcome.pk)


@member_required
def outcome_new(request: HttpRequest) -> HttpResponse:
    return _outcome_form(request)


@member_required
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _get_outcome_for_member(request, pk)
    if outcome.status != Outcome.Status.DRAFT:
        messages.warning(
            request, _("This outcome has been submitted and can no longer be changed.")
        )
        return redirect("me:outcome_detail", pk=outcome.pk)
    return _outcome_form(request, outcome)


@require_POST
@member_required
def outcome_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _submit(request, _get_outcome_for_member(request, pk))


@require_POST
@member_required
def consultation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the consultation report of a consultation the member convenes."""
    consultation = get_object_or_404(
        Consultation.objects.filter(workstation__in=convened_workstations(request.member)), pk=pk
    )
    outcome, created = consultation_draft_report(consultation=consultation, by=request.member)
    if created:
        messages.success(
            request, _("A draft report was made from the consultation. Check it and submit it.")
        )
    else:
        messages.info(request, _("This consultation already has a draft report."))
    return redirect("me:outcome_edit", pk=outcome.pk)

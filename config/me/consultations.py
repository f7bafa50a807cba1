"""Consultations step by step: the convener opens one, records each step as it happens, and the
"五个一" checklist shows what the loop still lacks.

Members of the workstation see its consultations; only its convener opens and records. A
consultation of a workstation the member does not sit in is a 404, and so is a convener's page
(open, record a step) for a workstation the member does not convene.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Consultation
from consultations.services.consultations import (
    consultation_add_media_report,
    consultation_open,
    consultation_record_step,
)

from .access import (
    convened_workstations,
    get_workstation_for_convener,
    is_convener_of,
    member_required,
    my_workstations,
)
from .activities import add_service_errors
from .forms import ConsultationOpenForm, ConsultationStepForm, MediaLinkForm
from .selectors import five_ones


def _get_consultation_for_member(request: HttpRequest, pk: int) -> tuple[Consultation, bool]:
    """A consultation at a workstation the member sits in, and whether they may record steps
    (they convene it); 404 otherwise."""
    consultation = get_object_or_404(
        Consultation.objects.filter(workstation__in=my_workstations(request.member)).select_related(
            "workstation", "source_message", "opened_by"
        ),
        pk=pk,
    )
    return consultation, is_convener_of(request.member, consultation.workstation)


def _get_consultation_for_convener(request: HttpRequest, pk: int) -> Consultation:
    consultation, can_write = _get_consultation_for_member(request, pk)
    if not can_write:
        raise Http404
    return consultation


@member_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = (
        Consultation.objects.filter(workstation__in=my_workstations(request.member))
        .select_related("workstation")
        .order_by("-opened_on", "-pk")
    )
    return render(
        request,
        "me/consultation_list.html",
        {
            "consultations": consultations,
            "convened": convened_workstations(request.member),
        },
    )


@member_required
def consultation_open_view(request: HttpRequest, workstation: int) -> HttpResponse:
    ws = get_workstation_for_convener(request.member, workstation)
    form = ConsultationOpenForm(request.POST or None, workstation=ws)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_open(
                workstation=ws, opened_by=request.member, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Consultation opened. Record each step as it happens."))
            return redirect("me:consultation_detail", pk=consultation.pk)
    return render(
        request,
        "me/consultation_open.html",
        {"form": form, "workstation": ws},
    )


@member_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation, can_write = _get_consultation_for_member(request, pk)
    return _render_detail(request, consultation, can_write)


def _render_detail(
    request: HttpRequest, consultation: Consultation, can_write: bool, media_form=None
) -> HttpResponse:
    recorded = list(consultation.steps.prefetch_related("members").order_by("step", "date", "pk"))
    timeline = [
        {
            "step": value,
            "label": label,
            "entries": [s for s in recorded if s.step == value],
            "reached": value <= consultation.stage,
        }
        for value, label in Consultation.Step.choices
    ]
    return render(
        request,
        "me/consultation_detail.html",
        {
            "consultation": consultation,
            "can_write": can_write,
            "timeline": timeline,
            "checklist": five_ones(consultation),
            "media_reports": consultation.media_reports.all(),
            "media_form": media_form or MediaLinkForm(),
            "outcomes": consultation.outcomes.all(),
        },
    )


@member_required
def consultation_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    consultation = _get_consultation_for_convener(request, pk)
    if step not in Consultation.Step.values:
        raise Http404
    form = ConsultationStepForm(
        request.POST or None, request.FILES or None, consultation=consultation, step=step
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation_record_step(consultation=consultation, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(step)s.") % {"step": Consultation.Step(step).label},
            )
            return redirect("me:consultation_detail", pk=consultation.pk)
    return render(
        request,
        "me/consultation_step.html",
        {
            "form": form,
            "consultation": consultation,
            "step_label": Consultation.Step(step).label,
        },
    )


@require_POST
@member_required
def consultation_media(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_consultation_for_convener(request, pk)
    form = MediaLinkForm(request.POST)
    if form.is_valid() and not form.cleaned_data.get("url"):
        form.add_error("url", _("Enter the link to the media report."))
    if form.is_valid():
        try:
            consultation_add_media_report(
                consultation=consultation,
                url=form.cleaned_data["url"],
                title=form.cleaned_data.get("title", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Media report added."))
            return redirect("me:consultation_detail", pk=consultation.pk)
    return _render_detail(request, consultation, True, media_form=form)

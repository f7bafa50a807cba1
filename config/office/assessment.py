"""The yearly assessment of workstations: the ranking with computed score, adjustments and
total (printable, and as a workbook), and the form staff adjust a score with (with a written
reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from outcomes import exports
from outcomes.assessment import assessment as yearly_assessment
from outcomes.models import AssessmentAdjustment, AssessmentCriterion
from workstations.models import Committee, Workstation

from .access import export_view, may_adjust, may_export, office_view, xlsx_response
from .forms import AdjustmentForm, selected_year, year_choices
from .selectors import adjustments_of, assessment_table


def _table(committee: Committee, year: int) -> tuple[list, list, list]:
    """The scores of ``year``, the metric columns and the page's rows."""
    scores = yearly_assessment(committee, year)
    # The weights head the columns when one committee's criteria are in the table.
    criteria = AssessmentCriterion.objects.for_committee(committee, subtree=False)
    metrics, rows = assessment_table(scores, {c.metric: c.weight for c in criteria})
    return scores, metrics, rows


@office_view
def ranking(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    scores, metrics, rows = _table(committee, year)
    return render(
        request,
        "office/assessment.html",
        {
            "section": "assessment",
            "year": year,
            "years": year_choices(),
            "metrics": metrics,
            "rows": rows,
            "adjustments": adjustments_of(scores),
            "any_not_applicable": any(s.not_applicable for s in scores),
            "may_adjust": may_adjust(request.user),
            "may_export": may_export(request.user),
            "several_committees": committee.level != Committee.Level.COUNTY,
        },
    )


@export_view
def ranking_xlsx(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    scores, metrics, _rows = _table(committee, year)
    filename = f"{committee.name}-{_('assessment')}-{year}.xlsx"
    return xlsx_response(exports.assessment_workbook(committee, year, scores, metrics), filename)


@office_view
def adjust(request: HttpRequest, committee: Committee, pk: int) -> HttpResponse:
    workstation = get_object_or_404(
        Workstation.objects.for_committee(committee).select_related("committee"), pk=pk
    )
    if not may_adjust(request.user):
        raise PermissionDenied
    year = selected_year(request)
    adjustment = AssessmentAdjustment(workstation=workstation, year=year, made_by=request.user)
    form = AdjustmentForm(request.POST or None, instance=adjustment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("The score of %(workstation)s for %(year)d was adjusted by %(points)s.")
            % {"workstation": workstation.name, "year": year, "points": f"{adjustment.points:+}"},
        )
        url = reverse("office:assessment", kwargs={"committee": committee.slug})
        return redirect(f"{url}?year={year}#ws-{workstation.pk}")
    score = next(
        (s for s in yearly_assessment(committee, year) if s.workstation.pk == workstation.pk),
        None,
    )
    return render(
        request,
        "office/adjust.html",
        {
            "section": "assessment",
            "workstation": workstation,
            "year": year,
            "score": score,
            "form": form,
        },
    )

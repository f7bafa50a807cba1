"""What comes of the work: outcomes (reports, proposals, public-opinion information, cases) and
what became of them: adopted, endorsed by a leader, put into effect, problem solved."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models import Consultation
from members.models import Member
from workstations.models import Committee, Workstation
from workstations.search import Searchable
from workstations.tenancy import TenantQuerySet


class OutcomeQuerySet(TenantQuerySet):
    def published(self) -> OutcomeQuerySet:
        return self.filter(is_published=True).exclude(status=Outcome.Status.DRAFT)

    def submitted(self) -> OutcomeQuerySet:
        return self.filter(status=Outcome.Status.SUBMITTED)

    def submitted_in(self, start, end) -> OutcomeQuerySet:
        """Outcomes submitted from ``start`` up to and including ``end``."""
        return self.submitted().filter(submitted_on__gte=start, submitted_on__lte=end)


class Outcome(Searchable):
    """A duty outcome (履职成果) by one or more members, possibly from a consultation."""

    search_fields = ("title", "summary")

    class Kind(models.TextChoices):
        CONSULTATION_REPORT = "consultation_report", _("Consultation report")
        PUBLIC_OPINION = "public_opinion", _("Public-opinion information")
        PROPOSAL = "proposal", _("Proposal")
        RESEARCH_REPORT = "research_report", _("Research report")
        BULLETIN = "bulletin", _("Information bulletin")
        TYPICAL_CASE = "typical_case", _("Typical case")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="outcomes"
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("from the consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("full text"), blank=True)
    # A typical case (典型案例) is told in five parts.
    background = models.TextField(_("background"), blank=True)
    participants_text = models.TextField(_("participants"), blank=True)
    process = models.TextField(_("process"), blank=True)
    opinions = models.TextField(_("opinions"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    authors = models.ManyToManyField(
        Member, verbose_name=_("authors"), related_name="outcomes", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_to = models.CharField(_("submitted to"), max_length=200, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    # The one-time token of the last workspace form applied (see Activity.client_token).
    client_token = models.UUIDField(
        _("form token"), null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[authors], excluded_fields=["search_grams"])

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False),
                name="outcome_submitted_has_date",
                violation_error_message=_("A submitted outcome needs the date it was submitted."),
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "kind", "submitted_on"], name="outcome_by_kind"),
            models.Index(fields=["workstation", "submitted_on"], name="outcome_by_workstation"),
            models.Index(fields=["-submitted_on", "-id"], name="outcome_newest"),
            # The newest published outcomes of a brand, and of every brand: the public lists
            # stop after their first rows instead of skipping the drafts and the unpublished.
            models.Index(
                fields=["committee", "-submitted_on", "-id"],
                condition=Q(is_published=True) & ~Q(status="draft"),
                name="outcome_public_by_committee",
            ),
            models.Index(
                fields=["-submitted_on", "-id"],
                condition=Q(is_published=True) & ~Q(status="draft"),
                name="outcome_public_newest",
            ),
            models.Index(fields=["updated_at"], name="outcome_by_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.workstation_id and self.workstation.committee_id != self.committee_id:
            errors["workstation"] = _("This workstation belongs to another committee.")
        if self.consultation_id and self.consultation.workstation.committee_id != self.committee_id:
            errors["consultation"] = _("This consultation belongs to another committee.")
        if self.submitted_on and self.submitted_on > timezone.localdate():
            errors["submitted_on"] = _("An outcome cannot be submitted in the future.")
        if self.status == self.Status.SUBMITTED and not self.submitted_on:
            errors["submitted_on"] = _("A submitted outcome needs the date it was submitted.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("public:outcome", kwargs={"committee": self.committee.slug, "pk": self.pk})


def _trail_errors(entry: models.Model, future: str) -> dict[str, str]:
    """What every entry of an outcome's trail obeys, however it is written (a service, the
    admin's inlines, an import): it follows a submitted outcome, dated on or after the day the
    outcome was submitted and never in the future (``future`` says so for the entry's kind)."""
    try:
        outcome = entry.outcome
    except Outcome.DoesNotExist:
        outcome = None
    errors = {}
    if entry.date and entry.date > timezone.localdate():
        errors["date"] = future
    if outcome is not None and outcome.status != Outcome.Status.SUBMITTED:
        errors[NON_FIELD_ERRORS] = _(
            "What became of an outcome can only be recorded once it has been submitted."
        )
    elif (
        outcome is not None
        and entry.date
        and outcome.submitted_on
        and entry.date < outcome.submitted_on
    ):
        errors["date"] = _("This cannot be dated before the outcome was submitted.")
    return errors


class OutcomeEventQuerySet(TenantQuerySet):
    committee_path = "outcome__committee"


class OutcomeEvent(models.Model):
    """One dated entry of an outcome's trail: adopted, put into effect, problem solved."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTED = "implemented", _("Put into effect")
        SOLVED = "solved", _("Problem solved")

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    adopted_by = models.CharField(_("adopted by"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    measure = models.TextField(_("measure taken"), blank=True)
    money = models.DecimalField(
        _("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    objects = OutcomeEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trail entry")
        verbose_name_plural = _("trail")
        ordering = ["outcome", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(money__isnull=True) | Q(money__gte=0),
                name="outcome_event_money_positive",
            ),
        ]
        indexes = [models.Index(fields=["kind", "date"], name="outcome_event_by_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.date}"

    def clean(self) -> None:
        super().clean()
        errors = _trail_errors(self, _("This cannot be dated in the future."))
        if self.kind == self.Kind.ADOPTED and not self.adopted_by.strip():
            errors["adopted_by"] = _("Say who adopted it.")
        if self.kind == self.Kind.IMPLEMENTED and not (
            self.department.strip() or self.measure.strip()
        ):
            errors["department"] = _("Say which department put it into effect, or what it did.")
        if errors:
            raise ValidationError(errors)


class EndorsementQuerySet(TenantQuerySet):
    committee_path = "outcome__committee"


class Endorsement(models.Model):
    """A leader's written endorsement (批示) of an outcome."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        CITY = "city", _("City")
        PROVINCE = "province", _("Province")
        NATIONAL = "national", _("National")

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="endorsements"
    )
    leader = models.CharField(_("leader"), max_length=50)
    leader_title = models.CharField(_("leader's title"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    date = models.DateField(_("date"))
    text = models.TextField(_("text of the endorsement"), blank=True)

    objects = EndorsementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leader's endorsement")
        verbose_name_plural = _("leaders' endorsements")
        ordering = ["outcome", "date"]
        indexes = [models.Index(fields=["level", "date"], name="endorsement_by_level_date")]

    def __str__(self) -> str:
        return f"{self.leader} ({self.leader_title}) · {self.date}"

    def clean(self) -> None:
        super().clean()
        if errors := _trail_errors(self, _("An endorsement cannot be dated in the future.")):
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# The rhythm ("一月一活动、一季一议事、一年一报告"), member points and the yearly assessment.
# ---------------------------------------------------------------------------------------------


class RequirementQuerySet(TenantQuerySet):
    def in_force_for(self, start, end) -> RequirementQuerySet:
        """Requirements whose validity covers the whole period from ``start`` to ``end``."""
        return self.filter(effective_from__lte=start).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=end)
        )


class Requirement(models.Model):
    """What a committee asks of its workstations in every month, quarter or year.

    A requirement is never edited in place once a period under it has closed: the change ends
    the old version on the last closed period and starts a new one (``requirement_change``),
    so the periods already closed keep their result.
    """

    class Period(models.TextChoices):
        MONTH = "month", _("Every month")
        QUARTER = "quarter", _("Every quarter")
        YEAR = "year", _("Every year")

    class Counts(models.TextChoices):
        ACTIVITY = "activity", _("Approved activities")
        CONSULTATION = "consultation", _("Consultation meetings held")
        OUTCOME = "outcome", _("Outcomes submitted")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    name = models.CharField(_("name"), max_length=50)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    counts = models.CharField(_("what counts"), max_length=12, choices=Counts.choices)
    activity_types = models.ManyToManyField(
        "consultations.ActivityType",
        verbose_name=_("activity types"),
        blank=True,
        related_name="requirements",
        help_text=_("For activities: only these types count. Leave empty for any type."),
    )
    outcome_kinds = models.JSONField(
        _("outcome kinds"),
        default=list,
        blank=True,
        help_text=_("For outcomes: only these kinds count. Leave empty for any kind."),
    )
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)
    workstation_kinds = models.JSONField(
        _("applies to kinds"),
        default=list,
        blank=True,
        help_text=_("Leave empty to apply to every workstation."),
    )
    reminder_day = models.PositiveSmallIntegerField(
        _("remind from day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "From this day of the period's last month, conveners of workstations that have not "
            "met the requirement get a reminder. Leave empty for no reminders."
        ),
    )
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RequirementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[activity_types])

    class Meta:
        verbose_name = _("rhythm requirement")
        verbose_name_plural = _("rhythm requirements")
        ordering = ["committee", "order", "effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__gte=1), name="requirement_minimum_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="requirement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from workstations.models import Workstation

        errors = {}
        kinds = set(Outcome.Kind.values)
        if not isinstance(self.outcome_kinds, list) or not set(self.outcome_kinds) <= kinds:
            errors["outcome_kinds"] = _("Unknown outcome kind.")
        ws_kinds = set(Workstation.Kind.values)
        if (
            not isinstance(self.workstation_kinds, list)
            or not set(self.workstation_kinds) <= ws_kinds
        ):
            errors["workstation_kinds"] = _("Unknown workstation kind.")
        if errors:
            raise ValidationError(errors)


class PointRule(models.Model):
    """How many performance points (履职积分) a committee gives for one kind of record."""

    class Basis(models.TextChoices):
        ACTIVITY = "activity", _("Took part in an approved activity")
        CONSULTATION = "consultation", _("Took part in a consultation meeting")
        OUTCOME_SUBMITTED = "outcome_submitted", _("Outcome submitted")
        OUTCOME_ADOPTED = "outcome_adopted", _("Outcome adopted")
        ENDORSEMENT = "endorsement", _("Outcome endorsed by a leader")
        PROBLEM_SOLVED = "problem_solved", _("Problem solved")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="point_rules"
    )
    basis = models.CharField(_("for"), max_length=20, choices=Basis.choices)
    activity_type = models.ForeignKey(
        "consultations.ActivityType",
        verbose_name=_("activity type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="point_rules",
        help_text=_("For activities: this type only; empty for any type without its own rule."),
    )
    outcome_kind = models.CharField(
        _("outcome kind"),
        max_length=20,
        choices=Outcome.Kind.choices,
        blank=True,
        help_text=_("For outcomes: this kind only; empty for any kind without its own rule."),
    )
    endorsement_level = models.CharField(
        _("endorsement level"), max_length=10, choices=Endorsement.Level.choices, blank=True
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["committee", "basis", "pk"]
        constraints = [
            # One rule per combination; "any type" (no activity type) counts as one value.
            models.UniqueConstraint(
                fields=["committee", "basis", "activity_type", "outcome_kind", "endorsement_level"],
                condition=Q(activity_type__isnull=False),
                name="point_rule_unique_for_type",
            ),
            models.UniqueConstraint(
                fields=["committee", "basis", "outcome_kind", "endorsement_level"],
                condition=Q(activity_type__isnull=True),
                name="point_rule_unique_general",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.points}"


class AssessmentCriterion(models.Model):
    """One criterion of the yearly assessment of workstations, with its weight."""

    class Metric(models.TextChoices):
        ACTIVITIES = "activities", _("Approved activities")
        RESIDENTS_SERVED = "residents_served", _("Residents served")
        CONSULTATIONS = "consultations", _("Consultation meetings held")
        OUTCOMES = "outcomes", _("Outcomes submitted")
        ENDORSEMENTS = "endorsements", _("Leaders' endorsements")
        PROBLEMS_SOLVED = "problems_solved", _("Problems solved")
        RHYTHM = "rhythm", _("Share of rhythm periods met")
        RECOGNITION = "recognition", _("Residents' satisfaction")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="assessment_criteria",
    )
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    weight = models.PositiveSmallIntegerField(_("weight (points out of 100)"))

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["committee", "-weight", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "metric"], name="criterion_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ({self.weight})"


class AssessmentAdjustmentQuerySet(TenantQuerySet):
    committee_path = "workstation__committee"


class AssessmentAdjustment(models.Model):
    """A change staff make to a workstation's computed yearly score, with the written reason."""

    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.CASCADE,
        related_name="assessment_adjustments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    points = models.DecimalField(
        _("points added (negative to take off)"), max_digits=6, decimal_places=1
    )
    reason = models.TextField(_("reason"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    objects = AssessmentAdjustmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment adjustment")
        verbose_name_plural = _("assessment adjustments")
        ordering = ["-year", "workstation", "-made_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(condition=~Q(points=0), name="adjustment_not_zero"),
        ]
        indexes = [models.Index(fields=["year", "workstation"], name="adjustment_by_year")]

    def __str__(self) -> str:
        return f"{self.workstation} {self.year}: {self.points:+}"

    def clean(self) -> None:
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Write why the score is adjusted.")})


class ReminderLog(models.Model):
    """A rhythm reminder sent to a workstation for one requirement and period (sent once)."""

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.CASCADE, related_name="+"
    )
    workstation = models.ForeignKey(
        Workstation, verbose_name=_("workstation"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("period starts"))
    recipients = models.TextField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rhythm reminder")
        verbose_name_plural = _("rhythm reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "workstation", "period_start"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstation} · {self.requirement} · {self.period_start}"

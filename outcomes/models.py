"""What comes of the work: outcomes (reports, proposals, public-opinion information, cases) and
what became of them: adopted, endorsed by a leader, put into effect, problem solved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models import Consultation
from members.models import Member
from workstations.models import Committee, Workstation
from workstations.tenancy import TenantQuerySet


class OutcomeQuerySet(TenantQuerySet):
    def published(self) -> OutcomeQuerySet:
        return self.filter(is_published=True).exclude(status=Outcome.Status.DRAFT)


class Outcome(models.Model):
    """A duty outcome (履职成果) by one or more members, possibly from a consultation."""

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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[authors])

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
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.workstation_id and self.workstation.committee_id != self.committee_id:
            errors["workstation"] = _("This workstation belongs to another committee.")
        if (
            self.consultation_id
            and self.consultation.workstation.committee_id != self.committee_id
        ):
            errors["consultation"] = _("This consultation belongs to another committee.")
        if self.submitted_on and self.submitted_on > timezone.localdate():
            errors["submitted_on"] = _("An outcome cannot be submitted in the future.")
        if self.status == self.Status.SUBMITTED and not self.submitted_on:
            errors["submitted_on"] = _("A submitted outcome needs the date it was submitted.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse(
            "public:outcome", kwargs={"committee": self.committee.slug, "pk": self.pk}
        )


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
                condition=Q(money__isnull=True) | Q(money__gte=0), name="outcome_event_money_positive"
            ),
        ]
        indexes = [models.Index(fields=["kind", "date"], name="outcome_event_by_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.date}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("This cannot be dated in the future.")})


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
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("An endorsement cannot be dated in the future.")})

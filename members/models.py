"""The people: committee members, their places in workstations, and staff roles."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workstations.models import Committee, Sector, Workstation
from workstations.search import Searchable
from workstations.tenancy import TenantQuerySet

mobile_validator = RegexValidator(
    r"^1\d{10}$", _("Enter an 11-digit mainland mobile number starting with 1.")
)
id_number_validator = RegexValidator(
    r"^\d{17}[\dXx]$", _("Enter an 18-character resident ID number.")
)


class MemberQuerySet(TenantQuerySet):
    def current(self) -> MemberQuerySet:
        return self.filter(is_active=True)


class Member(Searchable):
    """A CPPCC member (委员) on a committee's register. Mobile and ID number are private.

    Searchable by name (``workstations.search``): the back office finds an author among a
    province's 60,000 members by the index of the pairs of characters of their names."""

    search_fields = ("name",)

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Party(models.TextChoices):
        CPC = "cpc", _("Communist Party of China")
        RCCK = "rcck", _("Revolutionary Committee of the Chinese Kuomintang")
        CDL = "cdl", _("China Democratic League")
        CNDCA = "cndca", _("China National Democratic Construction Association")
        CAPD = "capd", _("China Association for Promoting Democracy")
        CPWDP = "cpwdp", _("Chinese Peasants' and Workers' Democratic Party")
        ZHI_GONG = "zhigong", _("China Zhi Gong Party")
        JIUSAN = "jiusan", _("Jiusan Society")
        TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")
        NON_PARTY = "nonparty", _("Non-party")
        MASSES = "masses", _("No party affiliation (masses)")

    class Level(models.TextChoices):
        COUNTY = "county", _("County member")
        CITY = "city", _("City member")
        PROVINCE = "province", _("Province member")
        NATIONAL = "national", _("National member")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    party = models.CharField(_("party"), max_length=10, choices=Party.choices, blank=True)
    is_standing_committee = models.BooleanField(_("standing committee member"), default=False)
    level = models.CharField(
        _("member of"), max_length=10, choices=Level.choices, default=Level.COUNTY
    )
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="members/%Y/", blank=True)
    public_bio = models.TextField(_("public biography"), blank=True)
    # Private: never shown on a public page or exported without the right.
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[mobile_validator])
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[id_number_validator]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    is_active = models.BooleanField(
        _("serving"), default=True, help_text=_("Off once the member's term has ended.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_grams"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "id_number"],
                condition=~Q(id_number=""),
                name="member_unique_id_number",
            ),
            models.UniqueConstraint(
                fields=["committee", "name", "mobile"],
                condition=~Q(mobile=""),
                name="member_unique_name_mobile",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "name"], name="member_by_name"),
            models.Index(fields=["committee", "mobile"], name="member_by_mobile"),
            models.Index(fields=["updated_at"], name="member_by_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.id_number:
            self.id_number = self.id_number.upper()
        if self.sector_id and self.sector.committee_id != self.committee_id:
            raise ValidationError({"sector": _("This sector belongs to another committee.")})

    def get_absolute_url(self) -> str:
        return reverse(
            "public:member", kwargs={"committee": self.committee.slug, "member": self.pk}
        )


class MembershipQuerySet(TenantQuerySet):
    committee_path = "workstation__committee"

    def active(self, on=None) -> MembershipQuerySet:
        """Memberships in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(since__isnull=True) | Q(since__lte=on)).filter(
            Q(until__isnull=True) | Q(until__gte=on)
        )

    def conveners(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.CONVENER)


class Membership(models.Model):
    """A member's place in a workstation, with a role and the dates it holds."""

    class Role(models.TextChoices):
        CONVENER = "convener", _("Convener")
        DEPUTY = "deputy", _("Deputy convener")
        RESIDENT = "resident", _("Resident member")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.RESIDENT)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workstation membership")
        verbose_name_plural = _("workstation memberships")
        ordering = ["workstation", "role", "member__name"]
        constraints = [
            # One open (not ended) place per member and workstation.
            models.UniqueConstraint(
                fields=["member", "workstation"],
                condition=Q(until__isnull=True),
                name="membership_one_open_per_workstation",
                violation_error_message=_("This member already sits in this workstation."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["workstation", "role"], name="membership_by_workstation"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.workstation} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()
        if (
            self.member_id
            and self.workstation_id
            and self.member.committee_id != self.workstation.committee_id
        ):
            raise ValidationError(
                {"workstation": _("The member and the workstation belong to different committees.")}
            )


class StaffRole(models.Model):
    """The committee a staff account works for, and what it may do there."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Office administrator")
        CLERK = "clerk", _("Clerk")
        READER = "reader", _("Reader")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="staff_role",
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, default=Role.CLERK)
    can_import = models.BooleanField(_("may import spreadsheets"), default=False)
    can_export = models.BooleanField(_("may export spreadsheets"), default=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["committee", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} ({self.get_role_display()})"

"""The organisation: committees (the tenants), their areas, sectors, workstations and standards."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import files
from .search import Searchable, refresh_scope
from .tenancy import CommitteeQuerySet, TenantQuerySet

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))

# First path segments the site uses itself; a committee's address cannot take them.
RESERVED_SLUGS = frozenset(
    {"admin", "accounts", "me", "office", "track", "i18n", "static", "media", "healthz", "api"}
    # config.files: the private files; config.views: the large-text switch
    | {"files", "text-size"}
)


def validate_committee_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS or value.lower().startswith("sitemap"):
        raise ValidationError(
            _("%(slug)s is used by the site itself; choose another address."),
            params={"slug": value},
        )


class Committee(models.Model):
    """A CPPCC committee at some level; a county committee is the tenant and carries a brand."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    # Lower number = higher in the tree.
    LEVEL_RANK = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2}

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    slug = models.SlugField(
        _("web address"),
        max_length=50,
        unique=True,
        validators=[validate_committee_slug],
        help_text=_("Used in the public address, e.g. hanshan for /hanshan/."),
    )
    brand_name = models.CharField(_("brand name"), max_length=50, blank=True)
    slogan = models.CharField(_("slogan"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to="committees/logos/", blank=True)
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#b71c1c", validators=[colour_validator]
    )
    intro = models.TextField(_("introduction"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office telephone"), max_length=30, blank=True)
    messages_close_after_days = models.PositiveSmallIntegerField(
        _("close answered messages after (days)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_(
            "An answered message is closed by itself this many days after its answer, so that "
            "the resident can rate how it was handled."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()
    history = HistoricalRecords()

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_parent_id = obj.__dict__.get("parent_id")
        return obj

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_parent_id", None)
        super().save(*args, **kwargs)
        if loaded is not None and loaded != self.parent_id:
            # The records below it carry the tokens of the committees above (a search).
            from .tenancy import subtree_ids

            refresh_scope(committee_ids=subtree_ids(self))
        self._loaded_parent_id = self.parent_id

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province") | Q(parent__isnull=False),
                name="committee_below_province_has_parent",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="committee_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None:
            parent = self.parent
            if self.LEVEL_RANK[parent.level] >= self.LEVEL_RANK.get(self.level, 99):
                raise ValidationError(
                    {"parent": _("The parent committee must be at a higher level.")}
                )
            if self.pk is not None and parent.pk == self.pk:
                raise ValidationError({"parent": _("A committee cannot be its own parent.")})

    def get_absolute_url(self) -> str:
        return reverse("public:brand_home", kwargs={"committee": self.slug})

    @property
    def display_brand(self) -> str:
        return self.brand_name or self.name


class Area(models.Model):
    """A town, subdistrict or development zone, or a village or community within one."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town")
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        DEVELOPMENT_ZONE = "zone", _("Development zone")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="areas"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="area_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent.committee_id != self.committee_id:
            raise ValidationError({"parent": _("The parent area belongs to another committee.")})


class Sector(models.Model):
    """A sector (界别) of a committee's members; data each committee edits."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="sectors"
    )
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="sector_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkstationQuerySet(TenantQuerySet):
    def published(self) -> WorkstationQuerySet:
        return self.filter(is_published=True)


class Workstation(Searchable):
    """A member workstation, sector activity room, consultation room or similar."""

    search_fields = ("name", "intro", "address", "theme")

    class Kind(models.TextChoices):
        MEMBER_WORKSTATION = "workstation", _("Member workstation")
        SECTOR_ROOM = "sector_room", _("Sector activity room")
        CONSULTATION_ROOM = "consultation_room", _("Consultation room")
        LIAISON_OFFICE = "liaison_office", _("Member liaison office")
        ACTIVITY_CENTRE = "activity_centre", _("Member activity centre")

    class Category(models.TextChoices):
        AREA = "area", _("By area")
        SECTOR = "sector", _("By sector")
        FEATURED = "featured", _("Featured theme")
        PERSONAL = "personal", _("Named after a member")
        ONLINE = "online", _("Online")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="workstations",
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("web address"), max_length=60, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workstations",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workstations",
    )
    theme = models.CharField(
        _("theme"), max_length=50, blank=True, help_text=_("For featured workstations.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    reception_hours = models.CharField(
        _("reception hours"),
        max_length=200,
        blank=True,
        help_text=_("When members receive the public, e.g. the 15th of every month, 9:00–11:30."),
    )
    phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkstationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_grams"])

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_committee_id = obj.__dict__.get("committee_id")
        return obj

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_committee_id", None)
        super().save(*args, **kwargs)
        if loaded is not None and loaded != self.committee_id:
            refresh_scope(workstation=self)  # its activities' committee tokens
        self._loaded_committee_id = self.committee_id

    class Meta:
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")
        ordering = ["committee", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "slug"], name="workstation_unique_slug"),
            models.UniqueConstraint(fields=["committee", "name"], name="workstation_unique_name"),
            models.CheckConstraint(
                condition=~Q(category="sector") | Q(sector__isnull=False),
                name="workstation_sector_category_has_sector",
            ),
        ]
        indexes = [
            models.Index(
                fields=["committee", "is_published", "kind"], name="workstation_public_list"
            ),
            # A brand's first workstations in the order of its list: a province's page walks
            # this in order instead of sorting its 9,000 published workstations.
            models.Index(
                fields=["kind", "name"],
                condition=Q(is_published=True),
                name="workstation_public_order",
            ),
            # How many of each kind, and the sectors that have one, read from the index alone.
            models.Index(
                fields=["committee", "kind"],
                include=["id", "sector"],
                condition=Q(is_published=True),
                name="workstation_public_kinds",
            ),
            # The latest change, for the sitemap's index.
            models.Index(fields=["updated_at"], name="workstation_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.area_id and self.area.committee_id != self.committee_id:
            errors["area"] = _("This area belongs to another committee.")
        if self.sector_id and self.sector.committee_id != self.committee_id:
            errors["sector"] = _("This sector belongs to another committee.")
        if self.category == self.Category.SECTOR and not self.sector_id:
            errors["sector"] = _("A workstation by sector needs its sector.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse(
            "public:workstation",
            kwargs={"committee": self.committee.slug, "workstation": self.slug},
        )


class WorkstationPhoto(models.Model):
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("photo"), upload_to="workstations/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workstation photo")
        verbose_name_plural = _("workstation photos")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Standard(models.Model):
    """A committee's construction standard for its workstations, such as "六有" or "六上墙"."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="standards"
    )
    name = models.CharField(_("name"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("construction standard")
        verbose_name_plural = _("construction standards")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="standard_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StandardItemQuerySet(TenantQuerySet):
    committee_path = "standard__committee"


class StandardItem(models.Model):
    """One item of a standard's checklist: premises, a sign, rules on the wall, …"""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("item"), max_length=50)
    description = models.CharField(_("how it is judged"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = StandardItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["standard", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "name"], name="standard_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.name} · {self.name}"


class StandardCheckQuerySet(TenantQuerySet):
    committee_path = "workstation__committee"


class StandardCheck(models.Model):
    """A workstation's state on one standard item, with a photo as evidence."""

    class State(models.TextChoices):
        MET = "met", _("Met")
        PARTIAL = "partial", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.CASCADE,
        related_name="standard_checks",
    )
    item = models.ForeignKey(
        StandardItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="checks"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NOT_MET
    )
    evidence = models.ImageField(
        _("evidence photo"),
        upload_to=files.evidence_name,
        storage=files.routed_storage,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    objects = StandardCheckQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard check")
        verbose_name_plural = _("standard checks")
        ordering = ["item__standard__order", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["workstation", "item"], name="standard_check_unique"),
        ]
        indexes = [
            # The private-file view finds a check by its evidence photo's name (config.files).
            models.Index(
                fields=["evidence"], condition=~Q(evidence=""), name="standard_check_by_evidence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstation} · {self.item}"

    def clean(self) -> None:
        super().clean()
        if (
            self.workstation_id
            and self.item_id
            and self.item.standard.committee_id != self.workstation.committee_id
        ):
            raise ValidationError({"item": _("This item belongs to another committee's standard.")})


# --- The figures' summary ------------------------------------------------------------------------


class Tally(models.Model):
    """One reported count of one workstation in one month (or of the committee itself, for
    outcomes that name no workstation), written by the services that change what it counts.

    ``value`` counts every record on the register; ``published_value`` only the records that are
    themselves published (a published consultation, a published outcome …), whatever the
    workstation's own state: whether the workstation is published is applied one level up, in
    ``CountyTally``, so that publishing a workstation needs no recount. The apps above say what
    each key counts (``consultations.tallies``, ``outcomes.tallies``).
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    workstation = models.ForeignKey(
        Workstation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField(help_text="The first day of the month counted.")
    key = models.CharField(max_length=30)
    value = models.BigIntegerField(default=0)
    published_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workstation", "month", "key"],
                condition=Q(workstation__isnull=False),
                name="tally_once_per_workstation",
            ),
            models.UniqueConstraint(
                fields=["committee", "month", "key"],
                condition=Q(workstation__isnull=True),
                name="tally_once_per_committee",
            ),
        ]
        indexes = [models.Index(fields=["committee", "month"], name="tally_by_committee")]

    def __str__(self) -> str:
        return f"{self.workstation or self.committee} {self.month:%Y-%m} {self.key}={self.value}"


class CountyTally(models.Model):
    """A county's count of one key in one month, summed from its ``Tally`` rows: ``value`` over
    every workstation on the register, ``public_value`` over the published records of its
    published workstations (and of the committee itself). Cities and provinces add up their
    counties' rows; nothing that rolls up counties reads the records themselves."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    key = models.CharField(max_length=30)
    value = models.BigIntegerField(default=0)
    public_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "month", "key"], name="county_tally_once"),
        ]
        indexes = [models.Index(fields=["month", "key"], name="county_tally_by_month")]

    def __str__(self) -> str:
        return f"{self.committee} {self.month:%Y-%m} {self.key}={self.value}/{self.public_value}"


class SpreadsheetJobQuerySet(TenantQuerySet):
    committee_path = "committee"

    def requested_by(self, user) -> SpreadsheetJobQuerySet:
        """The jobs this account asked for (the downloads page shows only those)."""
        return self.filter(requested_by=user)


class SpreadsheetJob(models.Model):
    """A spreadsheet a staff member asked for that a task writes (a large export) or reads (a
    large import), so that the request need not wait for it.

    The task's own record (``django_celery_results.TaskResult``, under ``task_id``) says whether
    it is waiting, running, being retried or has failed, with the traceback; this row says who
    asked, for which committee, and what came of it: the workbook written into the private
    storage (``file``, fetched only by the one who asked) or what the import did (``summary``).
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")

    task_id = models.CharField(_("task"), max_length=36, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("file"), max_length=255)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: The language the staff member used when asking: the task writes in it (the headers of
    #: a workbook, the problems an import found).
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    #: The written workbook's name in ``storages["private"]`` (under ``exports/``).
    file = models.CharField(_("workbook"), max_length=500, blank=True)
    #: What an import did: {"imported", "new", "updated", "skipped", "problem_count",
    #: "problems": [{"row", "column", "message"}, …]}, messages in the requester's language.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    objects = SpreadsheetJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("spreadsheet job")
        verbose_name_plural = _("spreadsheet jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="spreadsheet_job_by_user")
        ]

    def __str__(self) -> str:
        return self.title

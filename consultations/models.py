"""What happens: activities at workstations, consultations step by step, residents' messages."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member
from workstations import files
from workstations.models import Committee, Workstation
from workstations.search import Searchable
from workstations.tenancy import TenantQuerySet


class ActivityType(models.Model):
    """A kind of activity a committee counts: the "五微", receptions, study … (editable data)."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="activity_types",
    )
    name = models.CharField(_("name"), max_length=30)
    code = models.SlugField(
        _("code"), max_length=30, help_text=_("A short code that rules and figures refer to.")
    )
    is_five_micro = models.BooleanField(_("one of the five micro activities"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="activity_type_unique_name"),
            models.UniqueConstraint(fields=["committee", "code"], name="activity_type_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(TenantQuerySet):
    committee_path = "workstation__committee"

    def approved(self) -> ActivityQuerySet:
        """Approved activities: the ones every figure counts ("activities held")."""
        return self.filter(status=Activity.Status.APPROVED)

    def published(self) -> ActivityQuerySet:
        """Approved activities of published workstations: what the public sees."""
        return self.approved().filter(workstation__is_published=True)

    def in_period(self, start, end) -> ActivityQuerySet:
        """Activities dated from ``start`` up to and including ``end`` (local dates)."""
        return self.filter(date__gte=start, date__lte=end)

    def waiting_for_review(self) -> ActivityQuerySet:
        """Activities their workstation submitted that nobody has approved or returned yet."""
        return self.filter(status=Activity.Status.SUBMITTED)


class Activity(Searchable):
    """A duty activity (履职活动) held at a workstation: draft → submitted → approved."""

    search_fields = ("title", "description", "place")

    def search_committee_id(self) -> int | None:
        known = getattr(self, "_search_committee", None)  # (workstation, its committee)
        if known is not None and known[0] == self.workstation_id:
            return known[1]
        return self.workstation.committee_id if self.workstation_id else None

    @classmethod
    def refresh_search_grams_of(cls, objs) -> None:
        objs = list(objs)
        committees = dict(
            Workstation.objects.filter(pk__in={o.workstation_id for o in objs}).values_list(
                "pk", "committee_id"
            )
        )
        for obj in objs:
            obj._search_committee = (obj.workstation_id, committees.get(obj.workstation_id))
        super().refresh_search_grams_of(objs)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved and published")

    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    type = models.ForeignKey(
        ActivityType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=100)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    participants = models.ManyToManyField(
        Member, verbose_name=_("members who took part"), related_name="activities", blank=True
    )
    residents_served = models.PositiveIntegerField(_("residents served"), default=0)
    description = models.TextField(_("what was done"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        Member,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_logged",
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The one-time token of the last form from the member's workspace applied to this activity:
    # a second POST of the same form (a double tap, a reload) is recognised and not applied again.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[participants], excluded_fields=["search_grams"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="activity_approved_has_time",
            ),
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=Q(client_token__isnull=False),
                name="activity_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["workstation", "status", "date"], name="activity_by_workstation"),
            models.Index(fields=["status", "date"], name="activity_by_status_date"),
            models.Index(fields=["type", "date"], name="activity_by_type_date"),
            # The back office's list, newest first, and the sitemap's latest change.
            models.Index(fields=["-date", "-id"], name="activity_newest"),
            models.Index(fields=["updated_at"], name="activity_by_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        # The database cannot compare with "today in Beijing" portably; the model does.
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("An activity cannot be dated in the future.")
        if (
            self.type_id
            and self.workstation_id
            and self.type.committee_id != self.workstation.committee_id
        ):
            errors["type"] = _("This activity type belongs to another committee.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def photos_are_public(self) -> bool:
        """An activity's photos are public once it is approved, private before (a member's
        draft, a log waiting for review or returned). Whether the workstation is published
        decides whether a page lists the activity, not where its photos are kept."""
        return self.status == self.Status.APPROVED

    def get_absolute_url(self) -> str:
        return reverse(
            "public:activity",
            kwargs={"committee": self.workstation.committee.slug, "pk": self.pk},
        )


def activity_photo_name(instance: ActivityPhoto, filename: str) -> str:
    return files.dated_name("activities/%Y/%m/", filename, private=not instance.is_public)


def activity_thumbnail_name(instance: ActivityPhoto, filename: str) -> str:
    if instance.image.name:
        return files.name_beside(instance.image.name, "thumbs", filename)
    return files.dated_name("activities/%Y/%m/thumbs/", filename, private=not instance.is_public)


class ActivityPhotoQuerySet(TenantQuerySet):
    committee_path = "activity__workstation__committee"

    def misplaced(self) -> ActivityPhotoQuerySet:
        """Photos whose files are not where their activity's state puts them: private ones of
        approved activities, public ones of the others (as all were before private storage)."""
        public = Q(activity__status=Activity.Status.APPROVED)
        image_private = Q(image__startswith=files.PRIVATE_PREFIX)
        thumb_private = Q(thumbnail__startswith=files.PRIVATE_PREFIX)
        thumb_public = ~Q(thumbnail="") & ~thumb_private
        return self.filter(
            (public & (image_private | thumb_private)) | (~public & (~image_private | thumb_public))
        )


class ActivityPhoto(models.Model):
    """A photo of an activity and its thumbnail, in the private storage until the activity is
    approved and in the public one after (``consultations.services.photos.photos_place``)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("photo"), upload_to=activity_photo_name, storage=files.routed_storage
    )
    thumbnail = models.ImageField(
        _("thumbnail"),
        upload_to=activity_thumbnail_name,
        storage=files.routed_storage,
        blank=True,
    )
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ActivityPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["order", "pk"]
        indexes = [
            # The private-file view finds a photo by its file's name (config.files).
            models.Index(fields=["image"], name="activity_photo_by_image"),
            models.Index(fields=["thumbnail"], name="activity_photo_by_thumbnail"),
        ]

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def is_public(self) -> bool:
        """Whether this photo's files belong in the public storage (its activity's rule)."""
        return self.activity_id is not None and self.activity.photos_are_public


class ConsultationQuerySet(TenantQuerySet):
    committee_path = "workstation__committee"

    def published(self) -> ConsultationQuerySet:
        return self.filter(is_published=True, workstation__is_published=True)


class Consultation(models.Model):
    """A consultation (协商议事) as a process: topic → research → meeting → … → evaluation."""

    class TopicSource(models.TextChoices):
        PARTY_GOVERNMENT = "government", _("Set by the party and government")
        RESIDENTS = "residents", _("Raised by residents")
        MEMBERS = "members", _("Proposed by members")

    class Step(models.IntegerChoices):
        TOPIC = 1, _("Topic raised")
        RESEARCH = 2, _("Research")
        MEETING = 3, _("Consultation meeting")
        OPINIONS = 4, _("Opinions formed")
        SUBMISSION = 5, _("Opinions submitted")
        RESPONSE = 6, _("Government response")
        IMPLEMENTATION = 7, _("Put into effect")
        EVALUATION = 8, _("Evaluated")

    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    topic = models.CharField(_("topic"), max_length=150)
    topic_source = models.CharField(
        _("topic raised by"), max_length=12, choices=TopicSource.choices
    )
    source_message = models.ForeignKey(
        "PublicMessage",
        verbose_name=_("from the resident's message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    description = models.TextField(_("background"), blank=True)
    opened_on = models.DateField(_("opened on"))
    stage = models.PositiveSmallIntegerField(
        _("current step"), choices=Step.choices, default=Step.TOPIC
    )
    problem_solved = models.BooleanField(_("problem solved"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    opened_by = models.ForeignKey(
        Member,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations_opened",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__gte=1, stage__lte=8), name="consultation_stage_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["workstation", "opened_on"], name="consultation_by_workstation"),
            models.Index(fields=["stage", "opened_on"], name="consultation_by_stage"),
            models.Index(fields=["-opened_on", "-id"], name="consultation_newest"),
            models.Index(fields=["updated_at"], name="consultation_by_updated"),
        ]

    def __str__(self) -> str:
        return self.topic

    def clean(self) -> None:
        super().clean()
        if self.opened_on and self.opened_on > timezone.localdate():
            raise ValidationError({"opened_on": _("A consultation cannot open in the future.")})
        if (
            self.source_message_id
            and self.workstation_id
            and self.source_message.workstation.committee_id != self.workstation.committee_id
        ):
            raise ValidationError(
                {"source_message": _("This message was left at another committee.")}
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "public:consultation",
            kwargs={"committee": self.workstation.committee.slug, "pk": self.pk},
        )


class ConsultationStepQuerySet(TenantQuerySet):
    committee_path = "consultation__workstation__committee"

    def meetings(self) -> ConsultationStepQuerySet:
        """Consultation meetings held: the meeting steps (a consultation that met twice counts
        twice)."""
        return self.filter(step=Consultation.Step.MEETING)

    def published(self) -> ConsultationStepQuerySet:
        """Steps of published consultations of published workstations."""
        return self.filter(
            consultation__is_published=True, consultation__workstation__is_published=True
        )

    def in_period(self, start, end) -> ConsultationStepQuerySet:
        return self.filter(date__gte=start, date__lte=end)


def step_attachment_name(instance: ConsultationStep, filename: str) -> str:
    """A step's attachment (a sign-in sheet, the opinions sent, the government's answer) is for
    the office and the workstation's members: always private; the public pages never link it."""
    return files.dated_name("consultations/%Y/", filename, private=True)


class ConsultationStep(models.Model):
    """One recorded step of a consultation, dated, with who took part and what came of it."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Consultation.Step.choices)
    date = models.DateField(_("date"))
    summary = models.TextField(_("what happened"))
    members = models.ManyToManyField(
        Member, verbose_name=_("members"), related_name="consultation_steps", blank=True
    )
    departments = models.CharField(_("government departments"), max_length=300, blank=True)
    stakeholders = models.CharField(_("stakeholders"), max_length=300, blank=True)
    residents_count = models.PositiveIntegerField(_("residents taking part"), default=0)
    submitted_to = models.CharField(_("submitted to"), max_length=200, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=step_attachment_name, storage=files.routed_storage, blank=True
    )

    objects = ConsultationStepQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("consultation step")
        verbose_name_plural = _("consultation steps")
        ordering = ["consultation", "step", "date"]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=8), name="step_valid"),
        ]
        indexes = [
            models.Index(fields=["step", "date"], name="consultation_step_by_date"),
            # The private-file view finds a step by its attachment's name (config.files).
            models.Index(
                fields=["attachment"],
                condition=~Q(attachment=""),
                name="step_by_attachment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.get_step_display()}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A step cannot be dated in the future.")})


class MediaReport(models.Model):
    """A media report on an activity or a consultation ("有活动必有宣传")."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="media_reports",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="media_reports",
    )
    outlet = models.CharField(_("outlet"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=150)
    url = models.URLField(_("link"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("media report")
        verbose_name_plural = _("media reports")
        ordering = ["-published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(activity__isnull=False) & Q(consultation__isnull=True))
                | (Q(activity__isnull=True) & Q(consultation__isnull=False)),
                name="media_report_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def new_tracking_code() -> str:
    """A tracking code a resident can read out and type: 10 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class PublicMessageQuerySet(TenantQuerySet):
    committee_path = "workstation__committee"

    def visible(self) -> PublicMessageQuerySet:
        return self.exclude(status=PublicMessage.Status.HIDDEN)

    def rated(self) -> PublicMessageQuerySet:
        """Closed messages their residents have rated (the public recognition rate)."""
        return self.filter(status=PublicMessage.Status.CLOSED, rating__isnull=False)

    def unanswered(self) -> PublicMessageQuerySet:
        """Messages received or being handled: no answer yet (hidden ones wait for nobody)."""
        return self.filter(status__in=PublicMessage.WAITING)

    def overdue(self, now: datetime.datetime | None = None) -> PublicMessageQuerySet:
        """Unanswered messages received more than ``OVERDUE_AFTER_DAYS`` ago. A message has no
        due date of its own: a week is the office's rule of thumb until one is set."""
        return self.unanswered().filter(created_at__lt=PublicMessage.overdue_before(now))


class PublicMessage(models.Model):
    """A concern a resident left for a workstation; followed by its tracking code."""

    class Category(models.TextChoices):
        LIVELIHOOD = "livelihood", _("Daily life and services")
        ENVIRONMENT = "environment", _("Environment and sanitation")
        TRAFFIC = "traffic", _("Roads and traffic")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health care")
        ECONOMY = "economy", _("Jobs and the economy")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("Received")
        IN_PROGRESS = "in_progress", _("Being handled")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        HIDDEN = "hidden", _("Hidden by moderation")

    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=12, unique=True, default=new_tracking_code, editable=False
    )
    name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    text = models.TextField(_("message"), max_length=2000)
    reply_may_be_published = models.BooleanField(_("reply may be published"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("resident's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    # Waiting for an answer; one of them is overdue after a week unanswered.
    WAITING = (Status.NEW, Status.IN_PROGRESS)
    OVERDUE_AFTER_DAYS = 7

    objects = PublicMessageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["mobile"])

    class Meta:
        verbose_name = _("resident's message")
        verbose_name_plural = _("residents' messages")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="message_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(status="closed"),
                name="message_rated_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["workstation", "status", "created_at"], name="message_by_ws"),
            models.Index(fields=["-created_at"], name="message_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.get_category_display()}"

    @classmethod
    def overdue_before(cls, now: datetime.datetime | None = None) -> datetime.datetime:
        """A message received before this moment and still unanswered is overdue."""
        return (now or timezone.now()) - datetime.timedelta(days=cls.OVERDUE_AFTER_DAYS)

    def clean(self) -> None:
        super().clean()
        if self.rating is not None and self.status != self.Status.CLOSED:
            raise ValidationError({"rating": _("Only a closed message can be rated.")})


# --- The member workspace: review trail of activities, photos waiting for their form ----------


class ActivityReviewQuerySet(TenantQuerySet):
    committee_path = "activity__workstation__committee"


class ActivityReview(models.Model):
    """One dated step of an activity's review: submitted, returned with a comment, approved.

    Rows are only ever added, so the whole exchange between member and convener is kept.
    """

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved and published")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reviews"
    )
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)

    objects = ActivityReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["activity", "at", "pk"]
        indexes = [models.Index(fields=["activity", "at"], name="activity_review_by_activity")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.get_action_display()}"


def pending_photo_name(instance: PendingPhoto, filename: str) -> str:
    return files.dated_name("activities/%Y/%m/", filename, private=True)


def pending_thumbnail_name(instance: PendingPhoto, filename: str) -> str:
    if instance.image.name:
        return files.name_beside(instance.image.name, "thumbs", filename)
    return files.dated_name("activities/%Y/%m/thumbs/", filename, private=True)


class PendingPhoto(models.Model):
    """A photo already checked and stored while its form is still being filled in.

    The member's phone uploads photos with the form; when the rest of the form does not validate
    the photos wait here under the form's one-time token, and are attached to the activity when
    the form is saved. Old ones are removed (``pending_photos_purge``). Their files are private
    (the activity they join is a draft); they keep their names when they join it.
    """

    token = models.UUIDField(_("form token"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    image = models.ImageField(
        _("photo"), upload_to=pending_photo_name, storage=files.routed_storage
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=pending_thumbnail_name, storage=files.routed_storage
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo waiting for its form")
        verbose_name_plural = _("photos waiting for their form")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["uploaded_by", "token"], name="pending_photo_by_form")]

    def __str__(self) -> str:
        return self.image.name

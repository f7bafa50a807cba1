"""Builds the demo: three county committees with a year of work, and the demo accounts.

The builder first makes sure the committees, their defaults (sectors, standards, activity types)
and the demo accounts exist, keyed on their natural keys (slugs, usernames). A county's content —
areas, workstations, members, a year of activities and what came of them — is written only when
the county has no workstation yet, so running the load again changes nothing. Randomness comes
from one generator per county seeded with ``seed``, so a fresh load is the same every time (up to
the date it runs on: the year of activities always ends today).

Everything with rules of its own is written by the services the views, the admin and the imports
use, in bulk where a service offers it: activities with their review trail and media reports
(``activities_record``) and photos (``activity_photos_add``), residents' messages and what became
of them (``messages_record``, ``message_answer``), consultations step by step
(``consultations_record``), outcomes (``outcomes_record``) and their trail
(``outcome_trail_record``). So the demo can only hold states the product allows. The register —
areas, workstations, members, memberships, standards checks, workstation photos — has no rules
beyond its models', and is written in bulk through ``workstations.history``, each object checked
with its model's field validation and ``clean()`` first.

The tables (counties, people's names and workplaces, texts) are JSON files in ``data/``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from consultations.models import ActivityType
from members.models import Member, Membership, StaffRole
from outcomes.services.setup import committee_seed_defaults
from workstations.models import Committee

from . import photos
from .activities import ActivitiesMixin
from .base import CONVENER_WORKSTATION, store_file
from .consulting import ConsultingMixin
from .counties import COUNTIES
from .organisation import OrganisationMixin
from .results import ResultsMixin

DEMO_PASSWORD = "shangliang-demo"
DEFAULT_SEED = 2023


@dataclass(frozen=True)
class Account:
    """A demo account; all share DEMO_PASSWORD (also listed in the README)."""

    username: str
    role: str  # superuser, staff (office administrator), convener, member
    county: str = ""  # the county committee's slug
    description: str = ""


ACCOUNTS = (
    Account("admin", "superuser", description="superuser: every committee, the whole back office"),
    Account("hanshan_office", "staff", "hanshan", "office administrator of 含山县政协"),
    Account("huimin_office", "staff", "huimin", "office administrator of 惠民县政协"),
    Account("tongguan_office", "staff", "tongguan", "office administrator of 铜陵市铜官区政协"),
    Account("hanshan_convener", "convener", "hanshan", "convener of 含山 陶厂镇委员工作室"),
    Account("hanshan_member", "member", "hanshan", "member of 含山 陶厂镇委员工作室"),
)


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)  # slugs of counties built now
    skipped: list[str] = field(default_factory=list)  # slugs of counties already present
    # Each demo account, and whether this run created it (else it existed and was left alone).
    accounts: list[tuple[Account, bool]] = field(default_factory=list)


def _ensure_committee(slug: str, name: str, level: str, parent: Committee | None, **brand):
    committee, created = Committee.objects.get_or_create(
        slug=slug, defaults={"name": name, "level": level, "parent": parent, **brand}
    )
    if created:
        committee.full_clean()
    return committee


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; the demo accounts share one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def _ensure_user(username: str, **attrs) -> tuple[AbstractBaseUser, bool]:
    User = get_user_model()  # noqa: N806
    user, created = User.objects.get_or_create(
        username=username, defaults={**attrs, "password": _demo_password_hash()}
    )
    return user, created


class CountyBuilder(OrganisationMixin, ConsultingMixin, ActivitiesMixin, ResultsMixin):
    """Writes one county's demo content."""

    def committees(self) -> Committee:
        spec = self.spec
        province = _ensure_committee(*spec.province, Committee.Level.PROVINCE, None)
        city = _ensure_committee(*spec.city, Committee.Level.CITY, province)
        county = _ensure_committee(
            spec.slug,
            spec.name,
            Committee.Level.COUNTY,
            city,
            brand_name=spec.brand,
            slogan=spec.slogan,
            brand_colour=spec.colour,
            intro=spec.intro,
            address=spec.address,
        )
        committee_seed_defaults(committee=county)
        return county

    def build(self, county: Committee, office_user) -> None:
        self.county = county
        self.office_user = office_user
        self.sectors = {s.name: s for s in county.sectors.all()}
        self.types = {t.code: t for t in ActivityType.objects.filter(committee=county)}
        if self.with_photos and not county.logo:
            county.logo.name = store_file(
                f"committees/logos/{county.slug}.png",
                photos.png_bytes(photos.draw_logo(colour=self.spec.colour)),
            )
            county.save(update_fields=["logo"])
        self._areas()
        self._workstations()
        self._members()
        self._memberships()

    def build_work(self, users_by_member: dict[int, object]) -> None:
        """Everything that happens at the workstations, once the accounts are linked."""
        self.users_by_member = users_by_member
        self._messages()
        self._consultations()
        self._activities()
        self._outcomes()
        self._standard_checks()
        if self.with_photos:
            self._workstation_photos()


def _ensure_staff(county: Committee, username: str) -> tuple[AbstractBaseUser, bool]:
    user, created = _ensure_user(
        username,
        is_staff=True,
        first_name=f"{county.name}办公室",
        email=f"{username}@example.org",
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    StaffRole.objects.get_or_create(
        user=user,
        defaults={
            "committee": county,
            "role": StaffRole.Role.ADMINISTRATOR,
            "can_import": True,
            "can_export": True,
        },
    )
    return user, created


def _link_member(username: str, member: Member | None) -> tuple[AbstractBaseUser, bool]:
    user, created = _ensure_user(
        username, first_name=member.name if member else "", email=f"{username}@example.org"
    )
    if (
        member is not None
        and not Member.objects.filter(user=user).exists()
        and member.user_id is None
    ):
        member.user = user
        member.save(update_fields=["user"])
    return user, created


def _account_members_in_db(county: Committee) -> tuple[Member | None, Member | None]:
    """Find the account holders' members again in a county loaded earlier."""
    rows = Membership.objects.filter(
        workstation__committee=county, workstation__slug=CONVENER_WORKSTATION[1]
    ).select_related("member")
    convener = next((r.member for r in rows if r.role == Membership.Role.CONVENER), None)
    busy = set(
        Membership.objects.filter(workstation__committee=county)
        .exclude(role=Membership.Role.RESIDENT)
        .values_list("member_id", flat=True)
    )
    plain = sorted((r.member for r in rows if r.member_id not in busy), key=lambda m: m.pk)
    return convener, (plain[0] if plain else None)


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    with_photos: bool = True,
    log: Callable[[str], None] = lambda _msg: None,
) -> DemoResult:
    """Load the demo data; idempotent. Returns which counties were built and the accounts."""
    result = DemoResult()
    today = timezone.localdate()
    created: dict[str, bool] = {}
    with transaction.atomic():
        for account in ACCOUNTS:
            if account.role == "superuser":
                _user, created[account.username] = _ensure_user(
                    account.username,
                    is_staff=True,
                    is_superuser=True,
                    email=f"{account.username}@example.org",
                )
        taken_mobiles = set(Member.objects.exclude(mobile="").values_list("mobile", flat=True))
        for spec in COUNTIES:
            accounts = [a for a in ACCOUNTS if a.county == spec.slug]
            builder = CountyBuilder(
                spec,
                seed=seed,
                today=today,
                with_photos=with_photos,
                taken_mobiles=taken_mobiles,
            )
            county = builder.committees()
            office = None
            for account in (a for a in accounts if a.role == "staff"):
                user, created[account.username] = _ensure_staff(county, account.username)
                office = office or user
            loaded = county.workstations.exists()
            if loaded:
                result.skipped.append(spec.slug)
                log(f"{county.name}: already loaded, left as it is.")
            else:
                log(f"{county.name}: building …")
                builder.build(county, office)
            users_by_member = {}
            member_accounts = [a for a in accounts if a.role in ("convener", "member")]
            if member_accounts:
                convener, plain = (
                    _account_members_in_db(county) if loaded else builder.account_members()
                )
                for account in member_accounts:
                    member = convener if account.role == "convener" else plain
                    user, created[account.username] = _link_member(account.username, member)
                    if member is not None:
                        users_by_member[member.pk] = user
            if not loaded:
                builder.build_work(users_by_member)
                result.created.append(spec.slug)
    result.accounts = [(a, created[a.username]) for a in ACCOUNTS]
    return result

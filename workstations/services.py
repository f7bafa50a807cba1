"""Writes in the organisation app that span models."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from . import files, versions
from .files import Placed
from .models import Committee, Sector, Standard, StandardCheck, StandardItem, Workstation
from .tallies import county_tallies_refresh

# The sectors most county committees keep (界别); each committee edits its own list.
DEFAULT_SECTORS = [
    "中共界",
    "民革界",
    "民盟界",
    "民建界",
    "民进界",
    "农工党界",
    "九三学社界",
    "无党派人士界",
    "共青团界",
    "工会界",
    "妇联界",
    "工商联界",
    "科技科协界",
    "经济界",
    "农业界",
    "教育体育界",
    "文化艺术界",
    "医药卫生界",
    "社会福利和社会保障界",
    "特邀界",
]

# The usual construction standards: "六有" (six haves) and "六上墙" (six on the wall).
DEFAULT_STANDARDS = {
    "六有": ["有场所", "有标识", "有制度", "有人员", "有活动", "有台账"],
    "六上墙": [
        "工作职责上墙",
        "工作制度上墙",
        "委员名单上墙",
        "接待时间上墙",
        "活动计划上墙",
        "联系方式上墙",
    ],
}


@transaction.atomic
def committee_seed_organisation_defaults(*, committee: Committee) -> None:
    """Give a committee the usual sectors and standards; keeps anything already there."""
    for order, name in enumerate(DEFAULT_SECTORS):
        Sector.objects.get_or_create(committee=committee, name=name, defaults={"order": order})
    for s_order, (standard_name, items) in enumerate(DEFAULT_STANDARDS.items()):
        standard, _ = Standard.objects.get_or_create(
            committee=committee, name=standard_name, defaults={"order": s_order}
        )
        for order, item in enumerate(items):
            StandardItem.objects.get_or_create(
                standard=standard, name=item, defaults={"order": order}
            )


@transaction.atomic
def workstations_set_published(*, workstations: Iterable[Workstation], published: bool) -> int:
    """Publish workstations (or take them off the public pages); returns how many changed.

    One save per workstation, so each change is in its history. The public figures of their
    counties are summed again (``county_tallies_refresh``: whether a workstation is published
    is applied there, so nothing is recounted) and their cached pages made stale.
    """
    changed = [w for w in workstations if w.is_published != published]
    for workstation in changed:
        workstation.is_published = published
        workstation.save(update_fields=["is_published", "updated_at"])
    workstation_published_changed(committee_ids={w.committee_id for w in changed})
    return len(changed)


def workstation_published_changed(*, committee_ids: Iterable[int]) -> None:
    """After workstations were published or unpublished (however it was written): sum their
    counties' public figures again and make their cached pages stale."""
    ids = set(committee_ids)
    if ids:
        county_tallies_refresh(committee_ids=ids)
        versions.bump(ids)


def evidence_place() -> Placed:
    """Standards evidence is for the office only: move into the private storage any photo kept
    in the public one (as all were before private storage); ``manage.py place_files``."""
    public = StandardCheck.objects.exclude(evidence="").exclude(
        evidence__startswith=files.PRIVATE_PREFIX
    )
    return files.rows_place(public, ["evidence"], private=True)

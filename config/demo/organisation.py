"""The county builder, part one: areas, workstations, members and their places."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from members.models import Member, Membership
from workstations.history import bulk_create_with_history, bulk_update_with_history
from workstations.models import Area, Workstation

from . import texts
from .base import CONVENER_WORKSTATION, DEMO_REASON, BuilderBase, fill, validate
from .counties import WorkstationSpec
from .people import (
    COMMUNITIES,
    FARM_KINDS,
    FARM_WORDS,
    LEVEL_NAMES,
    OTHER_PARTIES,
    PARTY_NAMES,
    PARTY_OF_SECTOR,
    PROFILES,
    TAG_PROFILES,
    VILLAGES,
    WOMEN_SHARE,
)


class OrganisationMixin(BuilderBase):
    """Areas, workstations, members, memberships and conveners."""

    # --- areas and workstations --------------------------------------------------------------

    def _areas(self) -> None:
        spec = self.spec
        top = [
            Area(committee=self.county, name=a.name, kind=a.kind, order=i)
            for i, a in enumerate(spec.areas)
            if not a.parent
        ]
        validate(top)
        bulk_create_with_history(top, Area, reason=DEMO_REASON)
        self.areas = {a.name: a for a in top}
        children = [
            Area(
                committee=self.county,
                name=a.name,
                kind=a.kind,
                order=i,
                parent=self.areas[a.parent],
            )
            for i, a in enumerate(spec.areas)
            if a.parent
        ]
        validate(children)
        bulk_create_with_history(children, Area, reason=DEMO_REASON)
        self.areas.update({a.name: a for a in children})

    def _address(self, ws: WorkstationSpec, area: Area | None) -> str:
        short = self.spec.short

        def local(name: str) -> str:  # 含山县 + 环峰镇, but not 含山县 + 含山经济开发区
            return name if name.startswith(short[:2]) else short + name

        if ws.address:
            return ws.address
        if ws.kind == Workstation.Kind.SECTOR_ROOM or ws.category == Workstation.Category.FEATURED:
            if ws.flavour == "medical":
                return f"{short}人民医院门诊楼三楼"
            if ws.flavour == "labour":
                return f"{short}职工服务中心二楼"
            if area and area.kind == Area.Kind.DEVELOPMENT_ZONE:
                return f"{local(area.name)}企业服务中心"
            return f"{short}政协委员服务中心"
        if area and area.parent_id:
            return f"{local(area.parent.name)}{area.name}党群服务中心"
        return f"{local(area.name if area else self.spec.seat)}党群服务中心"

    def _workstations(self) -> None:
        rng = self.rng
        lat0, lng0 = self.spec.centre
        objs = []
        self.specs: dict[str, WorkstationSpec] = {}
        for ws in self.spec.workstations:
            area = self.areas.get(ws.area) if ws.area else None
            spread = 0.012 if (not area or area.name == self.spec.seat) else 0.11
            start, end = self.spec.established
            if ws.kind == Workstation.Kind.CONSULTATION_ROOM:
                hours = "每月第一个周六上午开放，其余时间可预约"
                reception = f"每月{rng.choice([5, 10, 15, 20])}日上午"
            else:
                hours = "周一至周五 8:30–12:00，14:30–17:30"
                reception = f"每月{rng.choice([5, 8, 10, 15, 18, 20, 25])}日 9:00–11:30"
            objs.append(
                Workstation(
                    committee=self.county,
                    name=ws.name,
                    slug=ws.slug,
                    kind=ws.kind,
                    category=ws.category,
                    area=area,
                    sector=self.sectors.get(ws.sector) if ws.sector else None,
                    theme=ws.theme,
                    address=self._address(ws, area),
                    latitude=Decimal(f"{lat0 + rng.uniform(-spread, spread):.6f}"),
                    longitude=Decimal(f"{lng0 + rng.uniform(-spread, spread):.6f}"),
                    opening_hours=hours,
                    reception_hours=reception,
                    is_published=True,
                    established_on=start
                    + datetime.timedelta(days=rng.randint(0, (end - start).days)),
                )
            )
            self.specs[ws.slug] = ws
        validate(objs)
        bulk_create_with_history(objs, Workstation, reason=DEMO_REASON)
        self.workstations = objs
        self.by_slug = {w.slug: w for w in objs}
        self.flavour = {w.pk: self.specs[w.slug].flavour for w in objs}
        self.rhythm = {}
        for w in objs:
            forced = self.specs[w.slug].rhythm
            if not forced and self.specs[w.slug].stories:
                forced = "strong"
            self.rhythm[w.pk] = forced or self._pick({"strong": 64, "average": 26, "lagging": 10})

    # --- members -------------------------------------------------------------------------------

    def _profile(self, template: tuple[str, str, str], home: Area) -> tuple[str, str, str]:
        workplace, title, expertise = template
        place = self.spec.firm_place
        if home.kind in (Area.Kind.SUBDISTRICT, Area.Kind.DEVELOPMENT_ZONE):
            # Subdistricts and zones have no township government, clinic or village.
            zone = home.kind == Area.Kind.DEVELOPMENT_ZONE
            for old, new in (
                ("{town}人民政府", "{town}管委会" if zone else "{town}办事处"),
                ("{town}党委", "{town}党工委"),
                ("{town}卫生院", "{town}社区卫生服务中心"),
                ("{town}中心学校", "{town}实验学校"),
                ("{town}敬老院", "{town}养老服务中心"),
                ("{town}{village}", "{town}{community}"),
            ):
                workplace = workplace.replace(old, new)
            title = {"镇长": "管委会主任" if zone else "办事处主任"}.get(title, title)
        values = self._ctx(
            town=home.name,
            village=self.rng.choice(VILLAGES),
            community=self.rng.choice(COMMUNITIES),
            firm=self.people.firm(place),
            firm_build=self.people.firm(place, "建设工程有限公司"),
            firm_mfg=self.people.firm(place, "智能装备有限公司"),
            firm_farm=self.rng.choice(FARM_WORDS) + self.rng.choice(FARM_KINDS),
            opera=self.spec.opera,
        )
        return fill(workplace, **values), title, expertise

    def _members(self) -> None:
        rng, spec = self.rng, self.spec
        homes = [w for w in self.workstations if self.specs[w.slug].home_weight > 0]
        weights = [self.specs[w.slug].home_weight for w in homes]
        members: list[Member] = []
        self.home: dict[int, Workstation] = {}  # id(member) → home workstation
        self.tag: dict[int, str] = {}
        for sector_name, count in spec.sector_members.items():
            for _ in range(count):
                woman = rng.random() < WOMEN_SHARE.get(sector_name, 0.3)
                gender = Member.Gender.FEMALE if woman else Member.Gender.MALE
                party = (
                    PARTY_OF_SECTOR.get(sector_name)
                    or rng.choices(
                        [p for p, _ in OTHER_PARTIES], weights=[w for _, w in OTHER_PARTIES]
                    )[0]
                )
                birth_year = rng.randint(1964, 1994)
                home = rng.choices(homes, weights=weights)[0]
                workplace, title, expertise = self._profile(
                    rng.choice(PROFILES[sector_name]), home.area
                )
                member = Member(
                    committee=self.county,
                    name=self.people.name(gender),
                    gender=gender,
                    birth_year=birth_year,
                    sector=self.sectors[sector_name],
                    party=party,
                    workplace=workplace,
                    title=title,
                    expertise=expertise,
                    mobile=self.people.mobile(),
                    id_number=self.people.id_number(
                        area_code=spec.id_area_code, birth_year=birth_year, gender=gender
                    ),
                )
                members.append(member)
                self.home[id(member)] = home
        # A standing committee of the size the county sets.
        for member in rng.sample(members, round(spec.standing_share * len(members))):
            member.is_standing_committee = True
        # Members of city and province committees who live in the county.
        upper = rng.sample(members, spec.city_members + spec.province_members)
        for i, member in enumerate(upper):
            member.level = Member.Level.CITY if i < spec.city_members else Member.Level.PROVINCE
            member.is_standing_committee = False
        # Featured workstations draw members with the right trade, who take its workplaces.
        self.featured_members: dict[str, list[Member]] = {}
        for ws in self.workstations:
            ws_spec = self.specs[ws.slug]
            if not ws_spec.tag:
                continue
            pool = [m for m in members if m.sector.name in ws_spec.draw and id(m) not in self.tag]
            chosen = rng.sample(pool, min(ws_spec.size, len(pool)))
            for member in chosen:
                self.tag[id(member)] = ws_spec.tag
                if ws_spec.tag in TAG_PROFILES:
                    member.workplace, member.title, member.expertise = self._profile(
                        rng.choice(TAG_PROFILES[ws_spec.tag]), self.home[id(member)].area
                    )
            self.featured_members[ws.slug] = chosen
        upper_names = {Member.Level.CITY: spec.city[1], Member.Level.PROVINCE: spec.province[1]}
        for member in members:
            if member.level == Member.Level.COUNTY:
                seat = f"{spec.short}政协{'常委' if member.is_standing_committee else '委员'}"
            else:
                upper = upper_names[member.level]
                seat = f"{upper}委员（{LEVEL_NAMES[member.level]}，住{spec.short}）"
            member.public_bio = (
                f"{member.name}，{PARTY_NAMES[member.party]}，{seat}。"
                f"现任{member.workplace}{member.title}，长于{member.expertise}。"
                f"驻{self.home[id(member)].name}履职。"
            )
        validate(members)
        bulk_create_with_history(members, Member, reason=DEMO_REASON)
        self.members = members

    def _memberships(self) -> None:
        rng = self.rng
        by_ws: dict[int, list[Member]] = defaultdict(list)
        for member in self.members:
            by_ws[self.home[id(member)].pk].append(member)
        by_sector: dict[str, list[Member]] = defaultdict(list)
        for member in self.members:
            by_sector[member.sector.name].append(member)
        for ws in self.workstations:
            ws_spec = self.specs[ws.slug]
            if ws.kind == Workstation.Kind.SECTOR_ROOM:
                by_ws[ws.pk] = list(by_sector[ws_spec.sector])
            elif ws_spec.tag:
                by_ws[ws.pk] = list(self.featured_members[ws.slug])
            elif ws.kind == Workstation.Kind.CONSULTATION_ROOM:
                parent = ws.area.parent
                neighbours = [
                    m
                    for m in self.members
                    if self.home[id(m)].area_id == (parent.pk if parent else None)
                ]
                by_ws[ws.pk] = rng.sample(neighbours, min(ws_spec.size, len(neighbours)))
            elif ws.kind == Workstation.Kind.ACTIVITY_CENTRE:
                standing = [m for m in self.members if m.is_standing_committee]
                by_ws[ws.pk] = rng.sample(standing, min(ws_spec.size, len(standing)))
        # A convener for every workstation, each member convening at most one; the smallest
        # workstations choose first. Standing-committee and party members come first (党员委员
        # 担任召集人), then chance decides.
        conveners: dict[int, Member] = {}
        deputies: dict[int, Member] = {}
        convening: set[int] = set()
        order = sorted(self.workstations, key=lambda w: (len(by_ws[w.pk]), w.slug))
        for ws in order:
            pool = by_ws[ws.pk]

            def score(m: Member) -> float:
                return (
                    (3 if m.is_standing_committee else 0)
                    + (2 if m.party == Member.Party.CPC else 0)
                    + rng.random() * 3
                    - (100 if m.pk in convening else 0)
                )

            ranked = sorted(pool, key=score, reverse=True)
            conveners[ws.pk] = ranked[0]
            convening.add(ranked[0].pk)
            if len(pool) >= 8:
                deputies[ws.pk] = next(m for m in ranked[1:] if m.pk not in convening)
        rows = []
        for ws in self.workstations:
            since_base = ws.established_on
            for member in by_ws[ws.pk]:
                role = Membership.Role.RESIDENT
                if conveners[ws.pk] is member:
                    role = Membership.Role.CONVENER
                elif deputies.get(ws.pk) is member:
                    role = Membership.Role.DEPUTY
                rows.append(
                    Membership(
                        member=member,
                        workstation=ws,
                        role=role,
                        since=since_base + datetime.timedelta(days=rng.choice([0, 0, 0, 7, 30])),
                    )
                )
        validate(rows)
        bulk_create_with_history(rows, Membership, reason=DEMO_REASON)
        self.ws_members = {pk: sorted(ms, key=lambda m: m.pk) for pk, ms in by_ws.items()}
        self.conveners = conveners
        self.deputies = deputies
        for ws in self.workstations:
            ws.intro = self._intro(ws)
        validate(self.workstations)
        bulk_update_with_history(self.workstations, Workstation, ["intro"], reason=DEMO_REASON)

    def _intro(self, ws: Workstation) -> str:
        ws_spec = self.specs[ws.slug]
        count = len(self.ws_members[ws.pk])
        convener = self.conveners[ws.pk].name
        subjects = "、".join(self.rng.sample(texts.FLAVOURS[ws_spec.flavour]["subjects"], 2))
        established = f"{ws.established_on.year}年{ws.established_on.month}月"
        if ws.kind == Workstation.Kind.CONSULTATION_ROOM:
            text = (
                f"{ws.name}设在{ws.area.name}，{established}建成，由驻地政协委员、村（社区）干部和"
                f"群众代表共同参与，就近商量{subjects}等身边事。"
            )
        elif ws.kind == Workstation.Kind.SECTOR_ROOM:
            text = (
                f"{ws.name}{ws_spec.intro}活动室{established}成立，现有委员{count}名，"
                f"召集人{convener}，围绕{subjects}等开展调研协商和为民服务。"
            )
        elif ws_spec.intro:
            text = f"{ws_spec.intro}现有委员{count}名，召集人{convener}。"
        else:
            text = (
                f"{ws.name}设在{ws.area.name}党群服务中心，{established}揭牌，{count}名驻地委员"
                f"就近入室，召集人{convener}。工作室每月组织一次委员活动，每季度开展一次协商议事，"
                f"围绕{subjects}等群众关心的事情履职尽责。"
            )
        return text

    def account_members(self) -> tuple[Member, Member] | None:
        """The convener and a plain member of the workstation the demo accounts sit in."""
        if self.spec.slug != CONVENER_WORKSTATION[0]:
            return None
        ws = self.by_slug[CONVENER_WORKSTATION[1]]
        convener = self.conveners[ws.pk]
        busy = {m.pk for m in self.conveners.values()} | {m.pk for m in self.deputies.values()}
        plain = next(m for m in self._members_of(ws) if m.pk not in busy)
        return convener, plain

    def _approver(self, ws: Workstation):
        """Who approves a workstation's logs: its convener if they have an account, else staff."""
        return self.users_by_member.get(self.conveners[ws.pk].pk) or self.office_user

"""The county builder, part three: a year of activities, with photos and media reports.

The activities are planned as records, each as far as its review went, and written at once by
``activities_record``; photos are then added to some of them by ``activity_photos_add``.
"""

from __future__ import annotations

import calendar
import datetime

from consultations.models import Activity, Consultation
from consultations.services.activities import ActivityRecord, MediaLink, activities_record
from consultations.services.consultations import StepRecord
from consultations.services.photos import PhotoFile, activity_photos_add
from workstations.models import Area, Workstation

from . import photos, texts
from .base import DEMO_REASON, BuilderBase, aware, fill, month_start
from .people import COMMUNITIES, VILLAGES

Step = Consultation.Step
# How often a workstation meets, by its rhythm: (chance of an activity in a month, of a second).
RHYTHMS = {"strong": (0.88, 0.2), "average": (0.7, 0.08), "lagging": (0.4, 0.0)}
RHYTHMS["stopped"] = RHYTHMS["average"]
STOPPED_MONTHS = 4  # a "stopped" workstation has logged nothing for this many months


class ActivitiesMixin(BuilderBase):
    """Activities month by month, in each workstation's rhythm."""

    # --- activities ----------------------------------------------------------------------------

    def _place(self, ws: Workstation, code: str) -> str:
        """Where an activity of this type is held: at the workstation, or out in its area."""
        rng = self.rng
        area = ws.area
        town = area.name if area else self.spec.seat
        if code in ("theory_study", "reception", "reading", "training"):
            return ws.name
        if ws.kind == Workstation.Kind.CONSULTATION_ROOM:
            if area.kind == Area.Kind.VILLAGE or self.flavour[ws.pk] == "village":
                return town + rng.choice(["村民活动中心", "议事广场", "村民小组"])
            return town + rng.choice(["党群服务中心", "议事广场", "居民小组"])
        if code == "micro_consultation" and rng.random() < 0.6:
            return ws.name
        if area is not None and area.kind == Area.Kind.DEVELOPMENT_ZONE:
            return town + rng.choice(["企业服务中心", "职工之家", "园区广场", "标准化厂房区"])
        if self._is_urban(ws):
            return town + rng.choice([*COMMUNITIES[:6], "文化广场", "党群服务中心"])
        return town + rng.choice(
            [
                rng.choice(VILLAGES),
                rng.choice(VILLAGES),
                "党群服务中心",
                "新时代文明实践所",
                "集镇广场",
                "中心学校",
            ]
        )

    def _activity_text(
        self, ws: Workstation, code: str, day: datetime.date, *, members: int, residents: int
    ) -> tuple[str, str, str]:
        rng = self.rng
        flavour = texts.FLAVOURS[self.flavour[ws.pk]]
        town = ws.area.name if ws.area else self.spec.seat
        place = self._place(ws, code)
        setting = "urban" if self._is_urban(ws) else "rural"
        recent = day >= datetime.date(self.today.year, 3, 15)

        def timely(options: list[str]) -> str:
            return rng.choice(
                [o for o in options if recent or o not in texts.AFTER_SPRING_SESSIONS]
            )

        k = rng.randint(3, 15)
        values = self._ctx(
            town=town,
            place=place,
            ws=ws.name,
            subject=rng.choice(flavour["subjects"]),
            service=rng.choice(flavour["services"]),
            lecture=timely(texts.LECTURES),
            study=timely(texts.STUDIES),
            dispute=rng.choice(texts.DISPUTES[setting]),
            gov_item=rng.choice(texts.GOVERNANCE_ITEMS[setting]),
            project=rng.choice(texts.PROJECTS),
            book=rng.choice(texts.BOOKS),
            training=rng.choice(texts.TRAININGS),
            month=day.month,
            dept=self._dept(ws),
            stake=self._stakeholders(ws),
            spot=town + rng.choice(COMMUNITIES[:6] if setting == "urban" else VILLAGES),
            copies=rng.randint(30, 200),
            m=rng.randint(max(1, members // 2), max(1, members)),
            n=members,
            k=k,
            j=rng.randint(2, k - 1),
            r=residents,
        )
        title, lead = rng.choice(texts.ACTIVITY_TEXTS[code])
        follow = fill(rng.choice(texts.ACTIVITY_FOLLOW_UPS), **values)
        if code in ("theory_study", "reading", "training"):
            follow = ""  # a study session has no residents' problems to follow up
        return fill(title, **values)[:100], place[:100], fill(lead, **values) + follow

    def _type_for(self, ws: Workstation) -> str:
        weights = dict(texts.TYPE_WEIGHTS)
        for code, boost in texts.TYPE_BOOSTS.get(self.flavour[ws.pk], {}).items():
            weights[code] = weights.get(code, 0) + boost
        return self._pick({c: w for c, w in weights.items() if c in self.types})

    def _status(self, day: datetime.date) -> str:
        age = (self.today - day).days
        if age > 45:
            return self._pick({"approved": 96, "returned": 2, "draft": 2})
        if age > 14:
            return self._pick({"approved": 80, "submitted": 12, "returned": 4, "draft": 4})
        return self._pick({"approved": 45, "submitted": 35, "draft": 15, "returned": 5})

    def _activities(self) -> None:
        rng = self.rng
        months = [
            month_start(self.today.year, self.today.month, back) for back in range(11, -1, -1)
        ]
        stop_from = months[-STOPPED_MONTHS]
        planned: list[
            tuple[Workstation, str, datetime.date, tuple[Consultation, StepRecord] | None]
        ] = []
        # The consultation meetings are activities too (微协商).
        for c in self.consultations:
            meeting = next((s for s in self.steps_of[id(c)] if s.step == Step.MEETING), None)
            if meeting is None:
                continue
            ws = c.workstation
            if self.rhythm[ws.pk] == "stopped" and meeting.date >= stop_from:
                continue
            planned.append((ws, "micro_consultation", meeting.date, (c, meeting)))
        for ws in self.workstations:
            rhythm = self.rhythm[ws.pk]
            p_one, p_two = RHYTHMS[rhythm]
            for start in months:
                if rhythm == "stopped" and start >= stop_from:
                    continue
                days = calendar.monthrange(start.year, start.month)[1]
                end = start.replace(day=days)
                p = p_one
                if end > self.today:  # this month is not over yet
                    p *= max(0.3, self.today.day / days)
                for chance in (p, p_two):
                    if rng.random() < chance:
                        planned.append(
                            (ws, self._type_for(ws), self._date_between(start, end), None)
                        )
        records = [self._activity(ws, code, day, meeting) for ws, code, day, meeting in planned]
        self.activities = activities_record(records=records, reason=DEMO_REASON)
        if self.with_photos:
            self._activity_photos()

    def _activity(
        self,
        ws: Workstation,
        code: str,
        day: datetime.date,
        meeting: tuple[Consultation, StepRecord] | None,
    ) -> ActivityRecord:
        """One activity as it was logged, and how far its review went."""
        rng = self.rng
        status = self._status(day)
        people = self._some_members(ws, 2, 8 if code != "theory_study" else 12)
        if meeting is not None:  # the meeting step of a consultation
            c, step = meeting
            residents = step.residents_count
            values = self.c_values[id(c)]
            title = fill(texts.MEETING_TEXT[0], **values)[:100]
            description = fill(texts.MEETING_TEXT[1], **values)
            place = ws.name
        else:
            low, high = texts.TYPE_RESIDENTS[code]
            residents = rng.randint(low, high)
            title, place, description = self._activity_text(
                ws, code, day, members=len(people), residents=residents
            )
        author = self.conveners[ws.pk] if rng.random() < 0.6 else rng.choice(people)
        record = ActivityRecord(
            workstation=ws,
            type=self.types[code],
            title=title,
            date=day,
            place=place,
            residents_served=residents,
            description=description,
            participants=people,
            author=author,
            status=status,
        )
        if status == Activity.Status.DRAFT:
            return record
        record.submitted_at = min(
            aware(day, rng.randint(15, 21)) + datetime.timedelta(days=rng.randint(0, 3)),
            self.now,
        )
        record.submitted_by = self.users_by_member.get(author.pk)
        # The reviewer, and when they returned or approved the log.
        record.approved_by = self._approver(ws)
        if status == Activity.Status.RETURNED:
            record.returned_comment = rng.choice(texts.RETURN_COMMENTS)
            record.approved_at = min(record.submitted_at + datetime.timedelta(days=1), self.now)
        elif status == Activity.Status.APPROVED:
            record.approved_at = min(
                record.submitted_at + datetime.timedelta(days=rng.randint(1, 5), hours=2),
                self.now,
            )
            record.media_links = self._media_links(record)
        return record

    def _media_links(self, record: ActivityRecord) -> list[MediaLink]:
        """A report in the local media on one approved activity in ten ("有活动必有宣传")."""
        rng = self.rng
        if rng.random() > 0.1:
            return []
        return [
            MediaLink(
                url="",
                outlet=rng.choice(self.spec.outlets),
                title=fill(
                    rng.choice(texts.OUTLET_TITLES), title=record.title, brand=self.spec.brand
                )[:150],
                published_on=self._later(record.date, 1, 5) or record.date,
            )
        ]

    def _scene(self, activity: Activity) -> str:
        scene = texts.TYPE_SCENES[activity.type.code]
        rural = not self._is_urban(activity.workstation)
        # Out in the countryside: village streets, and fields for some outdoor services.
        if rural and (scene == "street" or (scene == "outdoor" and self.rng.random() < 0.4)):
            return "village"
        return scene

    def _activity_photos(self) -> None:
        rng = self.rng
        for activity in self.activities:
            if activity.status not in ("approved", "submitted") or rng.random() > 0.2:
                continue
            files = []
            for order in range(1 if rng.random() < 0.7 else 2):
                img = photos.draw_activity_photo(
                    title=activity.title,
                    subtitle=f"{activity.date:%Y-%m-%d} · {activity.place}",
                    scene=self._scene(activity),
                    seed=rng.randrange(1 << 30),
                )
                caption = activity.title if order == 0 else f"{activity.place}活动现场"
                files.append(
                    PhotoFile(
                        image=photos.jpeg_bytes(img),
                        thumbnail=photos.thumbnail_bytes(img),
                        caption=caption[:100],
                    )
                )
            activity_photos_add(activity=activity, files=files)

"""The county builder, part three: a year of activities, with photos and media reports."""

from __future__ import annotations

import calendar
import datetime

from simple_history.utils import bulk_create_with_history

from consultations.models import (
    Activity,
    ActivityPhoto,
    ActivityReview,
    Consultation,
    ConsultationStep,
    MediaReport,
)
from members.models import Member
from workstations.models import Area, Workstation

from . import photos, texts
from .base import BuilderBase, aware, fill, month_start, q, store_file, validate
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
            tuple[Workstation, str, datetime.date, tuple[Consultation, ConsultationStep] | None]
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
        rows: list[Activity] = []
        participants: list[tuple[Activity, list[Member]]] = []
        reviews: list[ActivityReview] = []
        for ws, code, day, meeting in planned:
            status = self._status(day)
            people = self._some_members(ws, 2, 8 if code != "theory_study" else 12)
            if meeting is not None:  # the meeting step of a consultation
                c, meeting = meeting
                residents = meeting.residents_count
                values = self.c_values[id(c)]
                text_title = fill(texts.MEETING_TEXT[0], **values)[:100]
                description = fill(texts.MEETING_TEXT[1], **values)
                place = ws.name
            else:
                low, high = texts.TYPE_RESIDENTS[code]
                residents = rng.randint(low, high)
                text_title, place, description = self._activity_text(
                    ws, code, day, members=len(people), residents=residents
                )
            author = self.conveners[ws.pk] if rng.random() < 0.6 else rng.choice(people)
            activity = Activity(
                workstation=ws,
                type=self.types[code],
                title=text_title,
                date=day,
                place=place,
                residents_served=residents,
                description=description,
                status=status,
                author=author,
            )
            if status != "draft":
                activity.submitted_at = min(
                    aware(day, rng.randint(15, 21)) + datetime.timedelta(days=rng.randint(0, 3)),
                    self.now,
                )
                reviews.append(
                    ActivityReview(
                        activity=activity,
                        action=ActivityReview.Action.SUBMITTED,
                        at=activity.submitted_at,
                        by=self.users_by_member.get(author.pk),
                    )
                )
            if status == "returned":
                activity.review_comment = rng.choice(texts.RETURN_COMMENTS)
                reviews.append(
                    ActivityReview(
                        activity=activity,
                        action=ActivityReview.Action.RETURNED,
                        at=min(activity.submitted_at + datetime.timedelta(days=1), self.now),
                        by=self._approver(ws),
                        comment=activity.review_comment,
                    )
                )
            if status == "approved":
                activity.approved_at = min(
                    activity.submitted_at + datetime.timedelta(days=rng.randint(1, 5), hours=2),
                    self.now,
                )
                activity.approved_by = self._approver(ws)
                reviews.append(
                    ActivityReview(
                        activity=activity,
                        action=ActivityReview.Action.APPROVED,
                        at=activity.approved_at,
                        by=activity.approved_by,
                    )
                )
            rows.append(activity)
            participants.append((activity, people))
        validate(rows)
        bulk_create_with_history(rows, Activity, batch_size=500)
        for activity in rows:
            activity.created_at = activity.submitted_at or aware(activity.date, 20)
        Activity.objects.bulk_update(rows, ["created_at"], batch_size=200)
        through = Activity.participants.through
        through.objects.bulk_create(
            [
                through(activity_id=a.pk, member_id=m.pk)
                for a, people in participants
                for m in people
            ],
            batch_size=1000,
        )
        for review in reviews:
            review.activity_id = review.activity.pk
        ActivityReview.objects.bulk_create(reviews, batch_size=500)
        self.activities = rows
        self._media_reports()
        if self.with_photos:
            self._activity_photos()

    def _media_reports(self) -> None:
        rng = self.rng
        rows = []
        for activity in self.activities:
            if activity.status != "approved" or rng.random() > 0.1:
                continue
            published = self._later(activity.date, 1, 5) or activity.date
            rows.append(
                MediaReport(
                    activity=activity,
                    outlet=rng.choice(self.spec.outlets),
                    title=fill(
                        rng.choice(texts.OUTLET_TITLES), title=activity.title, brand=self.spec.brand
                    )[:150],
                    published_on=published,
                )
            )
        for c in self.consultations:
            if (
                c.stage >= 3
                and c.is_published
                and rng.random() < self.spec.consultation_media_share
            ):
                meeting = self.step_dates[id(c)][Step.MEETING]
                rows.append(
                    MediaReport(
                        consultation=c,
                        outlet=rng.choice(self.spec.outlets),
                        title=f"{c.workstation.name}：把{q(c.topic)}摆上协商桌"[:150],
                        published_on=self._later(meeting, 1, 6) or meeting,
                    )
                )
        validate(rows)
        MediaReport.objects.bulk_create(rows, batch_size=500)
        self.media_reports = rows

    def _scene(self, activity: Activity) -> str:
        scene = texts.TYPE_SCENES[activity.type.code]
        rural = not self._is_urban(activity.workstation)
        # Out in the countryside: village streets, and fields for some outdoor services.
        if rural and (scene == "street" or (scene == "outdoor" and self.rng.random() < 0.4)):
            return "village"
        return scene

    def _activity_photos(self) -> None:
        rng = self.rng
        rows = []
        for activity in self.activities:
            if activity.status not in ("approved", "submitted") or rng.random() > 0.2:
                continue
            for order in range(1 if rng.random() < 0.7 else 2):
                seed = rng.randrange(1 << 30)
                img = photos.draw_activity_photo(
                    title=activity.title,
                    subtitle=f"{activity.date:%Y-%m-%d} · {activity.place}",
                    scene=self._scene(activity),
                    seed=seed,
                )
                base = f"activities/{activity.date:%Y/%m}"
                stem = f"demo-{self.spec.slug}-{activity.pk}-{order + 1}.jpg"
                rows.append(
                    ActivityPhoto(
                        activity=activity,
                        image=store_file(f"{base}/{stem}", photos.jpeg_bytes(img)),
                        thumbnail=store_file(f"{base}/thumbs/{stem}", photos.thumbnail_bytes(img)),
                        caption=activity.title[:100]
                        if order == 0
                        else f"{activity.place}活动现场"[:100],
                        order=order,
                    )
                )
        ActivityPhoto.objects.bulk_create(rows, batch_size=500)
        self.photo_count = len(rows)

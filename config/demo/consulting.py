"""The county builder, part two: residents' messages and consultations step by step."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from consultations.models import Consultation, ConsultationStep, PublicMessage
from members.models import Member
from workstations.models import Workstation

from . import texts
from .base import BuilderBase, aware, fill, month_start, q, validate
from .counties import Story
from .people import VILLAGES

TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
Step = Consultation.Step
# Days between one step of a consultation and the next: (fewest, most).
STEP_GAPS = {2: (5, 20), 3: (7, 25), 4: (2, 8), 5: (3, 12), 6: (15, 45), 7: (15, 60), 8: (20, 60)}
STORY_GAPS = {2: (5, 10), 3: (5, 12), 4: (2, 4), 5: (2, 6), 6: (10, 20), 7: (10, 25), 8: (10, 20)}


class ConsultingMixin(BuilderBase):
    """Residents' messages and the consultations (协商议事), each step dated."""

    # --- residents' messages -----------------------------------------------------------------

    def _tracking_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(TRACKING_ALPHABET) for _ in range(10))
            if code not in self.tracking_codes:
                self.tracking_codes.add(code)
                return code

    def _messages(self) -> None:
        rng = self.rng
        categories = {
            "livelihood": 25,
            "traffic": 20,
            "environment": 18,
            "health": 10,
            "education": 10,
            "economy": 9,
            "other": 8,
        }
        rows: list[PublicMessage] = []
        created: dict[int, datetime.datetime] = {}
        for ws in self.workstations:
            few = ws.kind == Workstation.Kind.CONSULTATION_ROOM
            for _ in range(rng.randint(1, 4) if few else rng.randint(2, 6)):
                day = self._date_between(self.window_start, self.today)
                when = aware(day, rng.randint(7, 22), rng.randint(0, 59))
                if when > self.now:
                    when = self.now - datetime.timedelta(hours=rng.randint(1, 6))
                age = (self.today - day).days
                if age < 10:
                    status = self._pick({"new": 50, "in_progress": 30, "answered": 20})
                else:
                    status = self._pick(
                        {"closed": 50, "answered": 25, "in_progress": 12, "hidden": 6, "new": 7}
                    )
                category = self._pick(categories)
                town = ws.area.name if ws.area else self.spec.seat
                if status == "hidden":
                    text, category = rng.choice(texts.SPAM_MESSAGES), "other"
                else:
                    text = fill(
                        rng.choice(texts.MESSAGES[category]),
                        town=town,
                        village=rng.choice(VILLAGES)
                        if self.flavour[ws.pk] != "community"
                        else "小区",
                    )
                message = PublicMessage(
                    workstation=ws,
                    tracking_code=self._tracking_code(),
                    name=self.people.caller(),
                    mobile=self.people.mobile(),
                    category=category,
                    text=text,
                    reply_may_be_published=rng.random() < 0.6,
                    status=status,
                )
                if status in ("answered", "closed"):
                    key = "other" if category == "other" else status
                    dept = fill(
                        rng.choice(texts.CATEGORY_DEPARTMENTS[category]),
                        **self._ctx(town_gov=self._town_government(ws)),
                    )
                    message.reply = fill(rng.choice(texts.REPLIES[key]), dept=dept)
                    message.replied_at = min(
                        when + datetime.timedelta(days=rng.randint(1, 8), hours=rng.randint(1, 6)),
                        self.now,
                    )
                if status == "closed":
                    message.closed_at = min(
                        message.replied_at + datetime.timedelta(days=rng.randint(1, 12)), self.now
                    )
                    if rng.random() < 0.8:
                        message.rating = rng.choices([5, 4, 3, 2, 1], weights=[60, 28, 8, 2, 2])[0]
                        message.rated_at = min(
                            message.closed_at + datetime.timedelta(days=rng.randint(0, 4)),
                            self.now,
                        )
                rows.append(message)
                created[id(message)] = when
        validate(rows)
        bulk_create_with_history(rows, PublicMessage, batch_size=500)
        for message in rows:
            message.created_at = created[id(message)]
        PublicMessage.objects.bulk_update(rows, ["created_at"], batch_size=200)
        self.messages_by_ws: dict[int, list[PublicMessage]] = defaultdict(list)
        for message in rows:
            self.messages_by_ws[message.workstation_id].append(message)
        self.message_rows = rows

    # --- consultations -------------------------------------------------------------------------

    def _quarters(self) -> list[tuple[datetime.date, datetime.date]]:
        """Calendar quarters that overlap the year of the demo, oldest first."""
        quarters = []
        first = datetime.date(
            self.window_start.year, ((self.window_start.month - 1) // 3) * 3 + 1, 1
        )
        start = first
        while start <= self.today:
            end_month = start.month + 2
            end = datetime.date(
                start.year, end_month, calendar.monthrange(start.year, end_month)[1]
            )
            quarters.append((max(start, self.window_start), end))
            start = month_start(start.year, start.month, -3)
        return quarters

    def _topics(self, ws: Workstation) -> list[str]:
        ws_spec = self.specs[ws.slug]
        flavour = texts.FLAVOURS[ws_spec.flavour]
        town = ws.area.name if ws.area else self.spec.seat
        topics = []
        for template in flavour["topics"]:
            topic = fill(template, **self._ctx(town=town))
            if (
                ws.category == Workstation.Category.AREA
                and "{town}" not in template
                and ws.kind != Workstation.Kind.ACTIVITY_CENTRE
            ):
                topic = town + topic
            topics.append(topic)
        self.rng.shuffle(topics)
        return topics

    def _consultations(self) -> None:
        rng = self.rng
        quarters = self._quarters()
        full = [
            (start, end)
            for start, end in quarters
            if start.day == 1 and start.month % 3 == 1 and end < self.today
        ]
        consultations: list[Consultation] = []
        self.story_of: dict[int, Story] = {}
        taken: list[PublicMessage] = []
        for ws in self.workstations:
            rhythm = self.rhythm[ws.pk]
            stories = {full[min(s.quarter, len(full) - 1)]: s for s in self.specs[ws.slug].stories}
            topics = [t for t in self._topics(ws) if t not in {s.topic for s in stories.values()}]
            chance = {"strong": 0.95, "average": 0.72, "lagging": 0.35, "stopped": 0.7}[rhythm]
            for qi, quarter in enumerate(quarters):
                story = stories.get(quarter)
                if not story:
                    if quarter[0] == self.window_start and quarter[0].month % 3 != 1:
                        chance_here = chance * 0.4  # the tail of last year's last quarter
                    else:
                        chance_here = chance
                    if rhythm == "stopped" and qi >= len(quarters) - 2:
                        continue
                    if rng.random() > chance_here or not topics:
                        continue
                q_start, q_end = quarter
                latest = min(q_end, self.today - datetime.timedelta(days=3))
                if story:
                    opened = q_start + datetime.timedelta(days=rng.randint(0, 20))
                else:
                    opened = self._date_between(
                        q_start, min(latest, q_start + datetime.timedelta(days=55))
                    )
                if opened > self.today:
                    continue
                topic = story.topic if story else topics.pop()
                source = (
                    story.source
                    if story
                    else self._pick({"government": 30, "residents": 40, "members": 30})
                )
                consultation = Consultation(
                    workstation=ws,
                    topic=topic,
                    topic_source=source,
                    opened_on=opened,
                    opened_by=self.conveners[ws.pk]
                    if rng.random() < 0.7
                    else rng.choice(self._members_of(ws)),
                )
                if source == "residents":
                    earlier = [
                        m
                        for m in self.messages_by_ws[ws.pk]
                        if timezone.localdate(m.created_at) < opened
                        and m.status != "hidden"
                        and m not in taken
                    ]
                    if earlier and rng.random() < 0.6:
                        consultation.source_message = rng.choice(earlier)
                        taken.append(consultation.source_message)
                if story:
                    self.story_of[id(consultation)] = story
                consultations.append(consultation)
        # Steps, dated in order; a consultation stops where time (or chance) runs out.
        step_rows: list[ConsultationStep] = []
        step_members: list[tuple[ConsultationStep, list[Member]]] = []
        for consultation in consultations:
            ws = consultation.workstation
            story = self.story_of.get(id(consultation))
            if story:
                target = 8 if (story.implemented or story.solved) else 6
                gaps = STORY_GAPS
            else:
                target = self._pick({3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 8: 3})
                gaps = STEP_GAPS
            self.c_values[id(consultation)] = self._consultation_values(consultation)
            dates = {1: consultation.opened_on}
            for step in range(2, target + 1):
                day = self._later(dates[step - 1], *gaps[step])
                if day is None:
                    break
                dates[step] = day
            consultation.stage = max(dates)
            consultation.problem_solved = (
                story.solved if story else (consultation.stage >= 7 and rng.random() < 0.6)
            )
            consultation.is_published = consultation.stage >= 3 and rng.random() < 0.95
            consultation.description = self._consultation_background(consultation)
            self.step_dates[id(consultation)] = dates
            for step, day in dates.items():
                row, members = self._step(consultation, step, day)
                self.steps_of[id(consultation)].append(row)
                step_rows.append(row)
                step_members.append((row, members))
        validate(consultations)
        bulk_create_with_history(consultations, Consultation, batch_size=500)
        for consultation in consultations:
            consultation.created_at = aware(consultation.opened_on, 10)
        Consultation.objects.bulk_update(consultations, ["created_at"], batch_size=200)
        for row in step_rows:
            row.consultation_id = row.consultation.pk
        validate(step_rows)
        bulk_create_with_history(step_rows, ConsultationStep, batch_size=500)
        through = ConsultationStep.members.through
        through.objects.bulk_create(
            [
                through(consultationstep_id=row.pk, member_id=m.pk)
                for row, members in step_members
                for m in members
            ],
            batch_size=1000,
        )
        self.consultations = consultations
        self._messages_follow_consultations()

    def _consultation_background(self, c: Consultation) -> str:
        if c.topic_source == "government":
            return (
                f"{self.spec.party_government}年度协商计划确定的议题，"
                f"由{c.workstation.name}牵头组织协商。"
            )
        if c.topic_source == "residents":
            return "多名群众在委员接待日和留言中反映这一问题，工作室决定把它拿到协商桌上来商量。"
        return "驻室委员在走访中发现这一问题，联名提出协商建议，经召集人会议研究确定。"

    def _submitted_to(self, ws: Workstation, dept: str) -> str:
        town = ws.area.name if ws.area else self.spec.seat
        templates = list(self.spec.submit_to)
        if ws.category != Workstation.Category.AREA:
            templates = [t for t in templates if "{town}" not in t]
        return fill(self.rng.choice(templates), town=town, department=dept)

    def _consultation_values(self, c: Consultation) -> dict:
        """The facts of one consultation that all its steps tell the same way."""
        rng = self.rng
        story = self.story_of.get(id(c))
        # The department that comes to the meeting, and the one that answers (the same one,
        # unless the story says who took the opinions up).
        dept = self._dept(c.workstation)
        j = rng.randint(3, 8)
        values = {
            "topic": q(c.topic)[1:-1],
            "body": self.spec.party_government,
            "g": rng.randint(2, 4),
            "k": rng.randint(12, 80),
            "j": j,
            "q": rng.randint(40, 200),
            "r": rng.randint(8, 40),
            "a": rng.randint(max(1, j - 3), j),
            "dept": dept,
            "responder": story.adopted_by if story and story.adopted_by else dept,
            "stake": self._stakeholders(c.workstation),
            "measure": rng.choice(texts.MEASURES),
        }
        values["submitted_to"] = (
            story.submitted_to if story else self._submitted_to(c.workstation, dept)
        )
        return values

    def _step(
        self, c: Consultation, step: int, day: datetime.date
    ) -> tuple[ConsultationStep, list[Member]]:
        ws = c.workstation
        story = self.story_of.get(id(c))
        values = self.c_values[id(c)]
        dept = values["dept"]
        row = ConsultationStep(consultation=c, step=step, date=day)
        members: list[Member] = []
        if step == 1:
            row.summary = fill(texts.STEP_SUMMARIES[c.topic_source], **values)
            members = [c.opened_by] if c.opened_by else []
        else:
            row.summary = fill(texts.STEP_SUMMARIES[step], **values)
        if step == 2:
            members = self._some_members(ws, 2, 5)
        elif step == 3:
            members = self._some_members(ws, 3, 7)
            row.departments = dept
            row.stakeholders = values["stake"]
            row.residents_count = values["r"]
        elif step == 5:
            row.submitted_to = values["submitted_to"]
            members = [self.conveners[ws.pk]]
        elif step == 6:
            row.departments = values["responder"]
            row.summary = fill(texts.STEP_SUMMARIES[6], **{**values, "dept": row.departments})
        elif step == 7 and story and story.implemented:
            department, measure, _money = story.implemented
            row.departments = department
            row.summary = f"相关建议已纳入{department}工作安排：{measure}。"
        elif step == 8:
            members = [self.conveners[ws.pk]]
        return row, [m for m in members if m is not None]

    def _messages_follow_consultations(self) -> None:
        """A message taken up as a topic is being handled, and says so in its reply."""
        changed = []
        for c in self.consultations:
            message = c.source_message
            if message is None:
                continue
            if message.status in ("new", "hidden"):
                message.status = "in_progress"
            if message.status in ("in_progress", "answered"):
                message.status = "answered" if c.stage >= 3 else "in_progress"
                if message.status == "answered":
                    message.reply = texts.REPLIES["topic"][0]
                    message.replied_at = aware(c.opened_on, 16)
            changed.append(message)
        if changed:
            validate(changed)
            PublicMessage.objects.bulk_update(
                changed, ["status", "reply", "replied_at"], batch_size=200
            )

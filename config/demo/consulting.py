"""The county builder, part two: residents' messages and consultations step by step.

Both are planned first, as the records the services take (a message and each move it made; a
consultation and each step it recorded), and then written by ``messages_record`` and
``consultations_record``: a consultation takes up a resident's message as its topic, and the
message is answered through ``message_answer`` once the consultation has met.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from django.utils import timezone

from consultations.models import Consultation, PublicMessage
from consultations.services.activities import MediaLink
from consultations.services.consultations import (
    ConsultationRecord,
    StepRecord,
    consultations_record,
)
from consultations.services.messages import (
    MessageMove,
    MessageRecord,
    message_answer,
    messages_record,
)
from members.models import Member
from workstations.models import Workstation

from . import texts
from .base import DEMO_REASON, BuilderBase, aware, fill, month_start, q
from .counties import Story
from .people import VILLAGES

Status = PublicMessage.Status
Step = Consultation.Step
# Days between one step of a consultation and the next: (fewest, most).
STEP_GAPS = {2: (5, 20), 3: (7, 25), 4: (2, 8), 5: (3, 12), 6: (15, 45), 7: (15, 60), 8: (20, 60)}
STORY_GAPS = {2: (5, 10), 3: (5, 12), 4: (2, 4), 5: (2, 6), 6: (10, 20), 7: (10, 25), 8: (10, 20)}


class ConsultingMixin(BuilderBase):
    """Residents' messages and the consultations (协商议事), each step dated."""

    # --- residents' messages -----------------------------------------------------------------

    def _messages(self) -> None:
        """Plan the residents' messages of the year, each with what became of it; they are
        written once the consultations have chosen which of them to take up as topics."""
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
        self.message_plans: list[MessageRecord] = []
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
                plan = MessageRecord(
                    workstation=ws,
                    at=when,
                    name=self.people.caller(),
                    mobile=self.people.mobile(),
                    category=category,
                    text=text,
                    reply_may_be_published=rng.random() < 0.6,
                )
                plan.moves = self._message_moves(plan, status)
                self.message_plans.append(plan)

    def _message_moves(self, plan: MessageRecord, status: str) -> list[MessageMove]:
        """The moves that brought a message to ``status``, each dated after the one before (and
        the resident's rating, on the plan, for four closed messages in five)."""
        rng, ws, when = self.rng, plan.workstation, plan.at
        if status == Status.NEW:
            return []
        if status in (Status.IN_PROGRESS, Status.HIDDEN):
            return [
                MessageMove(
                    status, min(when + datetime.timedelta(hours=rng.randint(1, 30)), self.now)
                )
            ]
        key = "other" if plan.category == "other" else status
        dept = fill(
            rng.choice(texts.CATEGORY_DEPARTMENTS[plan.category]),
            **self._ctx(town_gov=self._town_government(ws)),
        )
        reply = fill(rng.choice(texts.REPLIES[key]), dept=dept)
        replied = min(
            when + datetime.timedelta(days=rng.randint(1, 8), hours=rng.randint(1, 6)), self.now
        )
        moves = [MessageMove(Status.ANSWERED, replied, reply)]
        if status == Status.CLOSED:
            closed = min(replied + datetime.timedelta(days=rng.randint(1, 12)), self.now)
            moves.append(MessageMove(Status.CLOSED, closed, reply))
            if rng.random() < 0.8:
                plan.rating = rng.choices([5, 4, 3, 2, 1], weights=[60, 28, 8, 2, 2])[0]
                plan.rated_at = min(closed + datetime.timedelta(days=rng.randint(0, 4)), self.now)
        return moves

    def _status_of(self, plan: MessageRecord) -> str:
        return plan.moves[-1].status if plan.moves else Status.NEW

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
        plans: list[ConsultationRecord] = []
        self.story_of: dict[int, Story] = {}
        taken: dict[int, MessageRecord] = {}  # id(consultation plan) → the message it takes up
        messages_by_ws: dict[int, list[MessageRecord]] = defaultdict(list)
        for message in self.message_plans:
            messages_by_ws[message.workstation.pk].append(message)
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
                plan = ConsultationRecord(
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
                        for m in messages_by_ws[ws.pk]
                        if timezone.localdate(m.at) < opened
                        and self._status_of(m) != Status.HIDDEN
                        and m not in taken.values()
                    ]
                    if earlier and rng.random() < 0.6:
                        taken[id(plan)] = rng.choice(earlier)
                if story:
                    self.story_of[id(plan)] = story
                plans.append(plan)
        # Steps, dated in order; a consultation stops where time (or chance) runs out.
        for plan in plans:
            story = self.story_of.get(id(plan))
            if story:
                target = 8 if (story.implemented or story.solved) else 6
                gaps = STORY_GAPS
            else:
                target = self._pick({3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 8: 3})
                gaps = STEP_GAPS
            self.c_values[id(plan)] = self._consultation_values(plan)
            dates = {1: plan.opened_on}
            for step in range(2, target + 1):
                day = self._later(dates[step - 1], *gaps[step])
                if day is None:
                    break
                dates[step] = day
            stage = max(dates)
            if story:
                solved = story.solved and stage >= Step.IMPLEMENTATION
            else:
                solved = stage >= Step.IMPLEMENTATION and rng.random() < 0.6
            plan.is_published = stage >= 3 and rng.random() < 0.95
            plan.description = self._consultation_background(plan)
            plan.summary = fill(texts.STEP_SUMMARIES[plan.topic_source], **self.c_values[id(plan)])
            self.step_dates[id(plan)] = dates
            plan.steps = [self._step(plan, step, day) for step, day in dates.items() if step > 1]
            if plan.steps:
                # The last step recorded says whether the problem was solved.
                plan.steps[-1].problem_solved = solved
            self.steps_of[id(plan)] = [
                StepRecord(step=1, date=plan.opened_on, summary=plan.summary),
                *plan.steps,
            ]
            plan.media_links = self._consultation_media(plan)
        self._write_consultations(plans, taken)

    def _consultation_media(self, plan: ConsultationRecord) -> list[MediaLink]:
        """A report in the local media on some of the consultations that met and are shown."""
        meeting = self.step_dates[id(plan)].get(Step.MEETING)
        if not (meeting and plan.is_published) or (
            self.rng.random() >= self.spec.consultation_media_share
        ):
            return []
        return [
            MediaLink(
                url="",
                outlet=self.rng.choice(self.spec.outlets),
                title=f"{plan.workstation.name}：把{q(plan.topic)}摆上协商桌"[:150],
                published_on=self._later(meeting, 1, 6) or meeting,
            )
        ]

    def _write_consultations(
        self, plans: list[ConsultationRecord], taken: dict[int, MessageRecord]
    ) -> None:
        """Write the messages, then the consultations (taking up their messages), then answer
        the messages whose consultation has met; the builder's tables follow the stored rows."""
        for message in taken.values():
            # A message taken up as a topic waits for the consultation, which moves it on.
            message.moves, message.rating, message.rated_at = [], None, None
        message_rows = messages_record(records=self.message_plans, reason=DEMO_REASON)
        stored = {id(plan): row for plan, row in zip(self.message_plans, message_rows, strict=True)}
        for plan in plans:
            if id(plan) in taken:
                plan.source_message = stored[id(taken[id(plan)])]
        consultations = consultations_record(records=plans, reason=DEMO_REASON)
        for plan, c in zip(plans, consultations, strict=True):
            # The tables planned under the record now belong to the consultation.
            for table in (self.story_of, self.c_values, self.step_dates, self.steps_of):
                if id(plan) in table:
                    table[id(c)] = table.pop(id(plan))
            if c.source_message is not None and c.stage >= Step.MEETING:
                message_answer(
                    message=c.source_message,
                    reply=texts.REPLIES["topic"][0],
                    at=min(aware(c.opened_on, 16), self.now),
                )
        self.consultations = consultations
        self.message_rows = message_rows

    def _consultation_background(self, c: Consultation | ConsultationRecord) -> str:
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

    def _consultation_values(self, c: ConsultationRecord) -> dict:
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

    def _step(self, c: ConsultationRecord, step: int, day: datetime.date) -> StepRecord:
        """What one step after the opening records, and who took part."""
        ws = c.workstation
        story = self.story_of.get(id(c))
        values = self.c_values[id(c)]
        dept = values["dept"]
        row = StepRecord(step=step, date=day, summary=fill(texts.STEP_SUMMARIES[step], **values))
        members: list[Member] = []
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
        row.members = [m for m in members if m is not None]
        return row

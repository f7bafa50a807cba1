"""The county builder, part four: outcomes and their trails, standards checks, photos.

Outcomes are planned as records — members' drafts and submissions, and the office's own
bulletins — and written by ``outcomes_record``; what became of them (adopted, endorsed, put into
effect, solved) by ``outcome_trail_record``. Standards checks and workstation photos belong to
the register, written in bulk through ``workstations.history``.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from consultations.models import Consultation
from members.models import Member
from outcomes.models import Endorsement, Outcome, OutcomeEvent
from outcomes.services.outcomes import (
    EndorsementRecord,
    EventRecord,
    OutcomeRecord,
    outcome_trail_record,
    outcomes_record,
)
from workstations.history import bulk_create_with_history
from workstations.models import StandardCheck, StandardItem, Workstation, WorkstationPhoto

from . import photos, texts
from .base import DEMO_REASON, BuilderBase, fill, q, store_file, validate
from .counties import Story
from .people import SURNAMES

Step = Consultation.Step


class ResultsMixin(BuilderBase):
    """Outcomes, adoptions, endorsements, standards checks and workstation photos."""

    # --- outcomes --------------------------------------------------------------------------------

    def _body(self, count: int) -> tuple[str, list[str]]:
        picks = self.rng.sample(texts.SUGGESTIONS, count)
        ordinals = "一二三四五"
        body = "；".join(f"{ordinals[i]}是{s}" for i, s in enumerate(picks)) + "。"
        return body, picks

    def _outcome(
        self,
        *,
        kind: str,
        title: str,
        ws: Workstation | None,
        consultation: Consultation | None = None,
        submitted_on: datetime.date | None,
        submitted_to: str = "",
        authors: list[Member] | None = None,
        topic: str = "",
        summary: str = "",
    ) -> OutcomeRecord:
        body, picks = self._body(self.rng.randint(3, 5))
        topic = topic or (consultation.topic if consultation else title)
        values = {
            "ws": ws.name if ws else self.county.name,
            "topic": topic,
            "qtopic": q(topic),
            "n": len(picks),
            "first": picks[0],
        }
        authors = authors or []
        outcome = OutcomeRecord(
            # An outcome with no member author is the office's own (an information bulletin).
            committee=self.county,
            author=authors[0] if authors else None,
            co_authors=authors[1:],
            workstation=ws,
            consultation=consultation,
            kind=kind,
            title=title[:150],
            summary=fill(texts.OUTCOME_SUMMARIES[summary or kind], **values),
            body=f"针对{topic}，建议：{body}",
            submitted_on=submitted_on,
            submitted_to=submitted_to if submitted_on else "",
            is_published=bool(submitted_on) and self.rng.random() < 0.88,
        )
        self.outcome_plans.append(outcome)
        return outcome

    def _typical_case(self, c: Consultation, dates: dict[int, datetime.date]) -> OutcomeRecord:
        ws = c.workstation
        story = self.story_of.get(id(c))
        members = self._some_members(ws, 2, 4)
        meeting = next(s for s in self.steps_of[id(c)] if s.step == Step.MEETING)
        outcome = self._outcome(
            kind=Outcome.Kind.TYPICAL_CASE,
            title=fill(texts.OUTCOME_TITLES["typical_case"], ws=ws.name, topic=q(c.topic)[1:-1]),
            ws=ws,
            consultation=c,
            submitted_on=max(dates.values()),
            submitted_to=f"{self.spec.short}政协办公室",
            authors=members,
        )
        outcome.is_published = True
        case = outcome.case
        case["background"] = (
            f"{q(c.topic)}是{ws.area.name if ws.area else self.spec.short}群众关心的一件实事。"
            f"{self._consultation_background(c)}"
        )
        case["participants_text"] = (
            f"{ws.name}委员{'、'.join(m.name for m in members)}等；{meeting.departments}；"
            f"{meeting.stakeholders}；群众代表{meeting.residents_count}人。"
        )

        def on(step: int) -> str:
            day = dates[step]
            return f"{day.year}年{day.month}月{day.day}日"

        steps = [
            f"{on(Step.TOPIC)}确定议题",
            f"{on(Step.RESEARCH)}起开展调研",
            f"{on(Step.MEETING)}召开协商议事会",
        ]
        if Step.SUBMISSION in dates:
            steps.append(f"{on(Step.SUBMISSION)}报送协商意见")
        if Step.RESPONSE in dates:
            steps.append(f"{on(Step.RESPONSE)}收到办理答复")
        case["process"] = (
            "按照“议题产生—调查研究—协商议事—形成意见—报送—办理反馈—成果转化”的步骤推进："
            + "，".join(steps)
            + "。"
        )
        case["opinions"] = outcome.body
        if story and story.implemented:
            effect = f"{story.implemented[0]}采纳协商意见，{story.implemented[1]}。"
        else:
            effect = f"{meeting.departments}采纳了大部分建议，{self.rng.choice(texts.MEASURES)}。"
        case["effect"] = effect + "群众反映的问题得到解决，回访满意度明显提升。"
        return outcome

    def _outcomes(self) -> None:
        rng, spec = self.rng, self.spec
        self.outcome_plans: list[OutcomeRecord] = []
        self.outcome_story: dict[int, Story] = {}
        for c in self.consultations:
            ws = c.workstation
            dates = self.step_dates[id(c)]
            story = self.story_of.get(id(c))
            authors = self._some_members(ws, 1, 3)
            if story:
                kind = story.outcome_kind
                outcome = self._outcome(
                    kind=kind,
                    title=fill(texts.OUTCOME_TITLES[kind], topic=c.topic),
                    ws=ws,
                    consultation=c,
                    submitted_on=dates.get(Step.SUBMISSION),
                    submitted_to=story.submitted_to,
                    authors=authors,
                )
                self.outcome_story[id(outcome)] = story
                if story.typical_case and c.stage >= Step.IMPLEMENTATION:
                    self._typical_case(c, dates)
                continue
            if c.stage >= Step.SUBMISSION:
                kind = self._pick({"consultation_report": 65, "public_opinion": 35})
                self._outcome(
                    kind=kind,
                    title=fill(texts.OUTCOME_TITLES[kind], topic=c.topic),
                    ws=ws,
                    consultation=c,
                    submitted_on=dates[Step.SUBMISSION],
                    submitted_to=next(
                        s.submitted_to for s in self.steps_of[id(c)] if s.step == Step.SUBMISSION
                    ),
                    authors=authors,
                )
            elif c.stage == Step.OPINIONS and rng.random() < 0.4:
                self._outcome(
                    kind=Outcome.Kind.CONSULTATION_REPORT,
                    title=fill(texts.OUTCOME_TITLES["consultation_report"], topic=c.topic),
                    ws=ws,
                    consultation=c,
                    submitted_on=None,
                    authors=authors,
                )
            if (
                c.problem_solved
                and c.stage >= Step.IMPLEMENTATION
                and rng.random() < spec.typical_case_share
            ):
                self._typical_case(c, dates)
        year_start = self.window_start
        for ws in self.workstations:
            flavour = texts.FLAVOURS[self.flavour[ws.pk]]
            town = ws.area.name if ws.area else spec.seat
            # Public-opinion information (社情民意信息), a proposal now and then, research reports.
            count = self._poissonish(spec.public_opinion_per_ws)
            for subject in rng.sample(flavour["subjects"], min(count, len(flavour["subjects"]))):
                topic = subject if ws.category != Workstation.Category.AREA else town + subject
                self._outcome(
                    kind=Outcome.Kind.PUBLIC_OPINION,
                    title=fill(texts.OUTCOME_TITLES["public_opinion"], topic=topic),
                    topic=topic,
                    ws=ws,
                    submitted_on=self._date_between(year_start, self.today),
                    submitted_to=f"{spec.short}政协办公室",
                    authors=self._some_members(ws, 1, 2),
                )
            if rng.random() < 0.35:
                # Proposals are tabled at the annual session, early in the year.
                session = datetime.date(self.today.year, 1, 10)
                topic = rng.choice(self._topics(ws))
                self._outcome(
                    kind=Outcome.Kind.PROPOSAL,
                    title=fill(texts.OUTCOME_TITLES["proposal"], topic=topic),
                    topic=topic,
                    ws=ws,
                    submitted_on=self._date_between(session, session + datetime.timedelta(days=50)),
                    submitted_to=f"{spec.short}政协提案委员会",
                    authors=self._some_members(ws, 1, 3),
                )
        # Research reports by sector rooms and featured workstations, some sent up to the city
        # committee (铜官 sent eight in a year).
        candidates = [w for w in self.workstations if w.category != Workstation.Category.AREA]
        chosen = [w for w in candidates if rng.random() < 0.3]
        chosen += [rng.choice(candidates) for _ in range(spec.research_reports)]
        used: set[str] = set()
        for i, ws in enumerate(chosen):
            options = [t for t in self._topics(ws) if t not in used] or self._topics(ws)
            topic = options[0]
            used.add(topic)
            self._outcome(
                kind=Outcome.Kind.RESEARCH_REPORT,
                title=fill(texts.OUTCOME_TITLES["research_report"], topic=topic),
                topic=topic,
                ws=ws,
                submitted_on=self._date_between(year_start, self.today),
                submitted_to=spec.research_to
                if i >= len(chosen) - spec.research_reports
                else spec.party_government,
                authors=self._some_members(ws, 2, 4),
            )
        self._bulletins()
        self.outcomes = outcomes_record(records=self.outcome_plans, reason=DEMO_REASON)
        for record, outcome in zip(self.outcome_plans, self.outcomes, strict=True):
            if id(record) in self.outcome_story:
                self.outcome_story[id(outcome)] = self.outcome_story.pop(id(record))
        self._trails()

    def _poissonish(self, mean: float) -> int:
        # Knuth's method: fine for the small means used here.
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def _bulletins(self) -> None:
        """The committee's information bulletins (信息专报), spread over the year."""
        spec = self.spec
        span = (self.today - self.window_start).days
        for n in range(1, spec.bulletins + 1):
            day = self.window_start + datetime.timedelta(
                days=min(span, int(span * n / (spec.bulletins + 0.5)) + self.rng.randint(-4, 4))
            )
            ready = [
                c
                for c in self.consultations
                if Step.MEETING in self.step_dates[id(c)]
                and self.step_dates[id(c)][Step.MEETING] <= day
            ]
            to = f"{spec.party_government}主要负责同志"
            if ready:
                c = self.rng.choice(ready)
                self._outcome(
                    kind=Outcome.Kind.BULLETIN,
                    title=f"《{spec.bulletin_name}》第{n}期：{c.workstation.name}协商{q(c.topic)}",
                    ws=c.workstation,
                    consultation=c,
                    submitted_on=min(max(day, self.step_dates[id(c)][Step.MEETING]), self.today),
                    submitted_to=to,
                )
                continue
            # Early in the year no consultation has met yet: the bulletin tells of an activity.
            done = [
                a
                for a in self.activities
                if a.status == "approved" and a.date <= day and a.type.is_five_micro
            ]
            a = self.rng.choice(done or self.activities)
            self._outcome(
                kind=Outcome.Kind.BULLETIN,
                title=f"《{spec.bulletin_name}》第{n}期：{a.workstation.name}开展{q(a.title)}",
                topic=a.title,
                summary="bulletin_activity",
                ws=a.workstation,
                submitted_on=min(max(day, a.date), self.today),
                submitted_to=to,
            )

    def _leader(self, level: str) -> tuple[str, str]:
        title = self.rng.choice(self.spec.leaders[level])
        # Leaders are named the way public documents name people anonymously.
        return self.rng.choice(SURNAMES) + "某某", title

    def _trails(self) -> None:
        rng, spec = self.rng, self.spec
        events: list[EventRecord] = []
        endorsements: list[EndorsementRecord] = []
        adopt_p = {
            "consultation_report": 0.65,
            "public_opinion": 0.5,
            "proposal": 0.75,
            "research_report": 0.5,
            "bulletin": 0.25,
            "typical_case": 0.0,
        }
        endorse_p = {
            "consultation_report": 0.14,
            "public_opinion": 0.12,
            "proposal": 0.05,
            "research_report": 0.2,
            "bulletin": 0.3,
            "typical_case": 0.0,
        }
        for outcome in self.outcomes:
            if outcome.status != Outcome.Status.SUBMITTED:
                continue
            story = self.outcome_story.get(id(outcome))
            ws = outcome.workstation
            dept = self._dept(ws) if ws else f"{spec.gov}政府办公室"
            start = outcome.submitted_on
            if story:
                adopted = self._later(start, 5, 15) if story.adopted_by else None
                if adopted:
                    events.append(
                        EventRecord(
                            outcome=outcome,
                            kind=OutcomeEvent.Kind.ADOPTED,
                            date=adopted,
                            adopted_by=story.adopted_by,
                        )
                    )
                if story.endorsement:
                    level, title, named = story.endorsement
                    day = self._later(start, 3, 12)
                    if day:
                        leader, _ = self._leader(level)
                        endorsements.append(
                            EndorsementRecord(
                                outcome=outcome,
                                leader=leader,
                                leader_title=title,
                                level=level,
                                date=day,
                                text=fill(rng.choice(texts.ENDORSEMENT_TEXTS), dept=named),
                            )
                        )
                c = outcome.consultation
                implemented_on = c and self.step_dates[id(c)].get(Step.IMPLEMENTATION)
                if story.implemented and implemented_on:
                    department, measure, money = story.implemented
                    events.append(
                        EventRecord(
                            outcome=outcome,
                            kind=OutcomeEvent.Kind.IMPLEMENTED,
                            date=implemented_on,
                            department=department,
                            measure=measure,
                            money=Decimal(money) if money else None,
                        )
                    )
                evaluated = c and self.step_dates[id(c)].get(Step.EVALUATION)
                if story.solved and evaluated:
                    events.append(
                        EventRecord(
                            outcome=outcome,
                            kind=OutcomeEvent.Kind.SOLVED,
                            date=evaluated,
                            note="回访群众，问题已解决。",
                        )
                    )
                continue
            adopted = None
            if rng.random() < adopt_p[outcome.kind]:
                adopted = self._later(start, 5, 30)
            if adopted:
                by = {
                    "public_opinion": rng.choice(
                        [f"{spec.short}政协办公室", f"{spec.city[1]}", dept]
                    ),
                    "proposal": dept,
                }.get(
                    outcome.kind, rng.choice([dept, f"{spec.gov}委办公室", f"{spec.gov}政府办公室"])
                )
                events.append(
                    EventRecord(
                        outcome=outcome,
                        kind=OutcomeEvent.Kind.ADOPTED,
                        date=adopted,
                        adopted_by=by,
                    )
                )
                implemented = self._later(adopted, 10, 60) if rng.random() < 0.65 else None
                if implemented:
                    money = None
                    if rng.random() < 0.4:
                        money = Decimal(
                            rng.choice([5, 8, 10, 12, 20, 30, 50, 80, 100, 150]) * 10_000
                        )
                    events.append(
                        EventRecord(
                            outcome=outcome,
                            kind=OutcomeEvent.Kind.IMPLEMENTED,
                            date=implemented,
                            department=dept,
                            measure=rng.choice(texts.MEASURES),
                            money=money,
                        )
                    )
                    solved_c = (
                        outcome.consultation is not None and outcome.consultation.problem_solved
                    )
                    if solved_c or rng.random() < 0.55:
                        solved = self._later(implemented, 10, 60)
                        if solved:
                            events.append(
                                EventRecord(
                                    outcome=outcome,
                                    kind=OutcomeEvent.Kind.SOLVED,
                                    date=solved,
                                    note="经回访，群众反映的问题已解决。",
                                )
                            )
            if rng.random() < endorse_p[outcome.kind]:
                day = self._later(start, 3, 20)
                if day:
                    roll = rng.random()
                    if outcome.kind == "public_opinion" and roll < 0.05:
                        level = Endorsement.Level.PROVINCE
                    elif roll < spec.city_endorsement_share:
                        level = Endorsement.Level.CITY
                    else:
                        level = Endorsement.Level.COUNTY
                    leader, title = self._leader(level)
                    endorsements.append(
                        EndorsementRecord(
                            outcome=outcome,
                            leader=leader,
                            leader_title=title,
                            level=level,
                            date=day,
                            text=fill(rng.choice(texts.ENDORSEMENT_TEXTS), dept=dept),
                        )
                    )
        outcome_trail_record(events=events, endorsements=endorsements, reason=DEMO_REASON)

    # --- standards and workstation photos ------------------------------------------------------

    def _standard_checks(self) -> None:
        rng = self.rng
        items = list(StandardItem.objects.filter(standard__committee=self.county))
        rows = []
        for ws in self.workstations:
            met = {"strong": 0.96, "average": 0.85, "lagging": 0.6, "stopped": 0.7}[
                self.rhythm[ws.pk]
            ]
            checked = self._date_between(self.today - datetime.timedelta(days=120), self.today)
            for item in items:
                if rng.random() < met:
                    state, note = StandardCheck.State.MET, ""
                elif rng.random() < 0.7:
                    state, note = StandardCheck.State.PARTIAL, rng.choice(texts.STANDARD_NOTES)
                else:
                    state, note = StandardCheck.State.NOT_MET, texts.STANDARD_NOT_MET
                rows.append(
                    StandardCheck(
                        workstation=ws,
                        item=item,
                        state=state,
                        note=note,
                        checked_on=checked,
                    )
                )
        validate(rows)
        bulk_create_with_history(rows, StandardCheck, reason=DEMO_REASON)

    def _workstation_photos(self) -> None:
        rows = []
        for ws in self.workstations:
            img = photos.draw_workstation_photo(
                name=ws.name,
                plaque=self.county.name,
                subtitle=f"{ws.address} · {ws.established_on:%Y-%m-%d} 揭牌",
                colour=self.spec.colour,
                seed=self.rng.randrange(1 << 30),
            )
            name = f"workstations/{ws.established_on:%Y/%m}/demo-{self.spec.slug}-{ws.slug}.jpg"
            rows.append(
                WorkstationPhoto(
                    workstation=ws,
                    image=store_file(name, photos.jpeg_bytes(img)),
                    caption=f"{ws.name}外景"[:100],
                    order=0,
                )
            )
        validate(rows)
        bulk_create_with_history(rows, WorkstationPhoto, reason=DEMO_REASON)

"""Text tables for the demo: what the activities, consultations, messages and outcomes say.

All of it is written for this project, and kept in ``data/texts.json``. Placeholders in braces
are filled by the builder: {gov} is 县 or 区; {county} the short county name (含山县); {town} the
area of the workstation; {place} a venue; {ws} the workstation's name; {topic}, {subject} from
the flavours. A flavour is what a workstation works on: subjects (short noun phrases for
activity titles), consultation topics (noun phrases, may use {town}), the departments it deals
with, and the services its members offer.
"""

from __future__ import annotations

from .tables import read_table

_TEXTS = read_table("texts")


def _pairs(rows: list[dict]) -> list[tuple[str, str]]:
    return [(row["title"], row["lead"]) for row in rows]


FLAVOURS: dict[str, dict[str, list[str]]] = _TEXTS["flavours"]
# Flavours whose members' skills call for their own kinds of activity.
TYPE_BOOSTS: dict[str, dict[str, int]] = _TEXTS["type_boosts"]
# Base weights of activity types (codes of consultations.services.DEFAULT_ACTIVITY_TYPES).
TYPE_WEIGHTS: dict[str, int] = _TEXTS["type_weights"]
# Which placeholder photo scene suits which type of activity.
TYPE_SCENES: dict[str, str] = _TEXTS["type_scenes"]
# Residents served, as a (low, high) range per type.
TYPE_RESIDENTS = {code: (low, high) for code, (low, high) in _TEXTS["type_residents"].items()}
LECTURES: list[str] = _TEXTS["lectures"]
STUDIES: list[str] = _TEXTS["studies"]
# Lectures and study that only make sense once the spring sessions have met (from mid-March).
AFTER_SPRING_SESSIONS = frozenset(_TEXTS["after_spring_sessions"])
# Disputes and small works, in town (urban) and in the countryside (rural).
DISPUTES: dict[str, list[str]] = _TEXTS["disputes"]
GOVERNANCE_ITEMS: dict[str, list[str]] = _TEXTS["governance_items"]
PROJECTS: list[str] = _TEXTS["projects"]
BOOKS: list[str] = _TEXTS["books"]
TRAININGS: list[str] = _TEXTS["trainings"]
STAKEHOLDERS: dict[str, list[str]] = _TEXTS["stakeholders"]
BUSINESS_FLAVOURS = frozenset(_TEXTS["business_flavours"])
# Activity titles and descriptions per type, in pairs that belong together. {n} is the number of
# members who took part, {r} the residents served.
ACTIVITY_TEXTS = {code: _pairs(rows) for code, rows in _TEXTS["activity_texts"].items()}
MEETING_TEXT = (_TEXTS["meeting_text"]["title"], _TEXTS["meeting_text"]["lead"])
ACTIVITY_FOLLOW_UPS: list[str] = _TEXTS["activity_follow_ups"]
RETURN_COMMENTS: list[str] = _TEXTS["return_comments"]
# What each step of a consultation records: the first step by where the topic came from, the
# others by their number.
STEP_SUMMARIES: dict[str | int, str] = {
    int(key) if key.isdigit() else key: text for key, text in _TEXTS["step_summaries"].items()
}
# Residents' messages by category, and the replies they get.
MESSAGES: dict[str, list[str]] = _TEXTS["messages"]
SPAM_MESSAGES: list[str] = _TEXTS["spam_messages"]
# What a resident's message is about, and who would deal with it.
CATEGORY_DEPARTMENTS: dict[str, list[str]] = _TEXTS["category_departments"]
REPLIES: dict[str, list[str]] = _TEXTS["replies"]
# Outcomes and what became of them.
SUGGESTIONS: list[str] = _TEXTS["suggestions"]
MEASURES: list[str] = _TEXTS["measures"]
OUTCOME_TITLES: dict[str, str] = _TEXTS["outcome_titles"]
OUTCOME_SUMMARIES: dict[str, str] = _TEXTS["outcome_summaries"]
ENDORSEMENT_TEXTS: list[str] = _TEXTS["endorsement_texts"]
OUTLET_TITLES: list[str] = _TEXTS["outlet_titles"]
# What a standards check notes on an item partly met, and on one not met.
STANDARD_NOTES: list[str] = _TEXTS["standard_notes"]
STANDARD_NOT_MET: str = _TEXTS["standard_not_met"]

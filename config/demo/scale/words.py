"""The word lists the scale data is written from, kept in ``words.json`` beside this module."""

from __future__ import annotations

import json
from pathlib import Path

with Path(__file__).with_name("words.json").open(encoding="utf-8") as _f:
    _WORDS = json.load(_f)

CITIES: list[tuple[str, str]] = [(slug, name) for slug, name in _WORDS["cities"]]
PLACE_FIRST: str = _WORDS["place_first"]
PLACE_SECOND: str = _WORDS["place_second"]
BRAND_PATTERNS: list[str] = _WORDS["brand_patterns"]
PROVINCE_BRAND: str = _WORDS["province_brand"]
PROVINCE_SLOGAN: str = _WORDS["province_slogan"]
THEMES: list[str] = _WORDS["themes"]
SUBJECTS: list[str] = _WORDS["subjects"]
TITLES: list[str] = _WORDS["titles"]
DESCRIPTIONS: list[str] = _WORDS["descriptions"]
PLACES: list[str] = _WORDS["places"]
DEPARTMENTS: list[str] = _WORDS["departments"]
STAKEHOLDERS: list[str] = _WORDS["stakeholders"]
STEP_SUMMARIES: dict[int, str] = {int(k): v for k, v in _WORDS["step_summaries"].items()}
TOPICS: list[str] = _WORDS["topics"]
MEASURES: list[str] = _WORDS["measures"]
MESSAGE_PROBLEMS: dict[str, list[str]] = _WORDS["message_problems"]
MESSAGE_TEMPLATES: list[str] = _WORDS["message_templates"]
REPLIES: list[str] = _WORDS["replies"]
OUTCOME_TITLES: dict[str, list[str]] = _WORDS["outcome_titles"]
OUTCOME_SUMMARIES: list[str] = _WORDS["outcome_summaries"]
SUBMITTED_TO: list[str] = _WORDS["submitted_to"]
LEADER_TITLES: dict[str, list[str]] = _WORDS["leader_titles"]
ENDORSEMENT_TEXTS: list[str] = _WORDS["endorsement_texts"]
RETURN_COMMENTS: list[str] = _WORDS["return_comments"]
WORKPLACES: list[str] = _WORDS["workplaces"]
MEMBER_TITLES: list[str] = _WORDS["titles_of_members"]
EXPERTISE: list[str] = _WORDS["expertise"]

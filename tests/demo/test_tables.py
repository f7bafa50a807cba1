"""The demo's tables are data files beside its code, read by small loaders into the shapes the
builder uses."""

from __future__ import annotations

import datetime
import json

import pytest

from config.demo import counties, people, texts
from config.demo.tables import DATA

TABLES = ["counties", "people", "texts"]


@pytest.mark.parametrize("name", TABLES)
def test_each_table_is_a_json_file_a_person_can_read(name):
    raw = (DATA / f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["about"]  # says what it is and who reads it
    assert "\\u" not in raw  # Chinese as Chinese, not escaped
    assert raw.count("\n") > 100  # indented, a value a line


def test_the_counties_keep_their_figures():
    by_slug = {c.slug: c for c in counties.COUNTIES}
    assert list(by_slug) == ["hanshan", "huimin", "tongguan"]
    hanshan = by_slug["hanshan"]
    assert hanshan.brand == "含您协商" and len(hanshan.workstations) == 32
    assert sum(hanshan.sector_members.values()) == 173
    assert hanshan.established == (datetime.date(2023, 5, 10), datetime.date(2023, 10, 30))
    taochang = next(w for w in hanshan.workstations if w.slug == "taochang")
    (story,) = taochang.stories
    assert story.implemented == (
        "陶厂镇人民政府",
        "镇政府安排资金100万元，分两批完成户户通道路硬化",
        1_000_000,
    )
    luban = next(w for w in hanshan.workstations if w.slug == "luban")
    assert luban.draw == ("经济界", "工商联界", "科技科协界")


def test_people_and_texts_take_the_shapes_the_builder_uses():
    assert people.SURNAMES.startswith("王" * 9 + "李" * 8)
    assert all(len(p) == 3 for rows in people.PROFILES.values() for p in rows)
    assert texts.STEP_SUMMARIES[2].startswith("委员分{g}个小组")
    assert "government" in texts.STEP_SUMMARIES
    assert texts.TYPE_RESIDENTS["theory_study"] == (0, 0)
    title, lead = texts.MEETING_TEXT
    assert "{topic}" in title and "{r}" in lead
    assert "全国两会精神" in texts.AFTER_SPRING_SESSIONS

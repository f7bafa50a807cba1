"""The three demo counties, drawn from the background reading (seeds/ 000, 002 and 004).

含山 follows the figures of its report: 28 workstations and rooms (12 sector activity rooms,
7 featured workstations, one member workstation for each of the 8 towns and the development
zone), 4 village and community consultation rooms, 173 members. 惠民 and 铜官 are smaller and
shaped by what their reports describe. Names of places are real; everything else is invented.

The counties themselves are in ``data/counties.json``; this module gives them their shape (the
specs below, whose defaults stand for a field the file leaves out).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .tables import read_table


@dataclass(frozen=True)
class AreaSpec:
    name: str
    kind: str
    parent: str = ""


@dataclass(frozen=True)
class Story:
    """A consultation the background reading tells about, played out in full in the demo."""

    topic: str
    source: str  # Consultation.TopicSource value
    quarter: int  # 0 = the first quarter of this year
    outcome_kind: str  # Outcome.Kind value
    submitted_to: str
    adopted_by: str = ""
    # (level, leader's title, department named in the text)
    endorsement: tuple[str, str, str] | None = None
    # (department, measure, money in yuan or None)
    implemented: tuple[str, str, int | None] | None = None
    solved: bool = False
    typical_case: bool = False


@dataclass(frozen=True)
class WorkstationSpec:
    name: str
    slug: str
    kind: str
    category: str
    flavour: str
    area: str = ""
    sector: str = ""
    theme: str = ""
    # Featured rooms: the tag of their members' workplaces, the sectors they come from, how many.
    tag: str = ""
    draw: tuple[str, ...] = ()
    size: int = 0
    # Members' homes: how many members live in this workstation's area, relatively.
    home_weight: float = 0.0
    intro: str = ""
    address: str = ""
    stories: tuple[Story, ...] = ()
    # "lagging" or "stopped" forces a rhythm the board can show; "" lets chance decide.
    rhythm: str = ""


@dataclass(frozen=True)
class CountySpec:
    slug: str
    name: str
    short: str  # 含山县
    gov: str  # 县 or 区
    province: tuple[str, str]
    city: tuple[str, str]
    brand: str
    slogan: str
    colour: str
    intro: str
    address: str
    id_area_code: str
    centre: tuple[float, float]  # latitude, longitude of the seat
    seat: str
    opera: str
    firm_place: str  # how invented company names start: 含山…有限公司
    office: str  # the staff account's username
    areas: tuple[AreaSpec, ...]
    workstations: tuple[WorkstationSpec, ...]
    sector_members: dict[str, int]
    established: tuple[datetime.date, datetime.date]
    city_members: int
    province_members: int
    standing_share: float
    outlets: tuple[str, ...]
    leaders: dict[str, tuple[str, ...]]  # Endorsement.Level → leaders' titles
    party_government: str  # who sets topics (党政点题)
    submit_to: tuple[str, ...]
    bulletin_name: str
    bulletins: int
    research_reports: int = 0  # on top of those the workstations write
    research_to: str = ""
    public_opinion_per_ws: float = 1.0
    typical_case_share: float = 0.3
    consultation_media_share: float = 0.15
    city_endorsement_share: float = 0.15


def _story(data: dict) -> Story:
    values = dict(data)
    if endorsement := values.pop("endorsement", None):
        values["endorsement"] = (
            endorsement["level"],
            endorsement["leader_title"],
            endorsement["department"],
        )
    if implemented := values.pop("implemented", None):
        values["implemented"] = (
            implemented["department"],
            implemented["measure"],
            implemented["money"],
        )
    return Story(**values)


def _workstation(data: dict) -> WorkstationSpec:
    return WorkstationSpec(
        **{
            **data,
            "draw": tuple(data.get("draw", ())),
            "stories": tuple(_story(s) for s in data.get("stories", ())),
        }
    )


def _county(data: dict) -> CountySpec:
    start, end = data["established"]
    return CountySpec(
        **{
            **data,
            "province": tuple(data["province"]),
            "city": tuple(data["city"]),
            "centre": tuple(data["centre"]),
            "areas": tuple(AreaSpec(**a) for a in data["areas"]),
            "workstations": tuple(_workstation(w) for w in data["workstations"]),
            "established": (datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)),
            "outlets": tuple(data["outlets"]),
            "leaders": {level: tuple(titles) for level, titles in data["leaders"].items()},
            "submit_to": tuple(data["submit_to"]),
        }
    )


COUNTIES = tuple(_county(c) for c in read_table("counties")["counties"])

"""The rhythm board page: each cell's state and count and the link to the records behind it,
the filters, who falls behind, the members without activity, and the tenant."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.office.board import INACTIVE_SHOWN
from config.office.selectors import SHORTFALL_NAMES
from consultations.models import Activity
from consultations.services.activities import activity_approve
from outcomes import rhythm
from outcomes.models import Requirement
from outcomes.services.rhythm import requirement_change
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    CommitteeFactory,
    MemberFactory,
    MembershipFactory,
    SectorFactory,
    WorkstationFactory,
)
from workstations.models import Committee, Workstation

from .conftest import LAST_YEAR, D

pytestmark = pytest.mark.django_db


def board(client, committee="hanshan", **params):
    params.setdefault("year", LAST_YEAR)
    return client.get(reverse("office:board", kwargs={"committee": committee}), params)


def row_of(response, workstation):
    return next(r for r in response.context["rows"] if r.workstation.pk == workstation.pk)


def cell_of(response, workstation, requirement_name, month_or_index):
    """The grid cell of a workstation for a requirement's ``index``-th period (0-based)."""
    offset = 0
    for column in response.context["columns"]:
        if column.name == requirement_name:
            return row_of(response, workstation).cells[offset + month_or_index]
        offset += len(column.periods)
    raise AssertionError(requirement_name)


def test_each_cell_has_its_state_count_and_link(office, login):
    response = board(login(office.hanshan.staff))
    ws = office.hanshan.workstation
    march = cell_of(response, ws, "一月一活动", 2)
    april = cell_of(response, ws, "一月一活动", 3)
    assert (march.cell.state, march.cell.count, march.mark) == (rhythm.MET, 1, "✓")
    assert (april.cell.state, april.cell.count, april.mark) == (rhythm.BEHIND, 0, "✗")
    assert march.href == (
        f"/admin/consultations/activity/?workstation__id__exact={ws.pk}&status__exact=approved"
        f"&date__gte={LAST_YEAR}-03-01&date__lte={LAST_YEAR}-03-31"
    )
    # The quarter with the meeting, and the year with the consultation report.
    assert cell_of(response, ws, "一季一议事", 0).cell.state == rhythm.MET
    assert cell_of(response, ws, "一年一报告", 0).cell.count == 1
    html = response.content.decode()
    assert march.href.replace("&", "&amp;") in html


@pytest.mark.parametrize(
    ("requirement", "index", "expected"),
    [
        ("一月一活动", 2, "三月宣讲"),
        ("一季一议事", 0, "加装电梯议题"),
        ("一年一报告", 0, "协商报告"),
    ],
)
def test_a_cells_link_lists_the_records_behind_it(requirement, index, expected, office, login):
    client = login(office.hanshan.staff)
    cell = cell_of(board(client), office.hanshan.workstation, requirement, index)
    response = client.get(cell.href)
    assert response.status_code == 200  # the admin accepts the filter (no "?e=1" redirect)
    assert f"含山{expected}" in response.content.decode()
    assert "惠民" not in {str(o) for o in response.context["cl"].result_list}


def test_a_changed_requirement_shows_both_versions_in_the_same_columns(office, login):
    monthly = Requirement.objects.get(committee=office.hanshan.committee, name="一月一活动")
    monthly.effective_until = D(6, 30)
    monthly.save()
    successor = Requirement.objects.create(
        committee=office.hanshan.committee,
        name="一月一活动",
        period=Requirement.Period.MONTH,
        counts=Requirement.Counts.ACTIVITY,
        minimum=2,
        effective_from=D(7, 1),
    )
    response = board(login(office.hanshan.staff))
    column = next(c for c in response.context["columns"] if c.name == "一月一活动")
    assert column.minimums == [1, 2]
    assert len(column.periods) == 12
    march = cell_of(response, office.hanshan.workstation, "一月一活动", 2)
    july = cell_of(response, office.hanshan.workstation, "一月一活动", 6)
    assert march.cell.requirement == monthly and march.cell.state == rhythm.MET
    assert july.cell.requirement == successor


def test_filters_narrow_the_board_by_town_sector_and_kind(office, login):
    county = office.hanshan.committee
    town = AreaFactory(committee=county, name="环峰镇")
    village = AreaFactory(committee=county, name="城东村", parent=town, kind="village")
    sector = SectorFactory(committee=county, name="医药卫生界")
    in_town = WorkstationFactory(committee=county, name="环峰镇委员工作室", area=town)
    in_village = WorkstationFactory(
        committee=county,
        name="城东村协商议事室",
        area=village,
        sector=sector,
        kind=Workstation.Kind.CONSULTATION_ROOM,
    )
    client = login(office.hanshan.staff)

    def names(**params):
        return {r.workstation.name for r in board(client, **params).context["rows"]}

    assert names(area=town.pk) == {in_town.name, in_village.name}  # a village is in its town
    assert names(sector=sector.pk) == {in_village.name}
    assert names(kind=Workstation.Kind.CONSULTATION_ROOM) == {in_village.name}
    assert len(names()) == 4


def test_a_filter_pointing_into_another_county_shows_nothing_of_it(office, login):
    other_area = office.huimin.workstation.area
    response = board(login(office.hanshan.staff), area=other_area.pk)
    assert response.context["filters"].errors
    assert not any(
        r.workstation.committee_id != office.hanshan.committee.pk for r in response.context["rows"]
    )
    assert office.huimin.workstation.name not in response.content.decode()


def test_the_city_board_shows_its_counties_and_no_other(office, city_staff, login):
    county = office.hanshan.committee
    sibling = CommitteeFactory(
        slug="hexian", name="和县政协", level=Committee.Level.COUNTY, parent=county.parent
    )
    WorkstationFactory(committee=sibling, name="和县委员工作室")
    client = login(city_staff)
    response = board(client, committee="maanshan")
    shown = {r.workstation.committee.slug for r in response.context["rows"]}
    # 和县 has no requirement, so no row of it; 含山's rows, and never 惠民's.
    assert shown == {"hanshan"}
    html = response.content.decode()
    assert "惠民" not in html
    assert response.context["several_committees"]


def test_the_city_board_can_be_narrowed_to_one_county(office, city_staff, login):
    client = login(city_staff)
    url = reverse("office:board", kwargs={"committee": "maanshan"})
    response = client.get(url, {"year": LAST_YEAR, "committee": office.hanshan.committee.pk})
    assert response.status_code == 200
    assert {r.workstation.committee.slug for r in response.context["rows"]} == {"hanshan"}


def test_who_fell_behind_in_the_last_closed_period(office, login):
    response = board(login(office.hanshan.staff))
    december = next(s for s in response.context["shortfalls"] if s.column.name == "一月一活动")
    assert not december.running and december.period.start == D(12, 1)
    names = {g.cell.workstation.name for g in december.cells}
    assert names == {office.hanshan.workstation.name, office.hanshan.other_workstation.name}


def test_who_has_not_met_the_running_period_yet(office, login):
    today = timezone.localdate()
    ActivityFactory(workstation=office.hanshan.workstation, date=today)
    response = board(login(office.hanshan.staff), year=today.year)
    running = [s for s in response.context["shortfalls"] if s.running]
    monthly = next(s for s in running if s.column.name == "一月一活动")
    assert {g.cell.workstation.name for g in monthly.cells} == {
        office.hanshan.other_workstation.name
    }


def test_members_without_activity_for_the_chosen_months(office, login):
    ActivityFactory(
        workstation=office.hanshan.workstation,
        date=timezone.localdate() - datetime.timedelta(days=40),
        participants=[office.hanshan.member],
    )
    client = login(office.hanshan.staff)
    default = {m.name for m in board(client).context["inactive"]}
    assert office.hanshan.member.name not in default  # took part 40 days ago
    assert {office.hanshan.other_member.name, office.hanshan.convener.name} <= default
    one_month = {m.name for m in board(client, months=1).context["inactive"]}
    assert office.hanshan.member.name in one_month
    assert board(client, months=99).context["months"] == 3  # not offered: the default
    assert not any("惠民" in name for name in default)


def test_an_unknown_year_shows_this_year(office, login):
    response = board(login(office.hanshan.staff), year="1999")
    assert response.context["board"].year == timezone.localdate().year
    assert board(login(office.hanshan.staff), year="x").status_code == 200


def test_states_are_told_by_mark_and_word_not_colour_alone(office, english_login):
    html = board(english_login(office.hanshan.staff)).content.decode()
    assert '<span aria-hidden="true">✓</span>1<span class="visually-hidden"> Met</span>' in html
    assert '<span aria-hidden="true">✗</span>0<span class="visually-hidden"> Behind</span>' in html


def test_a_county_of_many_workstations_sees_its_board_by_town(hanshan, login):
    from .conftest import populate_county

    populate_county(hanshan.committee, workstations=45, year=LAST_YEAR)
    client = login(hanshan.staff)
    url = reverse("office:board", kwargs={"committee": "hanshan"})
    folded = client.get(url, {"year": LAST_YEAR})
    assert folded.context["folded"]
    towns = folded.context["towns"]
    assert sum(t.workstations for t in towns) == 47  # and the personas' two
    assert "环峰镇" in {t.label for t in towns}
    assert 'class="board"' not in folded.content.decode()
    full = client.get(url, {"year": LAST_YEAR, "full": "1"})
    assert not full.context["folded"]
    assert 'class="board"' in full.content.decode()
    assert len(full.content) > 3 * len(folded.content)


def test_one_town_of_a_large_county_shows_its_workstations(hanshan, login):
    from workstations.models import Area

    from .conftest import populate_county

    populate_county(hanshan.committee, workstations=45, year=LAST_YEAR)
    town = Area.objects.get(committee=hanshan.committee, name="环峰镇")
    response = login(hanshan.staff).get(
        reverse("office:board", kwargs={"committee": "hanshan"}),
        {"year": LAST_YEAR, "area": town.pk},
    )
    assert not response.context["folded"]
    assert {r.workstation.area_id for r in response.context["rows"]} == {town.pk}


# --- Counted once, never stale: the board's counts and the idle members are cached under the
# committee's version, which the services bump ------------------------------------------------


def _april_cell(html: str, ws) -> str:
    """The mark and count the page shows in the workstation's April cell."""
    link = (
        f"workstation__id__exact={ws.pk}&amp;status__exact=approved"
        f"&amp;date__gte={LAST_YEAR}-04-01&amp;date__lte={LAST_YEAR}-04-30"
        '"><span aria-hidden="true">'
    )
    return html.split(link)[1].split("<span")[0].replace("</span>", "")


def test_an_activity_approved_after_the_board_was_read_counts_at_once(office, login):
    client = login(office.hanshan.staff)
    ws = office.hanshan.workstation
    assert _april_cell(board(client).content.decode(), ws) == "✗0"
    activity = ActivityFactory(workstation=ws, date=D(4, 10), status=Activity.Status.SUBMITTED)
    assert _april_cell(board(client).content.decode(), ws) == "✗0"
    activity_approve(activity=activity, by=office.hanshan.staff)
    assert _april_cell(board(client).content.decode(), ws) == "✓1"


def _idle_section(client) -> str:
    return board(client).content.decode().split('id="inactive-title"')[1]


def test_a_member_who_took_part_after_the_list_was_read_leaves_it(office, login):
    client = login(office.hanshan.staff)
    member = office.hanshan.other_member
    assert member.name in _idle_section(client)
    activity = ActivityFactory(
        workstation=office.hanshan.workstation,
        date=timezone.localdate() - datetime.timedelta(days=2),
        status=Activity.Status.SUBMITTED,
        participants=[member],
    )
    activity_approve(activity=activity, by=office.hanshan.staff)
    assert member.name not in _idle_section(client)


# --- A county of hundreds: the lists on the page are bounded, the rest one tap away ----------


def test_a_shortfall_names_thirty_workstations_and_counts_the_rest(office, login):
    area = office.hanshan.workstation.area
    for n in range(40):
        WorkstationFactory(committee=office.hanshan.committee, area=area, name=f"落后工作室{n:02d}")
    response = board(login(office.hanshan.staff))
    december = next(
        s for s in response.context["shortfalls"] if s.column.name == "一月一活动" and not s.running
    )
    assert len(december.cells) > SHORTFALL_NAMES
    assert len(december.named) == SHORTFALL_NAMES
    more = len(december.cells) - SHORTFALL_NAMES
    assert f"还有 {more} 个" in response.content.decode()


def test_the_idle_members_show_fifty_then_all_on_demand(office, login):
    for n in range(INACTIVE_SHOWN + 5):
        MembershipFactory(
            member=MemberFactory(committee=office.hanshan.committee, name=f"闲置委员{n:02d}"),
            workstation=office.hanshan.workstation,
        )
    client = login(office.hanshan.staff)
    response = board(client)
    total = response.context["inactive_count"]
    assert total > INACTIVE_SHOWN
    assert len(response.context["inactive"]) == INACTIVE_SHOWN
    assert f"显示全部 {total} 位" in response.content.decode()
    assert len(board(client, inactive="all").context["inactive"]) == total


def test_a_requirement_changed_by_the_service_renders_the_board_again(office, login):
    client = login(office.hanshan.staff)
    kept = board(client).context["sections_key"]
    monthly = Requirement.objects.get(committee=office.hanshan.committee, name="一月一活动")
    requirement_change(requirement=monthly, changes={"minimum": 3})
    assert board(client).context["sections_key"] != kept

"""Figures, points and the assessment pages: what they show, and adjusting a score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from outcomes.models import AssessmentAdjustment

from .conftest import LAST_YEAR

pytestmark = pytest.mark.django_db


def get(client, name, committee="hanshan", params=None, **kwargs):
    params = {"year": LAST_YEAR} if params is None else params
    return client.get(reverse(name, kwargs={"committee": committee, **kwargs}), params)


# --- Figures -------------------------------------------------------------------------------


def test_figures_by_month_as_a_table_and_chart_data(office, english_login):
    response = get(english_login(office.hanshan.staff), "office:figures")
    series = {s["key"]: s for s in response.context["series"]}
    assert series["activities"]["data"][2] == 1 and series["activities"]["data"][4] == 1
    assert series["activities"]["total"] == 2
    assert series["consultations"]["data"][1] == 1
    html = response.content.decode()
    assert 'id="figures-data"' in html and "vendor/echarts/echarts.min.js" in html
    data = json.loads(html.split('id="figures-data" type="application/json">')[1].split("<")[0])
    assert data["series"][0]["data"][2] == 1
    assert "<caption" in html  # the numbers as a table too
    assert "//cdn" not in html and "https://" not in html.split("<main")[1]


def test_a_county_has_no_roll_up_and_a_city_has_its_counties(office, city_staff, login):
    assert get(login(office.hanshan.staff), "office:figures").context["counties"] == []
    response = get(login(city_staff), "office:figures", committee="maanshan")
    rows = response.context["counties"]
    assert [county.slug for county, _url, _cells in rows] == ["hanshan"]
    assert rows[0][1] == f"/office/hanshan/figures/?year={LAST_YEAR}"
    assert str(rows[0][2]).startswith("<td>2</td>")  # activities
    assert "惠民" not in response.content.decode()


def test_a_province_with_many_counties_sees_them_by_city_and_in_full_on_demand(
    office, login, monkeypatch
):
    from config.office import figures
    from tests.factories import StaffRoleFactory, UserFactory

    monkeypatch.setattr(figures, "FOLD_COUNTIES", 0)
    province = office.hanshan.committee.parent.parent
    staff = StaffRoleFactory(user=UserFactory(is_staff=True), committee=province).user
    client = login(staff)
    response = get(client, "office:figures", committee="anhui")
    assert response.context["counties"] == []
    [(city, n, url, cells)] = response.context["cities"]
    assert (city.slug, n, url) == ("maanshan", 1, f"/office/maanshan/figures/?year={LAST_YEAR}")
    assert str(cells).startswith("<td>2</td>")  # 含山's activities
    html = response.content.decode()
    assert "按市统计" in html and "显示全部县（全表）" in html
    full = get(
        client, "office:figures", committee="anhui", params={"year": LAST_YEAR, "counties": "all"}
    )
    assert full.context["cities"] == []
    assert [county.slug for county, _url, _cells in full.context["counties"]] == ["hanshan"]


def test_the_figures_kept_in_the_cache_count_an_approval_at_once(office, city_staff, login):
    from consultations.models import Activity
    from consultations.services.activities import activity_approve
    from tests.factories import ActivityFactory

    from .conftest import D

    client = login(city_staff)

    def activities() -> int:
        response = get(client, "office:figures", committee="maanshan")
        return next(s["total"] for s in response.context["series"] if s["key"] == "activities")

    before = activities()
    activity = ActivityFactory(
        workstation=office.hanshan.workstation, date=D(5, 6), status=Activity.Status.SUBMITTED
    )
    assert activities() == before
    activity_approve(activity=activity, by=office.hanshan.staff)
    assert activities() == before + 1


def test_a_provinces_figures_kept_in_the_cache_count_a_countys_approval_at_once(
    office, province_staff, login
):
    """The province's figures are kept under the province's own version, which every write in
    a county below bumps too."""
    from consultations.models import Activity
    from consultations.services.activities import activity_approve
    from tests.factories import ActivityFactory

    from .conftest import D

    client = login(province_staff)

    def hanshan_activities() -> str:
        response = get(
            client,
            "office:figures",
            committee="anhui",
            params={"year": LAST_YEAR, "counties": "all"},
        )
        [(county, _url, cells)] = response.context["counties"]
        return str(cells).split("</td>")[0]

    before = hanshan_activities()
    activity = ActivityFactory(
        workstation=office.hanshan.workstation, date=D(5, 6), status=Activity.Status.SUBMITTED
    )
    activity_approve(activity=activity, by=office.hanshan.staff)
    assert hanshan_activities() == f"<td>{int(before[4:]) + 1}"


def test_the_months_to_come_are_blank_not_zero(office, login):

    today = timezone.localdate()
    response = get(login(office.hanshan.staff), "office:figures", params={"year": today.year})
    activities = response.context["series"][0]["data"]
    assert activities[today.month - 1] is not None
    assert all(v is None for v in activities[today.month :])


def test_the_echarts_file_is_ours(client):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/echarts/echarts.min.js")
    assert finders.find("vendor/echarts/LICENSE")


# --- Points ----------------------------------------------------------------------------------


def test_the_ranking_lists_the_countys_members_with_points(office, login):
    response = get(login(office.hanshan.staff), "office:points")
    standings = {s.member.name: s for s in response.context["standings"]}
    assert standings[office.hanshan.member.name].points > 0
    assert standings[office.hanshan.member.name].rank == 1
    assert not any("huimin" in name for name in standings)


def test_a_members_ledger_shows_every_entry_with_its_record(office, login):
    client = login(office.hanshan.staff)
    response = get(client, "office:member", pk=office.hanshan.member.pk)
    lines = response.context["lines"]
    titles = {line.entry.title for line in lines}
    assert {"含山三月宣讲", "含山五月宣讲", "含山协商报告"} <= titles
    march = next(line for line in lines if line.entry.title == "含山三月宣讲")
    assert march.href == reverse(
        "admin:consultations_activity_change", args=[office.hanshan.march.pk]
    )
    assert client.get(march.href).status_code == 200
    assert response.context["total"] == sum(line.entry.points for line in lines)


def test_the_print_view_is_the_record_without_the_navigation(office, english_login):
    response = get(
        english_login(office.hanshan.staff), "office:member_print", pk=office.hanshan.member.pk
    )
    html = response.content.decode()
    assert "含山三月宣讲" in html
    assert "data-print" in html
    assert "office-nav" not in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "office.css").read_text()
    assert "@media print" in css


# --- Assessment -----------------------------------------------------------------------------


def test_the_assessment_ranks_and_lists_adjustments_with_who_and_why(office, login):
    response = get(login(office.hanshan.staff), "office:assessment")
    rows = response.context["rows"]
    assert [r.score.rank for r in rows] == sorted(r.score.rank for r in rows)
    other = next(r.score for r in rows if r.score.workstation == office.hanshan.other_workstation)
    assert other.adjustment == 2 and other.total == other.computed + 2
    html = response.content.decode()
    assert "含山承办全市现场会" in html and "hanshan_office" in html
    assert "惠民" not in html


def test_adjusting_a_score_with_a_reason(office, login):
    client = login(office.hanshan.staff)
    url = reverse(
        "office:adjust", kwargs={"committee": "hanshan", "pk": office.hanshan.workstation.pk}
    )
    response = client.post(f"{url}?year={LAST_YEAR}", {"points": "-3", "reason": "台账资料不全"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?year={LAST_YEAR}#ws-{office.hanshan.workstation.pk}")
    adjustment = AssessmentAdjustment.objects.get(reason="台账资料不全")
    assert (adjustment.year, adjustment.points, adjustment.made_by) == (
        LAST_YEAR,
        -3,
        office.hanshan.staff,
    )
    page = client.get(response["Location"])
    score = next(
        r.score for r in page.context["rows"] if r.score.workstation == office.hanshan.workstation
    )
    assert score.adjustment == -3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"points": "2", "reason": ""}, "reason"),
        ({"points": "2", "reason": "   "}, "reason"),
        ({"points": "0", "reason": "无"}, "points"),
        ({"points": "", "reason": "无"}, "points"),
    ],
    ids=["no-reason", "blank-reason", "zero", "no-points"],
)
def test_an_adjustment_is_refused_without_reason_or_points(data, field, office, login):
    url = reverse(
        "office:adjust", kwargs={"committee": "hanshan", "pk": office.hanshan.workstation.pk}
    )
    before = AssessmentAdjustment.objects.count()
    response = login(office.hanshan.staff).post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert AssessmentAdjustment.objects.count() == before


def test_a_reader_sees_the_assessment_without_adjust_buttons(office, reader_staff, login):
    response = get(login(reader_staff), "office:assessment")
    assert response.status_code == 200
    assert not response.context["may_adjust"]
    assert "/adjust/" not in response.content.decode()


def test_a_criterion_without_data_shows_as_not_applicable_with_a_note(office, english_login):
    from outcomes.models import AssessmentCriterion

    AssessmentCriterion.objects.update_or_create(
        committee=office.hanshan.committee,
        metric=AssessmentCriterion.Metric.RECOGNITION,
        defaults={"weight": 10},
    )
    response = get(english_login(office.hanshan.staff), "office:assessment")
    unrated = [r for r in response.context["rows"] if r.score.not_applicable]
    assert unrated, "a workstation without ratings"
    html = response.content.decode()
    assert 'class="not-applicable"' in html and 'id="not-applicable-note"' in html


def test_an_adjustment_names_who_made_it_not_their_username(office, login):
    staff = office.hanshan.staff
    staff.first_name, staff.last_name = "晓明", "李"
    staff.save(update_fields=["first_name", "last_name"])
    html = get(login(staff), "office:assessment").content.decode()
    assert staff.get_full_name() in html
    assert "hanshan_office" not in html

"""manage.py rebuild_figures and check_figures: the summary against a count from the records."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from consultations.models import Activity
from tests.factories import ActivityFactory
from workstations.models import CountyTally

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def run(name, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_passes_when_the_services_wrote_everything(hanshan):
    ActivityFactory(workstation=hanshan.workstation)
    out, _err = run("check_figures")
    assert "The summary matches the records" in out


def test_check_names_a_difference_and_exits_non_zero(hanshan):
    activity = ActivityFactory(workstation=hanshan.workstation)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.DRAFT)
    with pytest.raises(SystemExit) as exit_:
        run("check_figures", "--committee", "hanshan")
    assert exit_.value.code == 1


def test_rebuild_puts_the_summary_right(hanshan):
    activity = ActivityFactory(workstation=hanshan.workstation)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.DRAFT)
    out, _err = run("rebuild_figures", "--committee", "hanshan", "--year", str(activity.date.year))
    assert "Counted again" in out
    assert not CountyTally.objects.filter(key="activities", value__gt=0).exists()
    out, _err = run("check_figures", "--committee", "hanshan")
    assert "matches" in out


@pytest.mark.parametrize("command", ["rebuild_figures", "check_figures"])
def test_an_unknown_committee_is_said_in_one_line(command, hanshan):
    with pytest.raises(CommandError, match="No committee has the web address nowhere"):
        run(command, "--committee", "nowhere")


@pytest.mark.parametrize("command", ["rebuild_figures", "check_figures"])
def test_a_year_without_figures_is_refused(command, hanshan):
    with pytest.raises(CommandError, match="not a year with figures"):
        run(command, "--year", "1999")


def test_a_rebuild_interrupted_half_way_keeps_the_old_summary(hanshan, huimin, monkeypatch):
    ActivityFactory(workstation=hanshan.workstation)
    ActivityFactory(workstation=huimin.workstation)
    before = set(CountyTally.objects.values_list("committee_id", "key", "value"))
    from consultations import tallies

    real = tallies.tallies_refresh

    def fail_on_huimin(*, committee_ids, months=None):
        if huimin.committee.pk in committee_ids:
            raise RuntimeError("the machine went down")
        real(committee_ids=committee_ids, months=months)

    monkeypatch.setattr(tallies, "tallies_refresh", fail_on_huimin)
    Activity.objects.update(residents_served=99)
    with pytest.raises(RuntimeError):
        run("rebuild_figures")
    after = set(CountyTally.objects.values_list("committee_id", "key", "value"))
    huimin_rows = {r for r in after if r[0] == huimin.committee.pk}
    assert huimin_rows == {r for r in before if r[0] == huimin.committee.pk}
    assert (hanshan.committee.pk, "residents", 99) in after

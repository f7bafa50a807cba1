"""The command's switches, without the cost of a full load."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from config.demo.builder import DemoResult
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_if_empty_loads_into_an_empty_database():
    with mock.patch("config.demo.builder.load_demo", return_value=DemoResult()) as load:
        call_command("load_demo", "--if-empty", "--seed", "7", stdout=StringIO())
    load.assert_called_once()
    assert load.call_args.kwargs["seed"] == 7


def test_if_empty_skips_a_database_with_a_committee():
    CommitteeFactory()
    with mock.patch("config.demo.builder.load_demo", return_value=DemoResult()) as load:
        out = StringIO()
        call_command("load_demo", "--if-empty", stdout=out)
    load.assert_not_called()
    assert "already has committees" in out.getvalue()


def test_without_if_empty_it_loads_even_beside_other_committees():
    CommitteeFactory()
    with mock.patch("config.demo.builder.load_demo", return_value=DemoResult()) as load:
        call_command("load_demo", "--no-photos", stdout=StringIO())
    load.assert_called_once()
    assert load.call_args.kwargs["with_photos"] is False

"""Behaviours of particular admins: committees, import/export buttons, actions, query counts."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pillow_heif import from_pillow

from consultations.models import Activity, ActivityReview, ActivityType, Consultation
from tests.factories import ActivityFactory, MemberFactory, WorkstationFactory
from workstations.admin_base import ensure_visible
from workstations.models import Committee, Sector, Workstation
from workstations.services import DEFAULT_SECTORS

from .conftest import ADMIN_MODELS, MAKERS
from .helpers import changeform_data
from .test_scoping import url

pytestmark = pytest.mark.django_db

IMPORTABLE = [
    "workstations.workstation",
    "members.member",
    "consultations.activity",
    "outcomes.outcome",
]


def test_creating_a_committee_seeds_its_sectors_and_activity_types(hanshan, superuser, login):
    response = login(superuser).post(
        url("workstations.committee", "add"),
        {
            "name": "和县政协",
            "level": Committee.Level.COUNTY,
            "parent": hanshan.committee.parent_id,
            "slug": "hexian",
            "brand_colour": "#b71c1c",
            "messages_close_after_days": 14,
        },
    )
    assert response.status_code == 302
    committee = Committee.objects.get(slug="hexian")
    assert Sector.objects.filter(committee=committee).count() == len(DEFAULT_SECTORS)
    assert ActivityType.objects.filter(committee=committee).exists()


def test_office_administrator_edits_own_committees_brand(hanshan, login):
    client = login(hanshan.staff)
    change = url("workstations.committee", "change", hanshan.committee.pk)
    data = changeform_data(client.get(change))
    data["slogan"] = "含您协商，共谋发展"

    assert client.post(change, data).status_code == 302
    hanshan.committee.refresh_from_db()
    assert hanshan.committee.slogan == "含您协商，共谋发展"


def test_office_administrator_cannot_rename_or_move_own_committee(hanshan, login):
    response = login(hanshan.staff).get(
        url("workstations.committee", "change", hanshan.committee.pk)
    )
    fields = response.context["adminform"].form.fields
    assert not {"name", "level", "parent", "slug"} & set(fields)


def test_city_staff_cannot_change_the_committee_of_a_county_below(hanshan, city_staff, login):
    client = login(city_staff)
    change = url("workstations.committee", "change", hanshan.committee.pk)
    data = changeform_data(login(hanshan.staff).get(change))
    data["slogan"] = "由市里改写"

    assert client.post(change, data).status_code == 403


@pytest.mark.parametrize("label", IMPORTABLE)
def test_import_and_export_buttons_show_for_a_role_with_both_rights(label, hanshan, login):
    page = login(hanshan.staff).get(url(label, "changelist")).content.decode()
    assert url(label, "import") in page
    assert url(label, "export") in page


@pytest.mark.parametrize("label", IMPORTABLE)
def test_import_and_export_are_refused_to_a_role_without_the_rights(label, reader_staff, login):
    client = login(reader_staff)
    assert url(label, "import") not in client.get(url(label, "changelist")).content.decode()
    assert client.get(url(label, "import")).status_code == 403
    assert client.get(url(label, "export")).status_code == 403


def test_county_staff_see_no_committee_column(hanshan, city_staff, login):
    def columns(user):
        response = login(user).get(url("workstations.workstation", "changelist"))
        return response.context["cl"].list_display

    assert "committee" not in columns(hanshan.staff)
    assert "committee" in columns(city_staff)


def test_residents_messages_are_not_added_in_the_back_office(hanshan, login):
    response = login(hanshan.staff).get(url("consultations.publicmessage", "add"))
    assert response.status_code == 403


def test_unpublish_action_records_each_change_in_history(hanshan, huimin, login):
    client = login(hanshan.staff)
    response = client.post(
        url("workstations.workstation", "changelist"),
        {
            "action": "unpublish",
            "_selected_action": [hanshan.workstation.pk, huimin.workstation.pk],
        },
    )
    assert response.status_code == 302
    hanshan.workstation.refresh_from_db()
    huimin.workstation.refresh_from_db()
    assert not hanshan.workstation.is_published
    assert huimin.workstation.is_published  # not in the clerk's list, so not touched
    assert hanshan.workstation.history.latest().history_user == hanshan.staff


def _approve(client, *activities):
    return client.post(
        url("consultations.activity", "changelist"),
        {"action": "approve", "_selected_action": [a.pk for a in activities]},
    )


def test_approve_action_approves_a_submitted_activity_through_the_review_trail(hanshan, login):
    activity = ActivityFactory(
        workstation=hanshan.workstation, author=hanshan.member, status=Activity.Status.SUBMITTED
    )

    assert _approve(login(hanshan.staff), activity).status_code == 302

    activity.refresh_from_db()
    assert activity.status == Activity.Status.APPROVED
    assert activity.approved_by == hanshan.staff
    assert activity.reviews.get().action == ActivityReview.Action.APPROVED


def test_approve_action_leaves_a_members_draft_to_the_member(hanshan, login):
    draft = ActivityFactory(
        workstation=hanshan.workstation, author=hanshan.member, status=Activity.Status.DRAFT
    )
    _approve(login(hanshan.staff), draft)
    draft.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT


def test_approve_action_publishes_an_activity_the_office_logged(hanshan, login):
    logged = ActivityFactory(workstation=hanshan.workstation, status=Activity.Status.DRAFT)
    _approve(login(hanshan.staff), logged)
    logged.refresh_from_db()
    assert logged.status == Activity.Status.APPROVED


def test_activity_status_is_not_edited_in_the_form(counties, login):
    activity = counties.hanshan.objects["consultations.activity"]
    response = login(counties.hanshan.staff).get(
        url("consultations.activity", "change", activity.pk)
    )
    assert "status" not in response.context["adminform"].form.fields


def test_open_consultation_action_turns_a_message_into_a_topic(counties, login):
    message = counties.hanshan.objects["consultations.publicmessage"]
    response = login(counties.hanshan.staff).post(
        url("consultations.publicmessage", "changelist"),
        {"action": "open_consultation", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    assert message.consultations.get().topic_source == Consultation.TopicSource.RESIDENTS


def _jpeg_with_location() -> SimpleUploadedFile:
    image = Image.new("RGB", (3000, 2000), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 42.0, 0.0)}  # GPS: where the phone was
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_photo_uploaded_in_the_back_office_is_resized_and_stripped(hanshan, login):
    client = login(hanshan.staff)
    change = url("workstations.workstation", "change", hanshan.workstation.pk)
    data = changeform_data(client.get(change))
    data["photos-0-image"] = _jpeg_with_location()
    data["photos-0-caption"] = "门牌"

    response = client.post(change, data)

    assert response.status_code == 302
    photo = hanshan.workstation.photos.get()
    with Image.open(photo.image) as stored:
        assert max(stored.size) <= 1600
        assert not stored.getexif()


def test_the_back_office_photo_fields_offer_iphone_photos_in_the_file_picker(hanshan, login):
    change = url("workstations.workstation", "change", hanshan.workstation.pk)
    html = login(hanshan.staff).get(change).content.decode()
    (tag,) = re.findall(r'<input[^>]*name="photos-0-image"[^>]*>', html)
    assert 'accept="image/*,.heic,.heif"' in tag


def test_an_iphone_heic_uploaded_in_the_back_office_is_stored_as_a_stripped_jpeg(hanshan, login):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 42.0, 0.0)}  # GPS: where the phone was
    out = io.BytesIO()
    from_pillow(Image.new("RGB", (2400, 1800), "red")).save(out, format="HEIF", exif=exif)
    client = login(hanshan.staff)
    change = url("workstations.workstation", "change", hanshan.workstation.pk)
    data = changeform_data(client.get(change))
    data["photos-0-image"] = SimpleUploadedFile("IMG_0001.HEIC", out.getvalue(), "image/heic")
    data["photos-0-caption"] = "门牌"

    response = client.post(change, data)

    assert response.status_code == 302
    photo = hanshan.workstation.photos.get()
    assert photo.image.name.endswith(".jpg")
    with Image.open(photo.image) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 1600
        assert not stored.getexif()


def test_a_consultation_step_attachment_of_an_unknown_kind_is_refused(counties, login):
    consultation = counties.hanshan.objects["consultations.consultation"]
    client = login(counties.hanshan.staff)
    change = url("consultations.consultation", "change", consultation.pk)
    data = changeform_data(client.get(change))
    data["steps-0-attachment"] = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")

    response = client.post(change, data)

    assert response.status_code == 200
    (steps,) = [
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "steps"
    ]
    assert "attachment" in steps.errors[0]
    assert consultation.steps.get().attachment.name == ""


def test_a_save_into_another_committee_is_refused_behind_the_form(hanshan, huimin):
    request = RequestFactory().post("/")
    request.user = hanshan.staff
    with pytest.raises(PermissionDenied):
        ensure_visible(request, Workstation(committee=huimin.committee, name="越界"))


def test_a_save_pointing_into_another_committee_is_refused_behind_the_form(hanshan, huimin):
    request = RequestFactory().post("/")
    request.user = hanshan.staff
    with pytest.raises(PermissionDenied):
        ensure_visible(
            request,
            Workstation(committee=hanshan.committee, area=huimin.workstation.area),
        )


def _changelist_queries(client, label) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(label, "changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_changelist_queries_do_not_grow_with_rows(
    label, counties, city_staff, login, django_assert_max_num_queries
):
    client = login(city_staff)
    _changelist_queries(client, label)  # warm the caches (content types, sessions)
    baseline = _changelist_queries(client, label)
    for _ in range(5):
        MAKERS[label](counties.hanshan)

    with django_assert_max_num_queries(baseline):
        client.get(url(label, "changelist"))


def test_admin_index_lists_the_back_office_to_county_staff(hanshan, login):
    response = login(hanshan.staff).get(reverse("admin:index"))
    assert response.status_code == 200
    labels = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Workstation", "Member", "Activity", "Outcome", "Committee"} <= labels
    assert "StaffRole" in labels  # an office administrator sees who works in the office


@pytest.mark.parametrize(
    "label", ["workstations.workstation", "outcomes.outcome", "workstations.standard"]
)
def test_delete_selected_works_on_an_annotated_changelist(label, counties, superuser, login):
    obj = MAKERS[label](counties.hanshan)
    response = login(superuser).post(
        url(label, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_a_staff_role_grants_no_right_on_the_history_tables(hanshan):
    perms = hanshan.staff.get_all_permissions()
    assert "workstations.change_workstation" in perms
    assert not [p for p in perms if ".historical" in p]


def test_a_reader_may_export_only_when_the_role_says_so(reader_staff):
    assert not reader_staff.has_perm("members.export_member")
    assert not reader_staff.has_perm("members.import_member")


# --- Big lists -------------------------------------------------------------------------------


def test_a_list_longer_than_it_counts_says_so(hanshan, login, monkeypatch):
    from workstations import admin_base

    monkeypatch.setattr(admin_base, "COUNTED_AT_MOST", 3)
    ActivityFactory.create_batch(5, workstation=hanshan.workstation)
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"))
    assert re.search(r"3\+\s+履职活动", page.content.decode())


def test_a_searched_list_counts_fewer_matches(hanshan, login, monkeypatch):
    from workstations import admin_base

    monkeypatch.setattr(admin_base, "SEARCH_COUNTED_AT_MOST", 2)
    ActivityFactory.create_batch(3, workstation=hanshan.workstation, title="养老服务座谈")
    changelist = url("consultations.activity", "changelist")
    searched = login(hanshan.staff).get(changelist, {"q": "养老"}).content.decode()
    assert re.search(r"2\+\s+履职活动", searched)
    assert re.search(r"\b3\s+履职活动", login(hanshan.staff).get(changelist).content.decode())


def test_a_list_within_the_count_says_how_many(hanshan, login):
    ActivityFactory.create_batch(5, workstation=hanshan.workstation)
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"))
    text = page.content.decode()
    assert re.search(r"\b5\s+履职活动", text)
    assert "5+" not in text


def _workstation_filter(page):
    return next(
        spec
        for spec in page.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "workstation"
    )


def test_a_sidebar_filter_with_few_choices_lists_them(hanshan, login):
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"))
    spec = _workstation_filter(page)
    assert not spec.autocomplete
    assert (hanshan.workstation.pk, str(hanshan.workstation)) in spec.lookup_choices


def test_a_sidebar_filter_with_many_choices_is_picked_by_typing(hanshan, login, monkeypatch):
    from workstations import admin_base

    monkeypatch.setattr(admin_base.VisibleChoicesFilter, "listed_at_most", 1)
    WorkstationFactory(committee=hanshan.committee, name="另一工作室")
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"))
    text = page.content.decode()
    assert _workstation_filter(page).lookup_choices == []  # no row of them read to list
    assert 'name="workstation__id__exact"' in text
    assert 'data-field-name="workstation"' in text
    assert "admin/js/autocomplete" in text and "js/admin-filter" in text


def test_a_workstation_picked_by_typing_filters_the_list_and_keeps_the_search(
    hanshan, login, monkeypatch
):
    from workstations import admin_base

    monkeypatch.setattr(admin_base.VisibleChoicesFilter, "listed_at_most", 1)
    other = WorkstationFactory(committee=hanshan.committee, name="另一工作室")
    mine = ActivityFactory(workstation=other, title="养老服务座谈")
    ActivityFactory(workstation=hanshan.workstation, title="养老服务调研")
    page = login(hanshan.staff).get(
        url("consultations.activity", "changelist"),
        {"q": "养老", "workstation__id__exact": other.pk},
    )
    text = page.content.decode()
    assert [a.pk for a in page.context["cl"].result_list] == [mine.pk]
    assert f'<option value="{other.pk}" selected>另一工作室</option>' in text
    assert '<input type="hidden" name="q" value="养老">' in text


def test_a_countys_search_names_its_workstations_and_finds_only_its_own(hanshan, huimin, login):
    mine = ActivityFactory(workstation=hanshan.workstation, title="养老服务座谈")
    ActivityFactory(workstation=huimin.workstation, title="养老服务调研")
    with CaptureQueriesContext(connection) as queries:
        page = login(hanshan.staff).get(url("consultations.activity", "changelist"), {"q": "养老"})
    assert [a.pk for a in page.context["cl"].result_list] == [mine.pk]
    # The matches are found among the county's workstations, then read by their ids alone.
    sqls = [q["sql"] for q in queries if q["sql"].startswith('SELECT "consultations_activity"')]
    found = [sql for sql in sqls if "ORDER BY" not in sql]
    listing = [sql for sql in sqls if "ORDER BY" in sql]
    # (Their ids as one array on PostgreSQL, a list elsewhere.)
    assert any(
        re.search(r'"consultations_activity"\."workstation_id" (IN \(|= ANY\()', sql)
        for sql in found
    )
    assert listing and all(
        re.search(r'"consultations_activity"\."id" (IN \(|= ANY\()', sql) for sql in listing
    )
    assert not any("LIKE" in sql for sql in listing)


def test_a_countys_search_counts_and_dates_its_matches_as_it_finds_them(hanshan, login):
    ActivityFactory(
        workstation=hanshan.workstation, title="养老服务座谈", date=datetime.date(2024, 3, 1)
    )
    ActivityFactory(
        workstation=hanshan.workstation, title="养老服务调研", date=datetime.date(2025, 5, 1)
    )
    ActivityFactory(
        workstation=hanshan.workstation, title="教育调研", date=datetime.date(2023, 5, 1)
    )
    client = login(hanshan.staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url("consultations.activity", "changelist"), {"q": "养老"})
    text = page.content.decode()
    assert re.search(r"\b2\s+履职活动", text)
    assert "2024" in text and "2025" in text and ">2023<" not in text  # the dates' years
    activities = [q["sql"] for q in queries if '"consultations_activity"' in q["sql"]]
    assert not any(sql.startswith("SELECT COUNT(*)") for sql in activities)
    assert not any("MIN(" in sql for sql in activities)


def test_a_countys_searched_list_does_not_grow_in_queries_with_its_matches(
    hanshan, login, django_assert_max_num_queries
):
    client = login(hanshan.staff)
    search = {"q": "养老"}
    ActivityFactory(workstation=hanshan.workstation, title="养老服务座谈")
    client.get(url("consultations.activity", "changelist"), search)  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        client.get(url("consultations.activity", "changelist"), search)
    for n in range(5):
        ActivityFactory(workstation=hanshan.workstation, title=f"养老服务走访{n}")
    with django_assert_max_num_queries(len(queries)):
        page = client.get(url("consultations.activity", "changelist"), search)
    assert len(page.context["cl"].result_list) == 6


def _dated_activities(workstation, title: str, n: int) -> list[Activity]:
    """``n`` activities titled ``title`` and their number, a day apart, oldest first."""
    return [
        ActivityFactory(
            workstation=workstation,
            title=f"{title}{i}",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(n)
    ]


def test_a_countys_search_pages_through_its_matches_in_the_lists_order(hanshan, login, monkeypatch):
    from consultations.admin import ActivityAdmin

    monkeypatch.setattr(ActivityAdmin, "list_per_page", 2)
    made = _dated_activities(hanshan.workstation, "养老服务走访", 5)
    ActivityFactory(workstation=hanshan.workstation, title="教育调研")
    newest_first = [a.pk for a in reversed(made)]
    client = login(hanshan.staff)
    pages = [
        client.get(url("consultations.activity", "changelist"), {"q": "养老", "p": p})
        for p in (1, 2, 3)
    ]
    assert [[a.pk for a in page.context["cl"].result_list] for page in pages] == [
        newest_first[0:2],
        newest_first[2:4],
        newest_first[4:],
    ]
    oldest_first = client.get(
        url("consultations.activity", "changelist"),
        {"q": "养老", "o": "2"},  # by date
    )
    assert [a.pk for a in oldest_first.context["cl"].result_list] == [a.pk for a in made[:2]]


def test_a_countys_list_reads_its_records_by_its_workstations_not_by_a_join(hanshan, login):
    ActivityFactory(workstation=hanshan.workstation)
    with CaptureQueriesContext(connection) as queries:
        page = login(hanshan.staff).get(url("consultations.activity", "changelist"))
    assert len(page.context["cl"].result_list) == 1
    listing = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "consultations_activity"."id"') and "ORDER BY" in q["sql"]
    ]
    conditions = [sql.split(" WHERE ", 1)[1] for sql in listing]
    assert conditions
    assert all('"workstations_workstation"."committee_id"' not in sql for sql in conditions)
    assert all(re.search(r'"workstation_id" (IN \(|= ANY\()', sql) for sql in conditions)


def test_the_back_offices_menu_follows_a_change_of_role(hanshan, login):
    """The menu is kept per set of permissions (``config.admin_site``): a clerk made the
    office's administrator sees the office's accounts at once."""
    from members.models import StaffRole

    StaffRole.objects.filter(user=hanshan.staff).update(role=StaffRole.Role.CLERK)

    def menu() -> set[str]:
        staff = type(hanshan.staff).objects.get(pk=hanshan.staff.pk)
        page = login(staff).get(reverse("admin:index"))
        return {m["object_name"] for app in page.context["available_apps"] for m in app["models"]}

    assert "StaffRole" not in menu()
    StaffRole.objects.filter(user=hanshan.staff).update(role=StaffRole.Role.ADMINISTRATOR)
    assert "StaffRole" in menu()
    staff = type(hanshan.staff).objects.get(pk=hanshan.staff.pk)
    sidebar = login(staff).get(url("consultations.activity", "changelist")).content.decode()
    assert 'id="nav-sidebar"' in sidebar and url("members.staffrole", "changelist") in sidebar


def test_the_sidebar_marks_the_page_it_is_on(hanshan, login):
    client = login(hanshan.staff)

    def current(address: str) -> list[str]:
        html = client.get(address).content.decode()
        sidebar = html[html.index('id="nav-sidebar"') :]
        return re.findall(r'<tr class="model-(\w+) current-model">', sidebar)

    for _round in range(2):  # the second time from the kept sidebars
        assert current(url("consultations.activity", "changelist")) == ["activity"]
        assert current(url("members.member", "changelist")) == ["member"]
        assert current(url("members.member", "change", hanshan.member.pk)) == ["member"]


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_every_lists_rows_are_written_as_django_writes_them(label, counties, superuser, login):
    """``cheap_result_list`` writes each cell as Django's ``result_list`` does, for a county's
    clerk and for a superuser (who also sees the committee's column), the list's filters kept
    in the rows' links."""
    from django.contrib.admin.templatetags.admin_list import results

    from config.templatetags.site_admin import cheap_result_list

    for user in (counties.hanshan.staff, superuser):
        page = login(user).get(url(label, "changelist"), {"o": "-1"})
        cl = page.context["cl"]
        assert cl.result_list
        ours = [[str(cell) for cell in row] for row in cheap_result_list(cl)["results"]]
        assert ours == [[str(cell) for cell in row] for row in results(cl)]
        assert all(
            "_changelist_filters=o%3D-1" in "".join(row) for row in ours if "href" in "".join(row)
        )


def test_a_provinces_search_for_a_phrase_with_many_matches_lists_them_and_says_more(
    hanshan, province_staff, login, monkeypatch
):
    from workstations import admin_base

    monkeypatch.setattr(admin_base, "SEARCH_COUNTED_AT_MOST", 1)
    made = _dated_activities(hanshan.workstation, "关爱老年人", 3)
    page = login(province_staff).get(url("consultations.activity", "changelist"), {"q": "老年人"})
    assert [a.pk for a in page.context["cl"].result_list] == [a.pk for a in reversed(made)]
    assert page.context["cl"].paginator.capped


def test_a_search_by_author_looks_among_the_countys_own_members(
    hanshan, huimin, login, monkeypatch
):
    from workstations import admin_base

    monkeypatch.setattr(admin_base, "RELATED_MATCHES", 1)
    MemberFactory(committee=huimin.committee, name="李养老")  # another county's, found first
    author = MemberFactory(committee=hanshan.committee, name="王养老")
    mine = ActivityFactory(workstation=hanshan.workstation, title="入户走访", author=author)
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"), {"q": "养老"})
    assert [a.pk for a in page.context["cl"].result_list] == [mine.pk]


def test_the_outcome_list_dates_only_what_was_submitted(hanshan, login):
    from outcomes.models import Outcome
    from tests.factories import OutcomeFactory

    OutcomeFactory(committee=hanshan.committee, submitted_on=datetime.date(2025, 5, 6))
    OutcomeFactory(committee=hanshan.committee, status=Outcome.Status.DRAFT, submitted_on=None)
    page = login(hanshan.staff).get(url("outcomes.outcome", "changelist"))
    assert page.status_code == 200
    assert ">2025<" in page.content.decode()


def test_the_workstation_choices_come_by_kind_and_name(hanshan, login):
    room = Workstation.Kind.CONSULTATION_ROOM
    for name in ("乙站", "丙站", "甲站"):
        WorkstationFactory(committee=hanshan.committee, name=name, kind=room)
    response = login(hanshan.staff).get(
        reverse("admin:autocomplete"),
        {"app_label": "consultations", "model_name": "activity", "field_name": "workstation"},
    )
    names = [r["text"] for r in response.json()["results"]]
    rooms = sorted(w.name for w in Workstation.objects.filter(kind=room))
    assert [n for n in names if n in rooms] == rooms


def test_a_search_longer_than_it_counts_says_so(hanshan, login, monkeypatch):
    from workstations import admin_base

    monkeypatch.setattr(admin_base, "SEARCH_COUNTED_AT_MOST", 3)
    ActivityFactory.create_batch(5, workstation=hanshan.workstation, title="养老座谈")
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"), {"q": "养老"})
    text = page.content.decode()
    assert "3+ 条结果" in text
    assert 'alt="搜索"' in text


def test_the_filters_offer_no_counts_of_the_whole_list(hanshan, login):
    page = login(hanshan.staff).get(url("consultations.activity", "changelist"), {"_facets": "1"})
    assert "显示计数" not in page.content.decode()
    assert not page.context["cl"].add_facets

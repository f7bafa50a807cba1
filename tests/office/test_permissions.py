"""Every office address × every persona: who may, who may not, and how they are refused.

Anonymous → the sign-in page. A signed-in account that is not staff, or a committee it cannot
see → 404 (as if the page did not exist). Inside the committee: a reader reads but may neither
adjust the assessment nor download (403). A city's staff see the counties below the city.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import PERSONAS

from .conftest import LAST_YEAR

pytestmark = pytest.mark.django_db

# Of the shared personas (tests/personas.py).
MATRIX_PERSONAS = [
    "anonymous",
    "member",
    "staff",
    "other_county_staff",
    "city_staff",
    "reader",
    "superuser",
]
assert set(MATRIX_PERSONAS) <= set(PERSONAS)
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def expect(*, staff=OK, reader=OK) -> dict:
    """The answers for a hanshan address: hanshan's staff, the city above and a superuser get
    ``staff``, the reader ``reader``; other counties' staff and non-staff get a 404."""
    return {
        "anonymous": "login",
        "member": NOT_FOUND,
        "staff": staff,
        "other_county_staff": NOT_FOUND,
        "city_staff": staff,
        "reader": reader,
        "superuser": staff,
    }


YEAR = {"year": LAST_YEAR}

# (URL name, kwargs builder, method, data builder, expected)
CASES = [
    ("office:home", lambda o: {}, "get", None, expect(staff=REDIRECT, reader=REDIRECT)),
    ("office:board", lambda o: {}, "get", lambda o: YEAR, expect()),
    ("office:board_xlsx", lambda o: {}, "get", lambda o: YEAR, expect(reader=FORBIDDEN)),
    ("office:figures", lambda o: {}, "get", lambda o: YEAR, expect()),
    ("office:statistics", lambda o: {}, "get", lambda o: YEAR, expect(reader=FORBIDDEN)),
    ("office:points", lambda o: {}, "get", lambda o: YEAR, expect()),
    ("office:points_xlsx", lambda o: {}, "get", lambda o: YEAR, expect(reader=FORBIDDEN)),
    ("office:member", lambda o: {"pk": o.hanshan.member.pk}, "get", lambda o: YEAR, expect()),
    (
        "office:member_print",
        lambda o: {"pk": o.hanshan.member.pk},
        "get",
        lambda o: YEAR,
        expect(),
    ),
    (
        "office:member_xlsx",
        lambda o: {"pk": o.hanshan.member.pk},
        "get",
        lambda o: YEAR,
        expect(reader=FORBIDDEN),
    ),
    ("office:assessment", lambda o: {}, "get", lambda o: YEAR, expect()),
    ("office:assessment_xlsx", lambda o: {}, "get", lambda o: YEAR, expect(reader=FORBIDDEN)),
    (
        "office:adjust",
        lambda o: {"pk": o.hanshan.workstation.pk},
        "get",
        lambda o: YEAR,
        expect(reader=FORBIDDEN),
    ),
    (
        "office:adjust",
        lambda o: {"pk": o.hanshan.workstation.pk},
        "post",
        lambda o: {"points": "1.5", "reason": "承办全县现场推进会"},
        expect(staff=REDIRECT, reader=FORBIDDEN),
    ),
    ("office:ledgers", lambda o: {}, "get", None, expect()),
    (
        "office:ledgers",
        lambda o: {},
        "get",
        lambda o: {"workstation": o.hanshan.workstation.pk, "month": f"{LAST_YEAR}-03"},
        expect(reader=FORBIDDEN),
    ),
    (
        "office:committee_ledger_xlsx",
        lambda o: {},
        "get",
        lambda o: {"month": f"{LAST_YEAR}-03"},
        expect(reader=FORBIDDEN),
    ),
    # The account's own background jobs (tests/tasks/test_downloads.py: only its own).
    ("office:downloads", lambda o: {}, "get", None, expect()),
]


@pytest.fixture
def personas(world):
    return world.users


def _client(personas, persona, login, client):
    user = personas[persona]
    return client if user is None else login(user)


@pytest.mark.parametrize("persona", MATRIX_PERSONAS)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_office_address_by_persona(
    name, kwargs, method, data, expected, persona, world, personas, login, client
):
    url = reverse(name, kwargs={"committee": "hanshan", **kwargs(world)})
    payload = data(world) if data else {}
    response = getattr(_client(personas, persona, login, client), method)(url, payload)
    want = expected[persona]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, response.content[:500]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "login"),
        ("member", NOT_FOUND),
        ("staff", "/office/hanshan/rhythm/"),
        ("other_county_staff", "/office/huimin/rhythm/"),
        ("city_staff", "/office/maanshan/rhythm/"),
        ("reader", "/office/hanshan/rhythm/"),
        ("superuser", OK),
    ],
)
def test_the_landing_page_sends_each_account_to_its_own_committee(
    persona, expected, personas, login, client
):
    response = _client(personas, persona, login, client).get(reverse("office:index"))
    if expected == "login":
        assert response["Location"].startswith(reverse("accounts:login"))
    elif isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 302
        assert response["Location"] == expected


def test_superuser_landing_lists_every_committee(office, superuser, login):
    response = login(superuser).get(reverse("office:index"))
    assert {"hanshan", "huimin", "maanshan"} <= {c.slug for c in response.context["committees"]}


def test_the_switcher_opens_a_county_below_but_not_another(office, city_staff, login):
    client = login(city_staff)
    response = client.get(reverse("office:index"), {"committee": "hanshan"})
    assert response["Location"] == "/office/hanshan/rhythm/"
    assert client.get(reverse("office:index"), {"committee": "huimin"}).status_code == 404


def test_the_switcher_offers_a_step_up_or_down_the_tree(office, login):
    from tests.factories import CommitteeFactory, StaffRoleFactory, UserFactory
    from workstations.models import Committee

    city = office.hanshan.committee.parent
    province = city.parent
    CommitteeFactory(name="当涂县政协", slug="dangtu", level="county", parent=city)
    CommitteeFactory(name="芜湖市政协", slug="wuhu", level="city", parent=province)
    CommitteeFactory(
        name="无为市政协", slug="wuwei", level="county", parent=Committee.objects.get(slug="wuhu")
    )
    staff = StaffRoleFactory(user=UserFactory(is_staff=True), committee=province).user
    client = login(staff)

    def offered(slug: str) -> list[str]:
        response = client.get(reverse("office:board", kwargs={"committee": slug}))
        return [c.slug for c in response.wsgi_request.office_committees]

    assert offered("anhui") == ["anhui", "wuhu", "maanshan"]
    assert offered("maanshan") == ["anhui", "wuhu", "maanshan", "hanshan", "dangtu"]
    assert offered("hanshan") == ["anhui", "maanshan", "hanshan", "dangtu"]


def test_city_staff_cannot_open_another_citys_county(office, city_staff, login):
    client = login(city_staff)
    url = reverse("office:board", kwargs={"committee": "huimin"})
    assert client.get(url).status_code == 404


def test_an_object_of_another_county_under_ones_own_address_is_404(office, login):
    client = login(office.hanshan.staff)
    member = reverse(
        "office:member", kwargs={"committee": "hanshan", "pk": office.huimin.member.pk}
    )
    adjust = reverse(
        "office:adjust", kwargs={"committee": "hanshan", "pk": office.huimin.workstation.pk}
    )
    assert client.get(member).status_code == 404
    assert client.post(adjust, {"points": "1", "reason": "x"}).status_code == 404


def test_a_staff_account_without_a_role_sees_nothing(office, login):
    from tests.factories import UserFactory

    loose = UserFactory(username="loose_staff", is_staff=True)
    client = login(loose)
    assert client.get(reverse("office:index")).status_code == 404
    assert client.get(reverse("office:board", kwargs={"committee": "hanshan"})).status_code == 404


def test_an_inactive_staff_account_is_refused(office, client):
    staff = office.hanshan.staff
    client.force_login(staff)
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    response = client.get(reverse("office:board", kwargs={"committee": "hanshan"}))
    assert response.status_code in (302, 404)

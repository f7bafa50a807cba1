"""Signing in with a username or a mobile number, lock-out, password change and reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from config import settings as production_settings
from tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def axes_on(settings):
    """The production authentication backends, axes first (tests otherwise sign in without
    it: see config/settings_test.py)."""
    settings.AUTHENTICATION_BACKENDS = production_settings.AUTHENTICATION_BACKENDS
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_ENABLED is True


def _sign_in(client, username, password=PASSWORD, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_a_member_signs_in_with_their_mobile_number(hanshan, axes_on):
    client = Client()
    response = _sign_in(client, hanshan.member.mobile)
    assert response.status_code == 302
    assert response["Location"] == reverse("me:desk")
    assert client.get(reverse("me:desk")).context["member"] == hanshan.member


def test_the_mobile_number_may_be_typed_with_spaces_or_full_width_digits(hanshan):
    mobile = hanshan.member.mobile
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in mobile)
    for typed in (spaced, full_width):
        client = Client()
        assert _sign_in(client, typed).status_code == 302


def test_a_member_signs_in_with_their_username(hanshan, axes_on):
    assert _sign_in(Client(), "hanshan_member").status_code == 302


def test_an_account_named_by_its_mobile_signs_in_with_it(db):
    UserFactory(username="13700000001")
    assert _sign_in(Client(), "13700000001").status_code == 302


def test_a_mobile_number_shared_by_two_accounts_is_refused(hanshan):
    # An account whose username is the member's mobile number, and the member's own account.
    UserFactory(username=hanshan.member.mobile)
    response = _sign_in(Client(), hanshan.member.mobile)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["__all__"]
    assert [e.code for e in errors] == ["ambiguous_mobile"]
    # The same number on two members' register entries is ambiguous too.
    MemberFactory(
        committee=hanshan.committee,
        mobile=hanshan.convener.mobile,
        user=UserFactory(username="someone_else"),
    )
    assert _sign_in(Client(), hanshan.convener.mobile).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(hanshan):
    response = _sign_in(Client(), hanshan.member.mobile, "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_staff_reach_their_back_office_from_the_sign_in_page(hanshan, axes_on):
    response = _sign_in(Client(), "hanshan_office")
    assert response["Location"] == reverse("admin:index")


def test_five_failures_lock_the_account_even_with_the_right_password(hanshan, axes_on):
    client = Client()
    statuses = [_sign_in(client, "hanshan_member", "wrong").status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    response = _sign_in(Client(), "hanshan_member")  # right password, another browser
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "hanshan_member" not in html  # the page does not tell which account a number is
    assert "_auth_user_id" not in client.session


def test_failures_by_mobile_and_by_username_count_for_one_account(hanshan, axes_on):
    for typed in [hanshan.member.mobile, "hanshan_member"] * 2 + [hanshan.member.mobile]:
        _sign_in(Client(), typed, "wrong")
    assert _sign_in(Client(), "hanshan_member").status_code == 429


def test_a_success_resets_the_count(hanshan, axes_on):
    for _ in range(4):
        _sign_in(Client(), "hanshan_member", "wrong")
    assert _sign_in(Client(), "hanshan_member").status_code == 302
    for _ in range(4):
        _sign_in(Client(), "hanshan_member", "wrong")
    assert _sign_in(Client(), "hanshan_member").status_code == 302


def test_the_admin_sign_in_works_and_is_protected_too(hanshan, axes_on):
    url = reverse("admin:login")
    assert _sign_in(Client(), "hanshan_office", url=url).status_code == 302
    for _ in range(5):
        _sign_in(Client(), "hanshan_office", "wrong", url=url)
    assert _sign_in(Client(), "hanshan_office", url=url).status_code == 429


def test_sign_out_is_a_post(hanshan, login):
    client = login(hanshan.member.user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("me:desk")).status_code == 302


def test_password_change(hanshan, login):
    client = login(hanshan.member.user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "lotus-pond-2025",
            "new_password2": "lotus-pond-2025",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    hanshan.member.user.refresh_from_db()
    assert hanshan.member.user.check_password("lotus-pond-2025")


def test_password_reset_by_email(hanshan):
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": hanshan.member.user.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "hanshan_member" in body
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", body).group(1)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "lotus-pond-2025", "new_password2": "lotus-pond-2025"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    hanshan.member.user.refresh_from_db()
    assert hanshan.member.user.check_password("lotus-pond-2025")


def test_sign_in_page_renders_for_the_public(db):
    html = Client().get(LOGIN).content.decode()
    assert 'autocomplete="username"' in html
    assert 'name="password"' in html

"""Residents' messages: the form and its spam checks, the tracking page, the rating."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.utils import timezone

from config.portal.forms import new_challenge, read_challenge
from consultations.models import Consultation, PublicMessage
from consultations.services.messages import message_rate, message_to_consultation
from tests.factories import MemberFactory, MembershipFactory, PublicMessageFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_TEXT = "长" * 10_000
SCRIPT = "<script>alert('x')</script>路灯坏了"


def form_url(p) -> str:
    return f"/{p.county.slug}/workstations/{p.workstation.slug}/message/"


def fresh_form(client, p) -> dict:
    """GET the form; return the fields a person would send, with the question answered."""
    response = client.get(form_url(p))
    token = response.context["form"].initial["challenge"]
    question = read_challenge(token)
    assert response.context["form"].challenge_question in response.content.decode()
    return {
        "category": PublicMessage.Category.TRAFFIC,
        "text": "小区门口的路灯坏了两个月。",
        "name": "李先生",
        "mobile": "138 0013 8000",
        "reply_may_be_published": "on",
        "homepage": "",
        "challenge": token,
        "answer": str(question["a"] + question["b"]),
    }


def send(client, p, addr: str = "10.0.0.1", **changes):
    data = fresh_form(client, p)
    data.update(changes)
    return client.post(form_url(p), data, REMOTE_ADDR=addr)


def test_a_resident_leaves_a_message_and_gets_a_tracking_code(
    client, portal, django_capture_on_commit_callbacks
):
    before = PublicMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, portal)
    assert response.status_code == 302
    message = PublicMessage.objects.latest("pk")
    assert PublicMessage.objects.count() == before + 1
    assert (message.workstation, message.mobile, message.name) == (
        portal.workstation,
        "13800138000",
        "李先生",
    )
    assert message.reply_may_be_published and message.status == PublicMessage.Status.NEW

    page = client.get(response["Location"])
    content = page.content.decode()
    assert message.tracking_code in content
    assert "13800138000" not in content

    # The convener in force gets an e-mail, without the mobile or the code.
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [portal.hanshan.convener.user.email]
    assert "小区门口的路灯坏了两个月。" in sent.body
    assert "13800138000" not in sent.body + sent.subject
    assert message.tracking_code not in sent.body + sent.subject

    # Tracking by code shows it; nothing private anywhere on the public pages.
    content = client.get(f"/track/?code={message.tracking_code.lower()}").content.decode()
    assert "小区门口的路灯坏了两个月。" in content and "Received" in content
    for url in [portal.workstation.get_absolute_url(), f"/{portal.county.slug}/"]:
        content = client.get(url).content.decode()
        assert "13800138000" not in content and "李先生" not in content


def test_only_active_conveners_with_an_email_are_told(portal, django_capture_on_commit_callbacks):
    from consultations.services.messages import message_create

    deputy = MemberFactory(committee=portal.county, user=UserFactory(username="deputy"))
    MembershipFactory(member=deputy, workstation=portal.workstation, role="deputy")
    former = MemberFactory(committee=portal.county, user=UserFactory(username="former"))
    MembershipFactory(
        member=former,
        workstation=portal.workstation,
        role="convener",
        until=timezone.localdate().replace(year=2020),
        since=timezone.localdate().replace(year=2019),
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_create(
            workstation=portal.workstation, mobile="13800138000", category="other", text="你好"
        )
    assert [m.to for m in mail.outbox] == [[portal.hanshan.convener.user.email]]


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"category": "", "text": "", "mobile": ""}, "This field is required."),
        ({"text": LONG_TEXT}, "at most 2000 characters"),
        ({"text": "   "}, "This field is required."),
        ({"mobile": "12345"}, "11-digit mainland mobile"),
        ({"category": "nonsense"}, "Select a valid choice"),
        ({"homepage": "http://spam.example"}, "Your message could not be sent"),
        ({"answer": "999"}, "That answer is not right"),
        ({"answer": "abc"}, "Answer with a number"),
        ({"challenge": "forged:token"}, "The question has expired"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client, portal, changes, error, django_capture_on_commit_callbacks
):
    before = PublicMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, portal, **changes)
    assert response.status_code == 200
    content = response.content.decode()
    assert error in content
    assert "Your message was not sent" in content
    assert PublicMessage.objects.count() == before
    assert mail.outbox == []
    # A new question is asked, and the old answer is not shown again.
    form = response.context["form"]
    assert read_challenge(form["challenge"].value()) is not None
    assert form["answer"].value() == ""


def test_an_empty_post_changes_nothing(client, portal):
    before = PublicMessage.objects.count()
    response = client.post(form_url(portal), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert PublicMessage.objects.count() == before


def test_a_script_in_an_invalid_form_is_shown_escaped(client, portal):
    response = send(client, portal, text=SCRIPT, mobile="")
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


def test_what_a_resident_wrote_is_shown_escaped(client, portal):
    response = send(client, portal, text=SCRIPT)
    assert response.status_code == 302
    message = PublicMessage.objects.latest("pk")
    assert message.text == SCRIPT  # kept as written
    # Published with a reply on the workstation page, and on the tracking page: escaped.
    PublicMessage.objects.filter(pk=message.pk).update(
        status=PublicMessage.Status.ANSWERED, reply="<b>已处理</b>"
    )
    for url in [f"/track/?code={message.tracking_code}", portal.workstation.get_absolute_url()]:
        content = client.get(url).content.decode()
        assert "<script>alert" not in content and "<b>已处理" not in content
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;路灯坏了" in content


def test_an_expired_question_is_refused(client, portal, monkeypatch):
    data = fresh_form(client, portal)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 3 * 60 * 60)
    old = new_challenge()
    monkeypatch.setattr(signing.time, "time", real_time)
    question = read_challenge(old, max_age=None)
    data.update(challenge=old, answer=str(question["a"] + question["b"]))
    before = PublicMessage.objects.count()
    response = client.post(form_url(portal), data)
    assert "The question has expired" in response.content.decode()
    assert PublicMessage.objects.count() == before


def test_an_answered_question_cannot_be_replayed(client, portal):
    data = fresh_form(client, portal)
    assert client.post(form_url(portal), data).status_code == 302
    before = PublicMessage.objects.count()
    response = client.post(form_url(portal), data)
    assert response.status_code == 200
    assert "This form was already sent" in response.content.decode()
    assert PublicMessage.objects.count() == before


def test_five_messages_an_hour_per_address(client, portal, settings):
    settings.PUBLIC_MESSAGES_PER_HOUR = 5
    for _ in range(5):
        assert send(client, portal, addr="10.0.0.7").status_code == 302
    before = PublicMessage.objects.count()
    response = send(client, portal, addr="10.0.0.7")
    assert response.status_code == 200
    assert "Too many messages were sent from your network" in response.content.decode()
    assert PublicMessage.objects.count() == before
    # Another address is not held back.
    assert send(client, portal, addr="10.0.0.8").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, portal, settings):
    settings.PUBLIC_MESSAGES_PER_HOUR = 1
    assert send(client, portal, addr="10.0.0.9").status_code == 302
    data = fresh_form(client, portal)
    response = client.post(
        form_url(portal), data, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert "Too many messages" in response.content.decode()


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, portal, settings):
    settings.PUBLIC_MESSAGES_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    data = fresh_form(client, portal)
    assert (
        client.post(
            form_url(portal), data, **proxy, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1"
        ).status_code
        == 302
    )
    data = fresh_form(client, portal)
    # The client forges the left-most entry; the proxy's entry (right-most) still counts.
    response = client.post(
        form_url(portal), data, **proxy, HTTP_X_FORWARDED_FOR="7.7.7.7, 10.1.1.1"
    )
    assert "Too many messages" in response.content.decode()
    data = fresh_form(client, portal)
    response = client.post(form_url(portal), data, **proxy, HTTP_X_FORWARDED_FOR="10.1.1.2")
    assert response.status_code == 302


@pytest.mark.parametrize("code", ["WRONGCODE1", "", "<script>x</script>", "A" * 25])
def test_a_wrong_code_on_the_tracking_page_says_so(client, portal, code):
    response = client.get("/track/", {"code": code})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>x" not in content
    assert "No message has this tracking code" in content or "This field is required" in content
    assert response.context["message"] is None


def test_too_many_wrong_codes_are_held_back(client, portal):
    for _ in range(30):
        client.get("/track/", {"code": "WRONGCODE1"})
    response = client.get("/track/", {"code": portal.answered.tracking_code})
    assert "Too many wrong codes" in response.content.decode()
    assert response.context["message"] is None


def rate(client, message, rating):
    return client.post("/track/rate/", {"code": message.tracking_code, "rating": rating})


def test_an_open_message_cannot_be_rated(client, portal):
    message = portal.answered
    content = client.get(f"/track/?code={message.tracking_code}").content.decode()
    assert 'name="rating"' not in content
    response = rate(client, message, 5)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.rating is None
    assert "Only a closed message can be rated" in client.get(response["Location"]).content.decode()


def test_a_closed_message_is_rated_once(client, portal):
    message = portal.answered
    PublicMessage.objects.filter(pk=message.pk).update(
        status=PublicMessage.Status.CLOSED, closed_at=timezone.now()
    )
    content = client.get(f"/track/?code={message.tracking_code}").content.decode()
    assert 'name="rating"' in content
    response = rate(client, message, 4)
    assert "Thank you for rating" in client.get(response["Location"]).content.decode()
    message.refresh_from_db()
    assert (message.rating, message.rated_at is not None) == (4, True)

    rate(client, message, 1)
    message.refresh_from_db()
    assert message.rating == 4
    content = client.get(f"/track/?code={message.tracking_code}").content.decode()
    assert 'name="rating"' not in content and "4 out of 5" in content


@pytest.mark.parametrize("bad", ["0", "6", "five", ""])
def test_a_rating_out_of_range_changes_nothing(client, portal, bad):
    message = portal.answered
    PublicMessage.objects.filter(pk=message.pk).update(status=PublicMessage.Status.CLOSED)
    rate(client, message, bad)
    message.refresh_from_db()
    assert message.rating is None


def test_a_hidden_message_cannot_be_rated(client, portal):
    message = portal.hidden_message
    rate(client, message, 5)
    message.refresh_from_db()
    assert message.rating is None


def test_the_rating_service_refuses_twice_and_open_messages(portal):
    message = PublicMessageFactory(workstation=portal.workstation)
    assert message_rate(message=message, rating=5) is False
    PublicMessage.objects.filter(pk=message.pk).update(status=PublicMessage.Status.CLOSED)
    assert message_rate(message=message, rating=5) is True
    assert message_rate(message=message, rating=3) is False
    with pytest.raises(ValueError):
        message_rate(message=message, rating=9)


def test_a_message_becomes_a_consultation_topic(portal):
    message = PublicMessageFactory(workstation=portal.workstation, text="小区停车难\n详细情况……")
    consultation = message_to_consultation(message=message)
    assert consultation.topic == "小区停车难"
    assert consultation.topic_source == Consultation.TopicSource.RESIDENTS
    assert consultation.source_message == message and not consultation.is_published
    message.refresh_from_db()
    assert message.status == PublicMessage.Status.IN_PROGRESS


def test_the_sent_page_needs_its_signed_token(client, portal):
    url = f"/{portal.county.slug}/workstations/{portal.workstation.slug}/message/sent/"
    assert client.get(url, {"t": "ABCDEFGHJK"}).status_code == 302
    token = signing.dumps("ABCDEFGHJK", salt="consultations.message-sent")
    assert "ABCDEFGHJK" in client.get(url, {"t": token}).content.decode()


def test_after_an_error_the_question_shown_is_the_one_checked(client, portal):
    import re

    data = fresh_form(client, portal)
    response = client.post(form_url(portal), {**data, "answer": "0"})
    html = response.content.decode()
    label = re.search(r'<label for="id_answer">([^<]*)</label>', html).group(1)
    token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    a, b = map(int, re.findall(r"\d+", label))
    response = client.post(form_url(portal), {**data, "challenge": token, "answer": str(a + b)})
    assert response.status_code == 302

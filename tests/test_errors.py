import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_address_is_a_friendly_404(client):
    response = client.get("/no-such-committee/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() or "页面" in response.content.decode()


def test_the_500_page_renders_without_a_request():
    assert "<h1>" in render_to_string("500.html")


def test_the_health_check_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").content == b"ok"


@pytest.mark.parametrize("slug", ["admin", "track", "me", "office", "sitemap-brands"])
def test_a_committee_cannot_take_an_address_the_site_uses(slug):
    committee = CommitteeFactory.build(slug=slug, level="province", parent=None, name="x")
    with pytest.raises(ValidationError) as excinfo:
        committee.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_pages_are_chinese_even_when_the_browser_asks_for_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"


def test_the_language_switch_gives_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"

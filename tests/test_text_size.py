"""Large text (适老化): the switch, its cookie, and the public page cache keeping a copy each."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from config.views import TEXT_SIZE_COOKIE


@pytest.mark.django_db
def test_the_switch_remembers_large_text_and_forgets_it_again():
    client = Client()
    response = client.get(reverse("switch_text_size"), {"size": "large", "next": "/hanshan/"})
    assert response.status_code == 302 and response["Location"] == "/hanshan/"
    assert client.cookies[TEXT_SIZE_COOKIE].value == "large"
    response = client.get(reverse("switch_text_size"), {"size": "normal"})
    assert response["Location"] == "/" and client.cookies[TEXT_SIZE_COOKIE].value == ""


@pytest.mark.django_db
def test_the_switch_sends_nobody_to_another_site():
    response = Client().get(reverse("switch_text_size"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_a_cached_public_page_is_kept_apart_for_each_text_size(hanshan):
    url = f"/{hanshan.committee.slug}/"
    normal, large = Client(), Client()
    large.cookies[TEXT_SIZE_COOKIE] = "large"
    assert normal.get(url)["X-Page-Cache"] == "miss"
    first = large.get(url)
    assert first["X-Page-Cache"] == "miss" and b'class="text-large"' in first.content
    second = normal.get(url)
    assert second["X-Page-Cache"] == "hit" and b'class="text-large"' not in second.content
    assert large.get(url)["X-Page-Cache"] == "hit"

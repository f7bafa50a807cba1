"""``{{ user|person_name }}``: a reviewer, author or editor by their name, not their username
(see ``members.names.person_name``)."""

from __future__ import annotations

from django import template

from members import names

register = template.Library()


@register.filter
def person_name(user) -> str:
    return names.person_name(user)

"""How a person behind an account is named wherever they appear (a reviewer, an author, who
made an adjustment or a change): the member's name when the account is a member's, else the
account's full name, else its username. Never the username when a name is known."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist


def person_name(user: AbstractBaseUser | None) -> str:
    """The name to show for ``user`` ("" for none). Load ``member`` with the user
    (``select_related("…__member")``) where many are shown, so that none costs a query."""
    if user is None:
        return ""
    try:
        member = user.member
    except (ObjectDoesNotExist, AttributeError):
        member = None
    if member is not None and member.name:
        return member.name
    full_name = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()

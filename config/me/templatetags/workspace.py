"""Template helpers for the member workspace."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from ..access import convened_workstations, member_of

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_member(context):
    """The serving member signed in, or None (cached on the request)."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "member"):
        request.member = member_of(request.user)
    return request.member


@register.simple_tag(takes_context=True)
def convenes(context) -> bool:
    """Whether the member signed in convenes a workstation (shows the queue in the menu)."""
    request = context.get("request")
    member = workspace_member(context)
    if member is None:
        return False
    if not hasattr(request, "_convenes"):
        request._convenes = convened_workstations(member).exists()
    return request._convenes


@register.filter
def duration(value) -> str:
    """A timedelta in words ("1 hour"), in the user's language."""
    if not isinstance(value, datetime.timedelta):
        return ""
    now = timezone.now()
    return timesince(now - value, now)

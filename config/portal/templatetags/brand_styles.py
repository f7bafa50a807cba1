"""``{% brand_stylesheet %}``: the ``<link>`` to the committees' brand colours (``/brands.css``,
config/portal/styles.py), which pages use through the ``brand-<id>`` class."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..styles import brand_class as _brand_class
from ..styles import brand_styles_url

register = template.Library()


@register.simple_tag
def brand_stylesheet() -> SafeString:
    return format_html('<link rel="stylesheet" href="{}">', brand_styles_url())


@register.filter
def brand_class(committee) -> str:
    """``brand-<id>`` of a committee (or of a committee's id); empty for none."""
    committee_id = getattr(committee, "pk", committee)
    return _brand_class(committee_id) if committee_id else ""

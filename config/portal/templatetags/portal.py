"""Template helpers of the public portal: QR codes, colours that read on the brand colour, and
links that keep the current query string."""

from __future__ import annotations

import segno
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def qr_svg(context, path: str, label: str = "") -> SafeString:
    """An inline SVG QR code of the absolute URL of ``path``, drawn by segno.

    The SVG comes from segno and holds only path data; the label is escaped.
    """
    url = context["request"].build_absolute_uri(path)
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, dark="#000", light="#fff", omitsize=True
    )
    return format_html(
        '<span class="qr" role="img" aria-label="{}">{}</span>', label or url, mark_safe(svg)
    )


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@register.filter
def text_on(colour: str) -> str:
    """Black or white, whichever reads better (higher WCAG contrast) on ``colour`` (#RRGGBB)."""
    try:
        lum = _luminance(colour)
    except (TypeError, ValueError, IndexError):
        return "#ffffff"
    on_white = 1.05 / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#111111"


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with ``changes`` applied (a value of None drops the key)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"

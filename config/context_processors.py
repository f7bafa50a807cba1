"""What every page's template needs to know about the browser asking for it."""

from django.http import HttpRequest

from .views import large_text


def text_size(request: HttpRequest) -> dict[str, bool]:
    """``large_text``: the visitor chose large text (``switch_text_size``); ``base.html`` puts
    a class on ``<html>`` that the stylesheets scale from."""
    return {"large_text": large_text(request)}

"""Project-level views."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the app answers. Touches no database on purpose (it is
    also the trivial view the benchmarks compare our pages against)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: 200 only when the database (and replica), the cache, the
    file storage and the task broker all answer; otherwise 503 naming the one that did not."""
    from .readiness import answers

    found = answers()
    failed = [answer for answer in found if not answer.ok]
    body = {
        "ready": not failed,
        "engines": {
            answer.engine: {"ok": answer.ok, "seconds": answer.seconds}
            | ({"error": answer.detail, "variable": answer.variable} if not answer.ok else {})
            for answer in found
        },
    }
    if failed:
        body["failed"] = failed[0].engine
    return JsonResponse(body, status=503 if failed else 200, json_dumps_params={"indent": 1})


# Large text (适老化): the cookie ``switch_text_size`` sets and ``large_text`` reads.
TEXT_SIZE_COOKIE = "text_size"
TEXT_SIZE_COOKIE_AGE = 365 * 24 * 60 * 60
LARGE = "large"


def large_text(request: HttpRequest) -> bool:
    """Whether this browser asked for large text."""
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == LARGE


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return next_url


def switch_text_size(request: HttpRequest) -> HttpResponse:
    """Read the site in large text (``?size=large&next=/hanshan/``) or back in the normal size
    (any other ``size``), remembered in a cookie for a year.

    A GET like ``switch_language``, for the same reason. The pages carry the choice as a class
    on ``<html>`` rendered on the server (``config.context_processors.text_size``), so it works
    without JavaScript and never flashes; the public page cache keeps a copy per text size.
    """
    response = HttpResponseRedirect(_safe_next(request))
    if request.GET.get("size") == LARGE:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            LARGE,
            max_age=TEXT_SIZE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response


def switch_language(request: HttpRequest) -> HttpResponse:
    """Read the site in another language (``?language=en&next=/hanshan/``), remembered in the
    language cookie that ``ChineseFirstLocaleMiddleware`` reads.

    A GET without a CSRF token, unlike Django's ``set_language``: choosing a language changes
    nothing anyone else sees, and the public pages, cached for everyone, then carry no token.
    """
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response

"""Who is asking, and how often: the client address behind the proxies, and fixed-window rate
limits per address kept in the cache (shared by all app servers when the cache is Redis)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

RATE_PERIOD = 60 * 60
MAX_WRONG_CODES_PER_HOUR = 30


def client_address(request: HttpRequest) -> str:
    """The address a request came from.

    Directly exposed, ``REMOTE_ADDR``. Behind N trusted reverse proxies (settings
    ``TRUSTED_PROXY_COUNT = N``) each appends the address it saw to ``X-Forwarded-For``, so the
    client is the N-th entry from the right; entries further left were sent by the client and
    can be forged.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class RateLimit:
    """A fixed-window counter per client address, in the cache."""

    def __init__(self, scope: str, limit: int, period: int = RATE_PERIOD):
        self.scope, self.limit, self.period = scope, limit, period

    def _key(self, address: str) -> str:
        return f"ratelimit:{self.scope}:{address}"

    def reached(self, address: str) -> bool:
        return cache.get(self._key(address), 0) >= self.limit

    def hit(self, address: str) -> int:
        """Count one more from this address; the count so far, this one included. One atomic
        increment in the cache, so app servers sharing Redis count together, whatever runs at
        the same moment."""
        key = self._key(address)
        cache.add(key, 0, self.period)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.period)
            return 1

    def take(self, address: str) -> bool:
        """Count one more if the limit allows it: False (and nothing counted) once reached."""
        if self.reached(address):
            return False
        if self.hit(address) <= self.limit:
            return True
        cache.decr(self._key(address))  # another request took the last one meanwhile
        return False


def message_rate_limit() -> RateLimit:
    return RateLimit("message", getattr(settings, "PUBLIC_MESSAGES_PER_HOUR", 5))


wrong_code_rate_limit = RateLimit("track", MAX_WRONG_CODES_PER_HOUR)

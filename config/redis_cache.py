"""Django's Redis cache, with one ``redis.Redis`` per connection pool.

Django's client builds a new ``redis.Redis`` for every call (``RedisCacheClient.get_client``),
and each one fills its table of reply parsers: on a page served from the cache that was a third
of the time. A ``redis.Redis`` is safe to share between threads (it takes a connection from its
pool for each command), so one per pool is kept and reused.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            # Another thread may have built one meanwhile: either serves, one is kept.
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

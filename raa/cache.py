"""The cache on Redis, which a Redis outage degrades to "nothing cached" instead of errors.

Django's own Redis backend raises when Redis is unreachable, which would turn every page that
caches something into a server error during an outage. Here a read answers "not cached" and a
write is dropped, with a warning in the log (at most once a minute), and the pages carry on from
the database. (django-redis calls this IGNORE_EXCEPTIONS.)
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
_last_warning = [0.0]


def _warn(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        logger.warning(
            "Cache unavailable (%s: %s); carrying on without it.", operation, type(error).__name__
        )


class TolerantRedisCacheClient(RedisCacheClient):
    def _tolerant(self, operation: str, call, fallback):
        try:
            return call()
        except (self._lib.exceptions.ConnectionError, self._lib.exceptions.TimeoutError) as error:
            _warn(operation, error)
            return fallback

    def add(self, key, value, timeout):
        return self._tolerant(
            "add", lambda: super(TolerantRedisCacheClient, self).add(key, value, timeout), False
        )

    def get(self, key, default):
        return self._tolerant(
            "get", lambda: super(TolerantRedisCacheClient, self).get(key, default), default
        )

    def set(self, key, value, timeout):
        return self._tolerant(
            "set", lambda: super(TolerantRedisCacheClient, self).set(key, value, timeout), None
        )

    def touch(self, key, timeout):
        return self._tolerant(
            "touch", lambda: super(TolerantRedisCacheClient, self).touch(key, timeout), False
        )

    def delete(self, key):
        return self._tolerant(
            "delete", lambda: super(TolerantRedisCacheClient, self).delete(key), False
        )

    def get_many(self, keys):
        return self._tolerant(
            "get_many", lambda: super(TolerantRedisCacheClient, self).get_many(keys), {}
        )

    def has_key(self, key):
        return self._tolerant(
            "has_key", lambda: super(TolerantRedisCacheClient, self).has_key(key), False
        )

    def set_many(self, data, timeout):
        return self._tolerant(
            "set_many", lambda: super(TolerantRedisCacheClient, self).set_many(data, timeout), None
        )

    def delete_many(self, keys):
        return self._tolerant(
            "delete_many", lambda: super(TolerantRedisCacheClient, self).delete_many(keys), None
        )


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

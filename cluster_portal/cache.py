"""Django's Redis cache, keeping one redis client per connection pool instead of one per call.

Django 5.2 builds a new `redis.Redis` (with its table of some 170 response callbacks) for
every cache operation; on a cached page that was about a fifth of the time (bench/load.py).
A client is thread-safe and holds no connection of its own, so keeping it is safe.
"""

from django.core.cache.backends import redis


class _ClientKeepingRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientKeepingRedisCacheClient

"""Login throttle counters in Redis (WARDTRACK_REDIS_URL), for several hosts: the same rules as the database
store in wardtrack.auth.throttle, checked and counted by one Lua script, which Redis runs atomically."""

import math
from datetime import datetime

import redis
from flask import current_app

from wardtrack.auth.throttle import TooManyAttempts

# KEYS: the counters; ARGV: now, forget, first delay, longest delay, then each key's limit.
_RESERVE = """
local now, forget, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local wait, counts = 0, {}
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'n', 'next')
  local n, nxt = tonumber(state[1]) or 0, tonumber(state[2]) or 0
  counts[i] = n
  if n >= tonumber(ARGV[4 + i]) and nxt > now then wait = math.max(wait, nxt - now) end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(KEYS) do
  local limit, n = tonumber(ARGV[4 + i]), counts[i] + 1
  local pause = 0
  if n >= limit then pause = math.min(base * 2 ^ math.min(n - limit, 40), cap) end
  redis.call('HSET', key, 'n', n, 'next', string.format('%.6f', now + pause))
  redis.call('PEXPIRE', key, math.ceil(math.max(forget, pause) * 1000))
end
return '0'
"""
# KEYS: counters to take one attempt back from.
_REFUND = """
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('HGET', key, 'n') or '0') > 0 then redis.call('HINCRBY', key, 'n', -1) end
end
return 0
"""


class RedisStore:
    """One client and its scripts per app."""

    def __init__(self, url: str, prefix: str):
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.prefix = prefix + "login:"
        self._reserve = self.client.register_script(_RESERVE)
        self._refund = self.client.register_script(_REFUND)

    @classmethod
    def for_app(cls, app) -> "RedisStore":
        key = (app.config["REDIS_URL"], app.config["REDIS_KEY_PREFIX"])
        stores = app.extensions.setdefault("wardtrack_login_redis", {})
        if key not in stores:
            stores[key] = cls(*key)
        return stores[key]

    def reserve(self, rules, known_key, now: datetime) -> tuple[str, ...]:
        config = current_app.config
        known = bool(self.client.exists(self.prefix + known_key))
        active = [(key, limit) for key, limit in rules if not (known and key.startswith("u:"))]
        args = [now.timestamp(), config["LOGIN_FORGET_SECONDS"], config["LOGIN_DELAY_SECONDS"],
                config["LOGIN_MAX_DELAY_SECONDS"], *(limit for _key, limit in active)]
        wait = float(self._reserve(keys=[self.prefix + key for key, _limit in active], args=args))
        if wait > 0:
            raise TooManyAttempts(math.ceil(wait))
        return tuple(key for key, _limit in active)

    def refund(self, counted, clear, known, now: datetime) -> None:
        rest = [self.prefix + key for key in counted if key != clear]
        if rest:
            self._refund(keys=rest)
        if clear:
            self.client.delete(self.prefix + clear)
        if known:
            self.client.set(self.prefix + known, 1, ex=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"] * 86400)

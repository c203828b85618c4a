"""Login throttle counters in Redis (WARDTRACK_REDIS_URL), for several hosts: the same rules as the
database store in wardtrack.auth.throttle, each step one Lua script, which Redis runs atomically."""

import functools
import logging
import math
from datetime import datetime

import redis
from flask import current_app

from wardtrack.auth.throttle import CountersUnavailable, TooManyAttempts, _rules_by_key

log = logging.getLogger(__name__)

# KEYS: the counters; ARGV: now, forget, then each key's limit. The same verdict as
# throttle.check().
_RESERVE = """
local now, forget = tonumber(ARGV[1]), tonumber(ARGV[2])
local wait, pending = 0, false
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'n', 'p', 'next')
  local n, p, nxt = tonumber(state[1]) or 0, tonumber(state[2]) or 0, tonumber(state[3]) or 0
  local limit = tonumber(ARGV[2 + i])
  if n + p >= limit then
    if n >= limit and nxt > now then wait = math.max(wait, nxt - now)
    elseif not (n >= limit and p == 0) then pending = true end
  end
end
if wait > 0 then return 'wait:' .. string.format('%.6f', wait) end
if pending then return 'pending' end
for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'p', 1)
  if redis.call('PTTL', key) < forget * 1000 then redis.call('PEXPIRE', key, math.ceil(forget * 1000)) end
end
return 'go'
"""
# KEYS: the counters an attempt was registered under; ARGV: now, forget, first delay, longest delay,
# failed (1 or 0), then each key's limit.
_SETTLE = """
local now, forget, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('HGET', key, 'p') or '0') > 0 then redis.call('HINCRBY', key, 'p', -1) end
  if ARGV[5] == '1' then
    local n, limit = redis.call('HINCRBY', key, 'n', 1), tonumber(ARGV[5 + i])
    local pause = 0
    if n >= limit then pause = math.min(base * 2 ^ math.min(n - limit, 40), cap) end
    redis.call('HSET', key, 'next', string.format('%.6f', now + pause))
    redis.call('PEXPIRE', key, math.ceil(math.max(forget, pause) * 1000))
  end
end
return 0
"""


def _reachable(method):
    """A store method that answers CountersUnavailable (503) when Redis cannot be reached."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except redis.RedisError as error:
            log.error("login throttle: Redis unavailable: %s", type(error).__name__)
            raise CountersUnavailable() from None

    return wrapper


class RedisStore:
    """One client and its scripts per app."""

    def __init__(self, url: str, prefix: str):
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.prefix = prefix + "login:"
        self._reserve = self.client.register_script(_RESERVE)
        self._settle = self.client.register_script(_SETTLE)

    @classmethod
    def for_app(cls, app) -> "RedisStore":
        key = (app.config["REDIS_URL"], app.config["REDIS_KEY_PREFIX"])
        stores = app.extensions.setdefault("wardtrack_login_redis", {})
        if key not in stores:
            stores[key] = cls(*key)
        return stores[key]

    @_reachable
    def reserve(self, rules, known_key, now: datetime) -> tuple[str, ...] | None:
        known = bool(self.client.exists(self.prefix + known_key))
        active = [(key, limit) for key, limit in rules if not (known and key.startswith("u:"))]
        args = [
            now.timestamp(),
            current_app.config["LOGIN_FORGET_SECONDS"],
            *(limit for _key, limit in active),
        ]
        answer = self._reserve(
            keys=[self.prefix + key for key, _limit in active], args=args
        ).decode()
        if answer.startswith("wait:"):
            raise TooManyAttempts(math.ceil(float(answer[5:])))
        return None if answer == "pending" else tuple(key for key, _limit in active)

    @_reachable
    def settle(self, counted, failed: bool, clear, known, now: datetime) -> None:
        config = current_app.config
        if counted:
            args = [
                now.timestamp(),
                config["LOGIN_FORGET_SECONDS"],
                config["LOGIN_DELAY_SECONDS"],
                config["LOGIN_MAX_DELAY_SECONDS"],
                int(failed),
                *(limit for _key, limit in _rules_by_key(counted)),
            ]
            self._settle(keys=[self.prefix + key for key in counted], args=args)
        if clear:
            self.client.delete(self.prefix + clear)
        if known:
            self.client.set(self.prefix + known, 1, ex=config["LOGIN_KNOWN_ADDRESS_DAYS"] * 86400)

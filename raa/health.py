"""``GET /healthz``: does this instance's database, cache and broker answer? (INTERFACES.md,
"Operations".)

Container health checks and load balancers ask it over plain HTTP from the machine itself, with
whatever Host header they like, so it is answered by the first middleware, before the HTTPS
redirect (SecurityMiddleware) and the host check (CommonMiddleware) could refuse it. The answer
names parts and says "ok" or "unavailable": never an error text, an address or anyone's data.

The checks are django-health-check's (``Database``: ``SELECT 1``; ``Cache``: a set and get of a
probe key; ``Redis``: a ping of Celery's broker), run side by side, each with a few seconds'
budget, so one part that hangs cannot hold the answer up for long.
"""

import asyncio
import datetime
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as RedisClient

PATH = "/healthz"
#: How long each part may take to answer before it counts as unavailable.
CHECK_SECONDS = 3

logger = logging.getLogger(__name__)


def _broker_client() -> RedisClient:
    return RedisClient.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=CHECK_SECONDS,
        socket_timeout=CHECK_SECONDS,
    )


def checks() -> dict[str, HealthCheck | None]:
    """The parts to check, by the name the answer gives them. ``None``: the part is in-process
    (no REDIS_URL: the demo's local-memory cache and eager tasks), so there is nothing to ask."""
    budget = datetime.timedelta(seconds=CHECK_SECONDS)
    database = Database()
    database.timeout = budget  # the wall-clock budget (a class attribute of HealthCheck)
    broker_is_redis = settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    return {
        "database": database,
        # ``timeout`` here is the probe key's lifetime in the cache.
        "cache": Cache(key_prefix="raa-healthz", timeout=budget),
        "broker": Redis(client_factory=_broker_client) if broker_is_redis else None,
    }


async def _run_all(parts: dict[str, HealthCheck | None]) -> dict[str, HealthCheckResult | None]:
    names = [name for name, check in parts.items() if check is not None]
    results = await asyncio.gather(*(parts[name].get_result() for name in names))
    found: dict[str, HealthCheckResult | None] = dict.fromkeys(parts)
    found.update(zip(names, results, strict=True))
    return found


def health() -> tuple[int, dict]:
    """(HTTP status, answer): 200 and ``{"status": "ok", "checks": {...}}`` when every part
    answers; 503, ``"status": "unavailable"`` and ``"failing": [...]`` naming those that do not."""
    results = asyncio.run(_run_all(checks()))
    states = {
        name: "in-process" if result is None else ("unavailable" if result.error else "ok")
        for name, result in results.items()
    }
    failing = [name for name, state in states.items() if state == "unavailable"]
    if failing:
        logger.warning("Health check: %s unavailable", ", ".join(failing))
        return 503, {"status": "unavailable", "failing": failing, "checks": states}
    return 200, {"status": "ok", "checks": states}


class HealthCheckMiddleware:
    """Answers ``/healthz`` before anything else runs; every other request passes through.

    First in ``MIDDLEWARE``, so no HTTPS redirect, no DisallowedHost, no session or sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        status, answer = health()
        return HttpResponse(
            json.dumps(answer),
            status=status,
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

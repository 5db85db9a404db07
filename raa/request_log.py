"""One log line per request, and the request's id on every log line written while it runs.

The line (logger ``raa.request``) carries the request id, the signed-in person's id, the method,
the path without its query string (a search holds a name), the status and the duration in
milliseconds. The request id is the caller's ``X-Request-ID`` when it looks like one (the TLS
proxy or load balancer sets it), else a new one; either way it is sent back in ``X-Request-ID``,
so a person reporting a problem, the proxy's log and these lines can be matched.

In production the lines are JSON (settings: ``DJANGO_LOG_FORMAT``), one object a line, with
the fields as keys; in development they are plain text.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
#: An incoming id is kept only if it is short and plain (no spaces, quotes or control characters
#: that could forge or break a log line).
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

request_id: ContextVar[str] = ContextVar("request_id", default="")
logger = logging.getLogger("raa.request")


def _id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if _ACCEPTABLE_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in person's id, if the request has already looked them up (every page does,
    to check sign-in): never a query of its own, so a line is written even with the database
    down."""
    user = getattr(request, "user", None)
    if getattr(user, "_wrapped", user) is empty or user is None or not user.is_authenticated:
        return None
    return user.pk


class RequestLogMiddleware:
    """First in MIDDLEWARE: times everything after it, health checks included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = _id_for(request)
        token = request_id.set(rid)
        request.request_id = rid
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            # The container health check asks every 30 s: its successes stay out of INFO.
            quiet = request.path_info == "/healthz" and response.status_code == 200
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "event": "request",
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or "" outside a request) on every record. Django logs a
    4xx/5xx answer (``django.request``) after the middleware has returned: its record carries the
    request, which carries the id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get() or getattr(
                getattr(record, "request", None), "request_id", ""
            )
        return True


#: Value types a JSON line keeps from a record's ``extra``. Anything else is left out: Django
#: passes the request object (whose text form holds the query string, so a searched name) and
#: Celery a dict of the task's arguments.
PLAIN = (str, int, float, bool, type(None), datetime)


class JsonLineFormatter(JsonFormatter):
    """python-json-logger's formatter with our fixed fields: time, level, logger, message, and
    the plain values the call gave as ``extra`` (request id, user id, event...)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict) -> dict:
        return {key: value for key, value in log_data.items() if isinstance(value, PLAIN)}

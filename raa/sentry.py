"""Error reports to Sentry (or a Sentry-compatible service such as GlitchTip), only when
``SENTRY_DSN`` is set, and without personal data.

The SDK is told to send none (``send_default_pii=False``: no user names, emails or addresses;
``include_local_variables=False``: no variables from the stack, which would hold a child's
record), and ``scrub`` removes, before anything leaves the server, what could still hold one: the
request's body, cookies, query string and headers, and the text of exceptions (a database error's
DETAIL quotes the values of the row). What remains is the error's type, where in our code it
happened (files, lines, functions), the page's path and the person's id.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

REMOVED = "[removed]"
#: Request headers worth keeping: none of them can carry a name.
KEPT_HEADERS = frozenset({"user-agent", "x-request-id", "x-forwarded-proto", "content-type"})


def scrub(event: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_send``: the event without anything that could hold personal data."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = REMOVED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # The template stays (ours name ids only); its arguments come from anywhere.
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    event.pop("extra", None)
    return event


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
    )

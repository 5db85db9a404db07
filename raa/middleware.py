"""Middleware of the whole site: refuse input no field may hold, and keep pages out of caches.

Both run for every request, so a page or form added later is covered without a change.
"""

import re
from collections.abc import Callable
from functools import wraps

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

#: NUL and the other C0 control characters except tab, line feed and carriage return (which a
#: textarea sends), and DEL. PostgreSQL refuses NUL in text; none of them belongs in anything a
#: person types.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(request: HttpRequest) -> bool:
    """Whether the path, a query-string value or a posted form value (names included) holds a
    control character. Uploaded files are not read: their readers check them."""
    if CONTROL_CHARACTERS.search(request.path):
        return True
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for name, values in data.lists():
            if CONTROL_CHARACTERS.search(name) or any(
                CONTROL_CHARACTERS.search(v) for v in values if isinstance(v, str)
            ):
                return True
    return False


class RefuseControlCharactersMiddleware:
    """Answer 400, before any view or query, when the request holds a control character (a NUL
    byte in a search made PostgreSQL raise, a 500). The value itself is never logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every answer the application makes (pages,
    exports, redirects), so a shared computer's browser or a proxy keeps no child's data. Static
    files are served before this (WhiteNoise, or runserver's static handler) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a request its view marked with
    :func:`quiet_session` (a page polling for progress) neither saves nor extends the session.

    Sessions end after 30 idle minutes (``SESSION_SAVE_EVERY_REQUEST`` renews them on every
    request): a page left polling every second must not keep a session alive for ever, nor
    write the session row every second (on the demo's SQLite, a write that would wait behind a
    running import)."""

    def process_response(self, request, response):
        if getattr(request, "quiet_session", False):
            return response
        return super().process_response(request, response)


def quiet_session(view: Callable) -> Callable:
    """Mark a view's requests as polling: the session is read, never saved or renewed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.quiet_session = True
        return view(request, *args, **kwargs)

    return wrapped

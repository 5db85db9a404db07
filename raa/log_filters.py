"""Logging filters: what a log line may not carry."""

import logging
import re

_QUERY_STRING = re.compile(r"\?[^ \"]*")


class WithoutQueryString(logging.Filter):
    """Cuts the query string out of the development server's request lines (``django.server``:
    ``"GET /children/?q=Smith HTTP/1.1" 200 512`` becomes ``"GET /children/ HTTP/1.1" 200 512``),
    since a search holds a name. gunicorn's access log is set up the same way (path only) in
    docker-compose.yml."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                _QUERY_STRING.sub("", a) if isinstance(a, str) else a for a in record.args
            )
        elif not record.args:
            record.msg = _QUERY_STRING.sub("", str(record.msg))
        return True

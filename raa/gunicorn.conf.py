"""gunicorn's settings for the `web` service: `gunicorn --config raa/gunicorn.conf.py`.

Every option is here rather than on a command line, so none can be lost to shell quoting or a
YAML line break. Tuned by environment variables (all optional; see .env.example):

- GUNICORN_WORKERS (default 3), GUNICORN_THREADS (1), GUNICORN_TIMEOUT (60 seconds);
- GUNICORN_BIND (0.0.0.0:8000);
- GUNICORN_FORWARDED_ALLOW_IPS (*): addresses whose X-Forwarded-Proto gunicorn believes. `*`
  is right when only the TLS proxy can reach the port (docker-compose publishes it on
  127.0.0.1 only); name the proxy's address otherwise.

The access log has the method, the path without its query string (a search holds a name), the
status, the size, the time taken and the request id; never the referrer (it holds a search too).
With DJANGO_LOG_FORMAT=json (the default in production) each line is a JSON object, like the
application's own lines (raa/request_log.py).
"""

import json
import os
from datetime import UTC, datetime

from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter

wsgi_app = "raa.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
access_log_format = "%(t)s %(m)s %(U)s %(s)s %(b)s %(M)sms %({x-request-id}o)s"

_debug = os.environ.get("DJANGO_DEBUG", "true").lower() in {"1", "true", "yes", "on"}
JSON_LINES = os.environ.get("DJANGO_LOG_FORMAT", "plain" if _debug else "json") == "json"


class Logger(glogging.Logger):
    """gunicorn's logger, writing JSON lines when DJANGO_LOG_FORMAT=json. The access line is
    built with json.dumps, so a path holding quotes cannot forge or break a line."""

    def setup(self, cfg):
        super().setup(cfg)
        if JSON_LINES:
            formatter = JsonFormatter(
                ["levelname", "name", "message"],
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp="time",
            )
            for handler in self.error_log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not JSON_LINES:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": datetime.now(UTC).isoformat(),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(str(atoms["s"]).split()[0]),
            "bytes": atoms["B"],
            "duration_ms": atoms["M"],
            "request_id": atoms.get("{x-request-id}o", ""),
        }
        self.access_log.info(json.dumps(line))
        return None


logger_class = Logger

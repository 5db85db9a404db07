"""Django settings, read from the environment (see INTERFACES.md).

DJANGO_DEBUG=true (the default, for `make demo` and development) uses a development key and
relaxed cookies. DJANGO_DEBUG=false is production: it refuses to start without
DJANGO_SECRET_KEY and turns on HTTPS-only cookies, HSTS and the other deploy checks.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from raa.sentry import init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


DEBUG = env_bool("DJANGO_DEBUG", True)
# Kept apart from DEBUG (which the test runner turns off) so commands can tell production apart.
PRODUCTION = not DEBUG

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG=false) will not start "
            "without a secret key."
        )
    SECRET_KEY = "development-only-key-never-use-in-production-raa-demo"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "raa.apps.RaaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "raa.apps.RaaConfig",
    "children",
    "adopters",
    "scorecard",
    "tracking",
    "home",
    "api",
    "forecast",
]

MIDDLEWARE = [
    # Operations (issue 19): the request's id and log line around everything, then /healthz
    # answered before the HTTPS redirect and the host check (raa/request_log.py, raa/health.py).
    "raa.request_log.RequestLogMiddleware",
    "raa.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "raa.middleware.NoStoreMiddleware",
    "raa.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "raa.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "raa.two_factor.RequireTwoFactorMiddleware",
    "raa.audit.AuditRefusalsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

if not DEBUG:
    # In production gunicorn serves the collected static files itself (no CDN, no extra server).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "raa.urls"
WSGI_APPLICATION = "raa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "raa.context_processors.navigation",
                "tracking.context_processors.notifications",
            ],
        },
    },
]

# Database: DATABASE_URL, SQLite by default for `make demo`.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if os.environ.get("DATABASE_URL", "").startswith("sqlite") or "DATABASE_URL" not in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The demo runs an upload's import in a thread beside the pages that show its progress:
    # WAL lets those pages read while the import writes, and IMMEDIATE transactions wait their
    # turn to write (up to the timeout) instead of failing as "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=30,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        transaction_mode="IMMEDIATE",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache. Without REDIS_URL tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
# `make test` runs the suite in two pytest-xdist workers (gw0, gw1): pytest-django gives each its
# own test database, and here each gets its own Redis database (the second 8 above the first), so
# one worker's queued jobs and cache never meet the other's.
_TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _TEST_WORKER.startswith("gw") and _TEST_WORKER[2:].isdigit():
    _redis = urlsplit(REDIS_URL)
    _db = int(_redis.path.strip("/") or 0) + int(_TEST_WORKER[2:]) * 8
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_db}"))
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that a Redis outage degrades to "not cached" (raa/cache.py).
            "BACKEND": "raa.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "raa",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
#: Without a worker (no REDIS_URL: the embedded demo) an uploaded 903 import runs in a thread of
#: the web process, so the upload's page can show its progress (children/ssda903/runs.py).
SSDA903_IMPORT_IN_THREAD = not REDIS_URL

CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every scheduled job, declared once (the apps' tasks modules are found by autodiscovery; board
# reports' tasks live in a package of scorecard, so they are named):
# - scorecard: a sweep for pending recomputes a broker outage left behind, and a nightly full
#   recompute (scorecard/tasks.py); a sweep that sends again any board report render the broker
#   lost (scorecard/reports/tasks.py);
# - tracking: daily in-app notifications, a weekly digest by email (tracking/tasks.py);
# - children: 903 import runs whose job a broker outage or a killed worker lost
#   (children/tasks.py);
# - forecast: every region's forecast model refitted nightly (forecast/tasks.py).
CELERY_IMPORTS = ("scorecard.reports.tasks",)
CELERY_BEAT_SCHEDULE = {
    "scorecard-sweep": {"task": "scorecard.sweep", "schedule": 30.0},
    "scorecard-nightly": {
        "task": "scorecard.recompute_all",
        "schedule": crontab(hour=2, minute=30),
    },
    "board-reports-sweep": {"task": "scorecard.requeue_lost_board_reports", "schedule": 60.0},
    "tracking-notifications-daily": {
        "task": "tracking.notify_crossings",
        "schedule": crontab(hour=6, minute=30),
    },
    "tracking-digest-weekly": {
        "task": "tracking.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "sweep-ssda903-imports": {"task": "children.sweep_ssda903_imports", "schedule": 120.0},
    # forecast: refit every region's model after the nightly recompute (forecast/tasks.py)
    "forecast-nightly": {"task": "forecast.fit_models", "schedule": crontab(hour=3, minute=30)},
}

# Authentication
AUTH_USER_MODEL = "raa.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "raa.access.AdministratorPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Repeated failed sign-ins lock the account (per username) for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by account, not by address, is deliberate: a council's staff share one office address,
# so an address lock-out would shut out a whole team because of one mistyped password.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after 30 idle minutes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Production security (DJANGO_DEBUG=false).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Health checks come over plain HTTP from the machine itself (raa/health.py answers them
    # before this middleware runs; the exemption says so here too).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp), in development too so the tests see it: our own files
# only, no inline scripts or styles anywhere (Bootstrap's CSS draws some icons from data: URLs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Two-factor sign-in (django-otp, TOTP with recovery codes; raa/two_factor.py). Required for the
# roles below; anyone may set it up, and whoever has set it up is always asked for a code. The
# requirement is on in production and off while DJANGO_DEBUG=true, so the demo logins keep
# working; DJANGO_TWO_FACTOR_REQUIRED=true turns it on in a demo too.
TWO_FACTOR_REQUIRED = env_bool("DJANGO_TWO_FACTOR_REQUIRED", not DEBUG)
TWO_FACTOR_ROLES = ["team_manager", "manager", "data_officer", "administrator"]
OTP_TOTP_ISSUER = "Regional Adoption Agency"
CSRF_COOKIE_HTTPONLY = True

# Internationalisation: English councils, UK dates.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: our own CSS/JS plus Bootstrap and htmx from npm (node_modules, via package.json).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
    # axe-core (the accessibility engine): loaded only by the browser tests' accessibility run.
    ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The case-system API (api/, /api/v1/): Django REST framework, its schema by drf-spectacular.
# Clients authenticate with their bearer token only (never a session); errors are
# problem+json (api/problems.py); each client may make API_RATE_LIMIT requests (a batch is one).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.IsApiClient"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regional Adoption Agency: case-system API",
    "DESCRIPTION": "For councils' case systems to push children, periods of care and journey "
    "steps by their own references. Errors are application/problem+json (RFC 9457).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Logging (issue 19) ---------------------------------------------------------------------
# Logs carry identifiers, never names or other personal details. Production writes JSON lines
# (DJANGO_LOG_FORMAT=json, the default when DJANGO_DEBUG=false), development plain text, to the
# standard error stream, which Docker collects like stdout; stdout stays for what commands print
# (`scorecard --format json` piped into another program must get JSON only).
# Every line carries the request's id (raa/request_log.py); each request has a line of its own
# (logger raa.request) and each security event one too (logger raa.security, raa/security_log.py).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "raa.request_log.JsonLineFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    # The development server's request log (`make demo`): paths without query strings, since
    # a search holds a name (raa/log_filters.py).
    "filters": {
        "without_query_string": {"()": "raa.log_filters.WithoutQueryString"},
        "request_id": {"()": "raa.request_log.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # The health checks' own warnings repeat what /healthz answers (and name hosts).
        "health_check": {"level": "ERROR"},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["without_query_string"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

# --- Error reports (issue 19) -----------------------------------------------------------------
# Sentry, only when SENTRY_DSN is set: no personal data, no local variables, no request bodies,
# cookies or query strings (raa/sentry.py strips them before anything leaves the server).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Email: SMTP in production (EMAIL_HOST etc. from the environment); printed to the console in
# development so `make demo` never tries to reach a mail server.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "adoption-tracking@localhost")

# ---------------------------------------------------------------------------------------------
# Single sign-on and passwords (issue 19; raa/sso.py, raa/passwords.py; README "Single sign-on").
# SSO (OpenID Connect, mozilla-django-oidc) is on when OIDC_RP_CLIENT_ID is set with either
# OIDC_OP_ISSUER (endpoints from the provider's discovery document) or the four endpoint URLs;
# off otherwise (no button, /oidc/... answers 404). It never creates a person or grants a role.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
# Whether the provider's multi-factor sign-in (the ID token's `amr`) stands in for our own
# two-factor code; off by default, so our code is still asked.
OIDC_MFA_REPLACES_TOTP = env_bool("OIDC_MFA_REPLACES_TOTP", False)
AUTHENTICATION_BACKENDS.append("raa.sso.CouncilAccountBackend")
# Passwords: a reset link by email works for an hour, once.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("DJANGO_PASSWORD_RESET_TIMEOUT", str(60 * 60)))
# ---------------------------------------------------------------------------------------------

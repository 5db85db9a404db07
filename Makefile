# The two set-up commands: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# The tests run against the real PostgreSQL and Redis. The test database's name carries a hash of
# the migrations, so `--reuse-db` keeps it between runs but never reuses one of an older schema.
MIGRATIONS_HASH := $(shell cat */migrations/0*.py 2>/dev/null | sha1sum | cut -c1-10)
# TEST_DB_PREFIX and TEST_REDIS_DB let several checkouts on one machine test side by side.
TEST_DB_PREFIX ?= raa
TEST_REDIS_DB ?= 1
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(TEST_DB_PREFIX)_$(MIGRATIONS_HASH)
TEST_REDIS_URL ?= redis://127.0.0.1:6379/$(TEST_REDIS_DB)
# The suite runs in parallel pytest-xdist workers, one per core, each with its own test database
# and Redis database (raa/settings.py); a test file stays on one worker, so its shared data is
# built once. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2

.PHONY: install demo test lint format check-deploy worker clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

demo: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input -v0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py seed_demo
	@echo
	@echo "  Regional Adoption Agency demo: http://127.0.0.1:$(PORT)/"
	@echo "  Sign in with any of these (password: adoption-demo):"
	@echo "    worker    social worker, Northbrook          worker2  social worker, Eastmere"
	@echo "    adoption  adoption social worker, region     manager  team manager, Northbrook"
	@echo "    regional  head of service, region            board    board member (reports only)"
	@echo "    data      data officer, region               admin    administrator"
	@if [ -n "$$REDIS_URL" ]; then echo "  Database: DATABASE_URL; Celery worker and beat running, broker from REDIS_URL"; \
	  else echo "  Database: SQLite (db.sqlite3); background tasks run in-process (no REDIS_URL)"; fi
	@echo
	@# set -m gives each background job its own process group: stop each group on the way out,
	@# so Ctrl-C also ends the Celery worker and beat.
	@set -m; trap 'for job in $$(jobs -p); do kill -- -$$job 2>/dev/null; done' EXIT; \
	if [ -n "$$REDIS_URL" ]; then \
	  DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/celery -A raa worker --loglevel=warning --concurrency=2 & \
	  DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/celery -A raa beat --loglevel=warning & \
	fi; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint audit
	DJANGO_DEBUG=true DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/python manage.py makemigrations --check --dry-run -v0
	DJANGO_DEBUG=true DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

# Load test (not part of `make test`): 50 users for 60 s against gunicorn, a Celery worker,
# PostgreSQL and Redis on this machine; prints p50/p95 per page. See tests/hardening/load.py.
.PHONY: load
load: install
	LOAD_DATABASE_URL=$${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/raa_load} \
	  $(BIN)/python tests/hardening/load.py

# Known vulnerabilities in the pinned packages (pip-audit; run by `make test`).
.PHONY: audit
audit: install
	$(BIN)/python tests/hardening/audit.py

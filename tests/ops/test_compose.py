"""docker-compose.yml, the Dockerfile and .env.example read as a council's infrastructure team
would (Docker does not run on this machine: tests/ops/test_stack.py runs the same commands here).

- every service has a health check (the one-off `migrate` says it has none on purpose), and the
  application services wait for the database, Redis and the migrations;
- every environment variable the settings read reaches the containers (env_file: .env) and is
  documented in .env.example, and .env.example holds nothing nobody reads;
- the image installs the runtime lock only, which holds no test tool, and runs as a non-root
  user with its static files collected at build time.
"""

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat", "backup")
#: Set by docker-compose.yml itself for every application container, not by .env.
SET_BY_COMPOSE = {"DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL"}
#: Set by pytest-xdist in each test worker (raa/settings.py: a Redis database per worker); never
#: in a container.
SET_BY_TEST_RUNNER = {"PYTEST_XDIST_WORKER"}
TEST_TOOLS = ("pytest", "playwright", "locust", "hypothesis", "schemathesis", "factory-boy", "ruff")


def variables_read(path: Path) -> set[str]:
    """The environment variables a Python file reads: os.environ.get("X"), os.environ["X"],
    "X" in os.environ, env_bool("X", ...), and DATABASE_URL through dj_database_url.config()."""
    found = set()

    def named(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)  # (env_bool's own os.environ.get(name) names none)

    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            if func in {"os.environ.get", "os.getenv", "env_bool"} and node.args:
                named(node.args[0])
            elif func == "dj_database_url.config":
                found.add("DATABASE_URL")
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            named(node.slice)
        elif isinstance(node, ast.Compare) and ast.unparse(node.comparators[0]) == "os.environ":
            named(node.left)
    return found


def env_example() -> tuple[set[str], set[str]]:
    """(variables set in .env.example, variables shown there as commented-out defaults)."""
    text = (ROOT / ".env.example").read_text()
    return (
        set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE)),
        set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", text, re.MULTILINE)),
    )


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_parser_finds_what_settings_read():
    read = variables_read(ROOT / "raa" / "settings.py")
    # Read in each of the ways the parser knows.
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "EMAIL_HOST"} <= read
    assert {"DJANGO_EMAIL_BACKEND", "SENTRY_DSN", "DJANGO_LOG_FORMAT"} <= read


def test_every_variable_the_application_reads_reaches_the_containers_and_is_documented():
    read = variables_read(ROOT / "raa" / "settings.py") | variables_read(
        ROOT / "raa" / "gunicorn.conf.py"
    )
    for name in APP_SERVICES:
        assert SERVICES[name]["env_file"] == ".env", name
        assert set(SERVICES[name]["environment"]) == SET_BY_COMPOSE, name
    assert SERVICES["web"]["environment"]["DJANGO_DEBUG"] == "false"
    set_in_example, defaults_in_example = env_example()
    documented = set_in_example | defaults_in_example
    assert sorted(read - SET_BY_COMPOSE - SET_BY_TEST_RUNNER - documented) == []
    # Nothing in .env.example that nothing reads: the application, or compose's own
    # ${...} substitutions, or the backup service's loop.
    compose_text = (ROOT / "docker-compose.yml").read_text()
    used_by_compose = set(re.findall(r"\$\$?\{([A-Z][A-Z0-9_]*)", compose_text))
    assert sorted(documented - read - used_by_compose) == []
    assert {"POSTGRES_PASSWORD", "RAA_DOMAIN", "BACKUP_KEEP_DAYS"} <= used_by_compose


def test_every_service_has_a_health_check_and_waits_for_what_it_needs():
    assert set(SERVICES) == {*APP_SERVICES, "db", "redis", "caddy"}
    for name, service in SERVICES.items():
        check = service["healthcheck"]
        if name == "migrate":
            assert check == {"disable": True}  # a one-off job: the others wait for it to exit
            continue
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert SERVICES["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat", "backup"):
        assert SERVICES[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    assert SERVICES["caddy"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert SERVICES["caddy"]["profiles"] == ["tls"]  # only with --profile tls
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["caddy"]["volumes"]
    assert "reverse_proxy web:8000" in (ROOT / "Caddyfile").read_text()


def test_commands_are_lists_with_nothing_for_a_shell_to_split():
    """The old folded `web` command lost gunicorn's options to a YAML line break; commands are
    lists now, and gunicorn's options live in raa/gunicorn.conf.py."""
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert SERVICES["web"]["command"] == ["gunicorn", "--config", "raa/gunicorn.conf.py"]
    assert command_text(SERVICES["worker"]).startswith("celery -A raa worker")
    assert command_text(SERVICES["beat"]).startswith("celery -A raa beat")
    backup = SERVICES["backup"]["command"]
    assert backup[:2] == ["sh", "-c"] and "\n" not in backup[2]
    assert "manage.py backup_db --keep-days" in backup[2]
    assert "backups:/backups" in SERVICES["backup"]["volumes"]
    assert "static" not in COMPOSE["volumes"]  # collected into the image instead


def test_the_image_installs_the_runtime_lock_collects_static_files_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile
    assert "manage.py collectstatic" in dockerfile
    assert "postgresql-client-16" in dockerfile  # the db service's major version
    assert SERVICES["db"]["image"] == "postgres:16"
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users == ["raa"]
    assert dockerfile.rstrip().splitlines()[-1].startswith("CMD ")
    assert dockerfile.index("USER raa") > dockerfile.index("collectstatic")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "node_modules", "staticfiles", "tests"} <= set(ignored)


def test_the_runtime_lock_holds_no_test_tool_and_both_locks_are_hash_pinned():
    runtime = (ROOT / "requirements.lock").read_text()
    dev = (ROOT / "requirements-dev.lock").read_text()
    packages = set(re.findall(r"^([A-Za-z0-9_.-]+)==", runtime, re.MULTILINE))
    packages = {p.lower().replace("_", "-") for p in packages}
    assert sorted(packages & set(TEST_TOOLS)) == []
    assert {"django", "gunicorn", "celery", "psycopg"} <= packages
    for lock in (runtime, dev):
        pins = re.findall(r"^[A-Za-z0-9_.-]+==\S+", lock, re.MULTILINE)
        assert pins and lock.count("--hash=sha256:") >= len(pins)
    assert re.search(r"^pytest==", dev, re.MULTILINE)  # the tests' lock has them

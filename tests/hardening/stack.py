"""Real services for the fault and load tests, on this machine, on spare ports, stopped after.

Never the shared PostgreSQL or Redis: each test starts its own redis-server and its own gunicorn
and Celery worker processes (pointed at the test database), and stops exactly those.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``check`` until it is true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 (not up yet)
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class OwnRedis:
    """A redis-server of our own on a spare port, which the test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "OwnRedis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: self.client().ping(), 15, "our redis-server")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)


def service_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, DJANGO_DEBUG="true")
    env["PYTHONPATH"] = str(ROOT)
    return env


class Process:
    """A long-running child process (gunicorn, a Celery worker) in its own process group."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL the whole group: the main process and its children, no clean shutdown."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text()


def gunicorn(env: dict[str, str], log: Path, workers: int = 2, threads: int = 1) -> tuple:
    port = free_port()
    process = Process(
        [str(BIN / "gunicorn"), "raa.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--threads", str(threads), "--timeout", "60"]
        + ["--access-logfile", "-", "--access-logformat", "%(m)s %(U)s %(s)s %(M)sms"],
        env,
        log,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    wait_for(
        lambda: requests.get(base + "/accounts/login/", timeout=2).status_code == 200,
        60,
        "gunicorn to answer",
    )
    return process, base


def celery_worker(env: dict[str, str], log: Path, app: str, concurrency: int = 1) -> Process:
    return Process(
        [str(BIN / "celery"), "-A", app, "worker", "--pool", "prefork"]
        + ["--concurrency", str(concurrency), "--loglevel", "info", "--without-heartbeat"]
        + ["--without-gossip", "--without-mingle"],
        env,
        log,
    )

"""`make run`: the portal with demo data, on the embedded default or on the servers you name.

Without DATABASE_URL it starts PostgreSQL 16 from the `pgserver` wheel in var/pgdata; without
CELERY_BROKER_URL it uses kombu's filesystem transport in var/broker. Then it migrates, loads the
demo data (idempotent), and runs the web server, one Celery worker and beat until Ctrl-C, which
stops everything it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_DB = "si_portal"


def _say(message: str) -> None:
    print(f"[make run] {message}", flush=True)


def start_embedded_postgres(var_dir: Path) -> Any:
    """PostgreSQL from the pgserver wheel; stopped when this process exits."""
    import pgserver

    _say("starting the embedded PostgreSQL (pgserver) in var/pgdata …")
    server = pgserver.get_server(var_dir / "pgdata", cleanup_mode="stop")  # type: ignore[attr-defined]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DEMO_DB}';"  # noqa: S608 - a constant
    exists = server.psql(query)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DEMO_DB};")
    socket_dir = parse_qs(urlparse(server.get_uri()).query)["host"][0]
    os.environ["DATABASE_URL"] = f"postgres://postgres@/{DEMO_DB}?host={quote(socket_dir)}"
    return server


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)  # noqa: S603


def start(name: str, args: list[str]) -> subprocess.Popen[bytes]:
    _say(f"starting {name}")
    # Own process group: Ctrl-C reaches us once and we stop the children in order.
    return subprocess.Popen(args, cwd=BASE_DIR, start_new_session=True)  # noqa: S603


def stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def print_welcome(port: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from core.demo import (
        DEMO_ACCOUNTS,
        DEMO_PASSWORD,
        GOV_CLIENT_ID,
        GOV_CLIENT_SECRET,
        PAYROLL_CLIENT_ID,
        PAYROLL_CLIENT_SECRET,
    )

    lines = [
        "",
        f"  社会保险经办 SI Portal is running: http://127.0.0.1:{port}/",
        f"  API docs: http://127.0.0.1:{port}/api/docs/   health: http://127.0.0.1:{port}/healthz",
        f"  Demo accounts (password {DEMO_PASSWORD}):",
        *[f"    {username:<11} {role.value:<11} {name}" for username, role, name in DEMO_ACCOUNTS],
        f"  API client: client_id={GOV_CLIENT_ID} client_secret={GOV_CLIENT_SECRET} (agency)",
        f"  Payroll client: client_id={PAYROLL_CLIENT_ID} client_secret={PAYROLL_CLIENT_SECRET}"
        " (scope employer, 北京示范科技有限公司)",
        "  Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)


def main() -> int:
    os.environ.setdefault("DJANGO_ENV_FILE", "config/env/demo.env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    var_dir = Path(os.environ.setdefault("SI_VAR_DIR", str(BASE_DIR / "var")))
    for folder in ("broker/queue", "broker/control", "private"):
        (var_dir / folder).mkdir(parents=True, exist_ok=True)
    port = os.environ.get("PORT", "8000")
    server = None if os.environ.get("DATABASE_URL") else start_embedded_postgres(var_dir)

    processes: list[subprocess.Popen[bytes]] = []
    stopping = False

    def request_stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("seed_demo")
        python = sys.executable
        bind = f"{os.environ.get('HOST', '127.0.0.1')}:{port}"
        processes.append(
            start(
                "web (gunicorn)",
                [
                    python,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--config",
                    "config/gunicorn.py",
                    "--bind",
                    bind,
                    "--workers",
                    "2",
                ],
            )
        )
        processes.append(
            start(
                "Celery worker",
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    "default,periodic",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                ],
            )
        )
        processes.append(
            start(
                "Celery beat",
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    str(var_dir / "celerybeat-schedule"),
                ],
            )
        )
        print_welcome(port)
        while not stopping:
            if any(process.poll() is not None for process in processes):
                _say("a process stopped; stopping the rest")
                break
            time.sleep(0.5)
    finally:
        _say("stopping …")
        stop_all(processes)
        if server is not None:
            server.cleanup()
        _say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())

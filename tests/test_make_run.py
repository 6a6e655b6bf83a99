"""Smoke test: the server `make run` starts on the embedded default serves the login page, and
Ctrl-C stops everything it started (web, worker, beat and the embedded PostgreSQL)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("make_run")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost only
        return response.status, response.read().decode()


def test_make_run_serves_the_login_page_on_the_embedded_default(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DJANGO_ENV_FILE",
            "CELERY_BROKER_URL",
            "CACHE_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "PYTEST_XDIST_WORKER",
        }
    }
    env.update(PORT=str(port), SI_VAR_DIR=str(tmp_path / "var"))
    process = subprocess.Popen(
        [sys.executable, "scripts/run.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        status, page = 0, ""
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                status, page = _get(f"http://127.0.0.1:{port}/accounts/login/")
                break
            except OSError:
                time.sleep(1)
        assert status == 200, "the login page was not served"
        assert 'name="username"' in page
        _get(f"http://127.0.0.1:{port}/api/docs/?id_number=110101199003074514")
        health_status, health = _get(f"http://127.0.0.1:{port}/healthz")
        assert health_status == 200
        assert '"database": "ok"' in health
        assert '"broker": "ok"' in health
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
        output.append(out)
    text = "".join(output)
    assert "Demo accounts" in text, text[-3000:]
    assert process.returncode == 0, text[-3000:]
    assert "[make run] stopped" in text
    assert "GET /api/docs/ " in text  # the access log has the path…
    assert "110101199003074514" not in text  # …but never a query string with an ID number
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert leftovers == [], f"processes left running: {leftovers}"

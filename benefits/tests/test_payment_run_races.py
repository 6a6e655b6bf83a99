"""Races a payment run must survive: ten starts at once, and a worker killed with SIGKILL in the
middle of a chunk, then restarted (real Celery worker, real Redis broker, real transactions)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from benefits.errors import PaymentRunExistsError
from benefits.models import Payment, PaymentRun, PaymentRunChunk, PaymentRunStatus
from benefits.services import runs
from benefits.tests.factories import assert_money_adds_up, awards
from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
MARCH = date(2025, 3, 1)


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_starts_give_one_run_and_nine_409s(region, clerk):
    awards(region, 3)
    barrier = threading.Barrier(10)
    outcomes: list[object] = []
    lock = threading.Lock()

    def start() -> None:
        try:
            barrier.wait()
            run = runs.payment_run_start(region=region, period=MARCH, by=clerk)
            result: object = run.pk
        except PaymentRunExistsError as refused:
            result = refused.status_code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=start) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert PaymentRun.objects.count() == 1
    run = PaymentRun.objects.get()
    assert outcomes.count(409) == 9
    assert [o for o in outcomes if o != 409] == [run.pk]
    run.refresh_from_db()
    assert run.status == PaymentRunStatus.BUILT  # tasks ran inline on commit (eager)
    assert Payment.objects.count() == 3
    assert_money_adds_up(run)


def _db_dsn() -> dict[str, object]:
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }


def _worker(log: Path) -> subprocess.Popen[bytes]:
    dsn = _db_dsn()
    url = f"postgres://{dsn['user']}:{dsn['password']}@{dsn['host']}:{dsn['port']}/{dsn['dbname']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_ENV_FILE": "config/env/test.env",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-c",
            "1",
            "-P",
            "prefork",
            "-Q",
            "default",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL reaches the pool children too
    )


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _purge_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("default")
        client = getattr(conn.default_channel, "client", None)
        if client is not None:  # the Redis transport keeps unacknowledged messages aside
            client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.mark.slow
@pytest.mark.xdist_group("benefits_celery_worker")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_chunk_and_restarted_leaves_one_payment_per_award(
    region, clerk, tmp_path
):
    awards(region, 3_000)
    _purge_broker()
    locker = psycopg2.connect(**_db_dsn())
    watcher = psycopg2.connect(**_db_dsn())  # autocommit: pg_stat_activity is fresh each time
    watcher.autocommit = True
    workers: list[subprocess.Popen[bytes]] = []
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        run = runs.payment_run_start(region=region, period=MARCH, by=clerk, chunk_size=1_000)
        assert run.chunks_total == 3
        # Hold chunk 2's row: the worker inserts chunk 2's payments, then waits on the lock
        # before it can record the chunk and commit.
        locker.autocommit = False
        with locker.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM benefits_paymentrunchunk WHERE run_id = %s AND number = 2"
                " FOR UPDATE",
                [run.pk],
            )
        workers.append(_worker(tmp_path / "worker.log"))

        def waiting_on_lock() -> bool:
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
                return cursor.fetchone()[0] == 1

        _wait(waiting_on_lock, 90, "the worker to block inside chunk 2")
        assert PaymentRunChunk.objects.filter(run=run, done_at__isnull=False).count() == 1

        os.killpg(workers[0].pid, signal.SIGKILL)  # the whole worker, mid-transaction
        workers[0].wait(timeout=30)
        locker.rollback()  # let the orphaned backend finish its statement and find no client

        ours = [locker.info.backend_pid, connection.cursor().connection.info.backend_pid]

        def orphan_gone() -> bool:
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                    " AND NOT (pid = ANY(%s))",
                    [ours],
                )
                return cursor.fetchone()[0] == 0

        _wait(orphan_gone, 30, "the killed worker's transaction to roll back")
        assert Payment.objects.count() == 1_000  # chunk 1 committed; chunk 2 rolled back
        run.refresh_from_db()
        assert run.status == PaymentRunStatus.BUILDING

        workers.append(_worker(tmp_path / "worker.log"))
        runs.payment_run_resume(run_id=run.pk)  # the re-run after a crash

        def built() -> bool:
            run.refresh_from_db()
            return run.status == PaymentRunStatus.BUILT

        _wait(built, 120, "the restarted worker to finish the run")
    finally:
        celery_app.conf.task_always_eager = eager
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
        locker.close()
        watcher.close()
        _purge_broker()

    assert Payment.objects.count() == 3_000
    periods = Payment.objects.values_list("award_id", "period")
    assert len(set(periods)) == 3_000
    assert run.payments_count == 3_000
    assert sum(c.inserted for c in run.chunks.all()) == 3_000
    assert_money_adds_up(run)

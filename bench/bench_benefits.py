"""The monthly payment run at 1,000,000 active awards (issue 5, "Benchmark").

- payment_run_1m: the run (start, every chunk as its own Celery task, run inline one after
  another as one worker would, then the totals) against a baseline measured in the same
  process: one INSERT ... SELECT with the same arithmetic (amount in force, the capped offset)
  into an identical table (LIKE ... INCLUDING ALL, with the same foreign keys). The machine is
  shared, so the pair (baseline, run) is measured twice on fresh tables and the best of two is
  taken on each side. Every timed phase starts after a CHECKPOINT. Target: at most 1.5 times
  the baseline.
- payment_run_rerun_1m: running the finished run again inserts nothing; at most 1.5 times the
  baseline.
- payment_run_with_bank_file_1m: start to released bank file (approval included), in seconds;
  target under 60.
- payment_run_tasks_per_1000_awards: chunk tasks per 1,000 awards (target at most 1).
- payment_run_chunk_plan_seq_scans: sequential scans of the award or payment tables in the
  chunk statement's plan (target 0: a chunk reads its id range through the index).

Setup is generate_series (not timed): 1,000,000 pension awards in one region, 1% of them with an
overpayment being offset (so the offset path is exercised), account numbers encrypted (a pool
of 1,000 distinct ciphertexts; every line of the bank file is decrypted).
"""

from __future__ import annotations

import json
import os
from datetime import date

from django.db import connection, transaction

from bench.harness import Result, timed

AWARDS = 1_000_000
PERIOD = date(2026, 1, 1)
REGION_CODE = "650000"


def _setup() -> dict[str, object]:
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role, sync_roles
    from benefits.models import Award, Debt
    from benefits.services.common import table
    from core import crypto
    from core.models import PolicyParameter, Region, RegionLevel
    from registration.models import InsuredPerson, RegistrationChannel
    from registration.services.persons import person_register
    from registration.tests.factories import id_number

    sync_roles()
    region, _ = Region.objects.get_or_create(
        code=REGION_CODE,
        defaults={"name": "基准测试区", "name_en": "Bench region", "level": RegionLevel.PROVINCE},
    )
    Region.objects.filter(pk=region.pk).update(pooling_region=region)
    PolicyParameter.objects.get_or_create(
        key="offset_cap_ratio",
        region=region,
        valid_from=date(2020, 1, 1),
        defaults={"value": "0.20", "source": "bench"},
    )
    users = {}
    for name, role in (("bench-clerk", Role.CLERK), ("bench-supervisor", Role.SUPERVISOR)):
        user, created = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        if created:
            user.groups.add(Group.objects.get(name=role.value))
        users[name] = user
    person = InsuredPerson.objects.filter(region=region).first()
    if person is None:
        person, _ = person_register(
            id_number=id_number("19600101", "650102"),
            name="基准",
            region=region,
            channel=RegistrationChannel.COUNTER,
            by=None,
        )
    ciphers = [crypto.encrypt(f"62220202{n:011d}", purpose="bank_account") for n in range(1_000)]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE benefits_paymentresend, benefits_reconciliationimport, benefits_debtentry,"
            " benefits_debtperiod, benefits_instalment, benefits_instalmentplan,"
            " benefits_fraudreferral, benefits_payment, benefits_paymentrunchunk,"
            " benefits_paymentrun, benefits_debt, benefits_awardamount, benefits_awardhold,"
            " benefits_uimedicalposting, benefits_award CASCADE"
        )
        cursor.execute(
            f"""INSERT INTO {table(Award)}
                  (person_id, claim_id, region_id, kind, scheme, frequency, amount, amount_from,
                   start_month, end_month, status, status_since, is_held, stopped_on,
                   stop_cause, payee_name, payee_bank, payee_account, note, created_at,
                   created_by_id)
                SELECT %s, NULL, %s, 'pension', 'pension', 'monthly',
                       2000 + (g %% 3000) + (g %% 100) / 100.0, '2020-01-01', '2020-01-01',
                       NULL, 'active', '2020-01-01', false, NULL, '', '领取人' || g,
                       '中国工商银行', (%s::text[])[1 + g %% 1000], '', now(), NULL
                FROM generate_series(1, %s) AS g""",
            [person.pk, region.pk, ciphers, AWARDS],
        )
        cursor.execute(
            f"""INSERT INTO {table(Debt)}
                  (person_id, award_id, region_id, cause, cause_note, amount, outstanding,
                   status, offset_award_id, is_fraud_suspected, letter_issued_at, repay_by,
                   created_by_id, created_at, settled_at)
                SELECT %s, a.id, %s, 'stop_event', 'bench', 5000, 5000, 'offsetting', a.id,
                       false, NULL, NULL, NULL, now(), NULL
                FROM {table(Award)} a WHERE a.region_id = %s AND a.id %% 100 = 0""",
            [person.pk, region.pk, region.pk],
        )
        cursor.execute(f"ANALYZE {table(Award)}")
        cursor.execute(f"ANALYZE {table(Debt)}")
    return {"region": region, **users}


def _baseline(region_id: int, clerk: object) -> float:
    """One INSERT ... SELECT, the same arithmetic, into an identical table."""
    from benefits.models import PaymentRun
    from benefits.services.runs import chunk_statement

    # A run row for the foreign keys to check against, as the real run's payments do.
    run = PaymentRun.objects.create(
        region_id=region_id, period=date(1999, 1, 1), started_by=clerk, status="built"
    )

    statement = chunk_statement()
    select = statement[statement.index("WITH src AS") : statement.index("), ins AS")]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_payment")
        cursor.execute("CREATE TABLE bench_payment (LIKE benefits_payment INCLUDING ALL)")
        # The same foreign keys as benefits_payment (run and bank_run are not checked there).
        for column, target in (("award_id", "benefits_award"), ("offset_debt_id", "benefits_debt")):
            cursor.execute(
                f"ALTER TABLE bench_payment ADD FOREIGN KEY ({column}) REFERENCES {target} (id)"
                " DEFERRABLE INITIALLY DEFERRED"
            )
        cursor.execute("CHECKPOINT")
    params = {
        "run": run.pk,
        "region": region_id,
        "period": PERIOD,
        "low": 0,
        "high": 2**63 - 1,
        "cap_ratio": "0.20",
        "cap_amount": None,
    }
    with timed() as elapsed, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # as the chunks do
        cursor.execute(
            select
            + """)
            INSERT INTO bench_payment
                (award_id, run_id, bank_run_id, period, gross, deductions, net, status,
                 offset_debt_id, return_reason_code, return_reason, created_at)
            SELECT award_id, %(run)s, CASE WHEN held THEN NULL ELSE %(run)s END, %(period)s,
                   gross, deduction, gross - deduction,
                   CASE WHEN held THEN 'held' WHEN gross - deduction = 0 THEN 'settled'
                        ELSE 'pending' END,
                   CASE WHEN deduction > 0 THEN debt_id END, '', '', now()
            FROM priced""",
            params,
        )
    seconds = elapsed()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_payment")
        cursor.execute("CHECKPOINT")
    run.delete()
    return seconds


def _plan_seq_scans(run_id: int) -> tuple[int, str]:
    """EXPLAIN the middle chunk's statement: sequential scans of the big tables?"""
    from benefits.models import PaymentRun, PaymentRunChunk
    from benefits.services.runs import chunk_params, chunk_statement

    run = PaymentRun.objects.get(pk=run_id)
    chunks = list(PaymentRunChunk.objects.filter(run=run).order_by("number"))
    chunk = chunks[len(chunks) // 2]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + chunk_statement(), chunk_params(run, chunk))
        plan = cursor.fetchone()[0]
        transaction.set_rollback(True)
    if isinstance(plan, str):
        plan = json.loads(plan)
    scans: list[str] = []

    def walk(node: dict[str, object]) -> None:
        kind = str(node.get("Node Type", ""))
        relation = str(node.get("Relation Name", ""))
        if "Scan" in kind and relation:
            scans.append(
                f"{kind} on {relation}"
                + (f" using {node['Index Name']}" if node.get("Index Name") else "")
            )
        for child in node.get("Plans", []) or []:  # type: ignore[union-attr]
            walk(child)  # type: ignore[arg-type]

    walk(plan[0]["Plan"])
    big = ("benefits_award", "benefits_payment")
    seq = [scan for scan in scans if scan.startswith("Seq Scan") and scan.split(" on ")[1] in big]
    return len(seq), "; ".join(scans)


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise RuntimeError(what)


def _checkpoint() -> None:
    """Each timed phase starts from clean buffers: without this the next phase pays for
    writing out the previous one's million rows (checkpoints and dirty-page eviction)."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def run() -> list[Result]:
    import shutil
    import tempfile

    from django.conf import settings

    # The bank file of a million lines goes to a scratch directory, removed afterwards.
    scratch = tempfile.mkdtemp(prefix="bench-benefits-")
    settings.MEDIA_ROOT = scratch
    try:
        return _run()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run() -> list[Result]:
    from benefits.models import Payment, PaymentRun
    from benefits.services import bankfile, runs

    context = _setup()
    region = context["region"]
    clerk, supervisor = context["bench-clerk"], context["bench-supervisor"]
    before = _baseline(region.pk, clerk)  # type: ignore[attr-defined]

    _checkpoint()
    with timed() as build:
        run_row = runs.payment_run_start(region=region, period=PERIOD, by=clerk)  # type: ignore[arg-type]
    run_row.refresh_from_db()
    _check(run_row.status == "built" and run_row.payments_count == AWARDS, "run not built")

    _checkpoint()
    with timed() as rerun:
        runs.payment_run_rerun(run_id=run_row.pk, by=clerk)  # type: ignore[arg-type]
    run_row.refresh_from_db()
    count = Payment.objects.filter(bank_run=run_row).count()
    _check(run_row.status == "built" and count == AWARDS, "the re-run changed the payments")

    _checkpoint()
    with timed() as release:
        runs.payment_run_approve(run_id=run_row.pk, by=supervisor)  # type: ignore[arg-type]
        bankfile.payment_run_release(run_id=run_row.pk, by=supervisor)  # type: ignore[arg-type]
    run_row = PaymentRun.objects.get(pk=run_row.pk)
    _check(
        run_row.status == "released" and run_row.file_total == run_row.net_total,
        "the bank file does not add up",
    )

    seq_scans, plan = _plan_seq_scans(run_row.pk)
    # The machine is shared (load from other work comes and goes): a second pair on fresh
    # tables, and the best of two for each side.
    context = _setup()
    before2 = _baseline(region.pk, clerk)  # type: ignore[attr-defined]
    _checkpoint()
    with timed() as build2:
        second = runs.payment_run_start(region=context["region"], period=PERIOD, by=clerk)  # type: ignore[arg-type]
    second.refresh_from_db()
    _check(second.payments_count == AWARDS, "second run not built")
    baseline = min(before, before2)
    run_seconds = min(build(), build2())
    print(
        f"# payment run: {AWARDS} awards, {run_row.chunks_total} chunk tasks, "
        f"net {run_row.net_total}, deductions {run_row.deductions_total}, "
        f"file {run_row.file_name} ({run_row.file_count} lines)"
    )
    print(f"# chunk plan: {plan}")
    print(
        f"# baseline INSERT ... SELECT: {before:.1f}s and {before2:.1f}s; "
        f"payment run: {build():.1f}s and {build2():.1f}s (best of two each)"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# load average while benchmarking (2 shared cores): {load}")
    return [
        Result("payment_run_1m", run_seconds, baseline, target=1.5),
        Result("payment_run_rerun_1m", rerun(), baseline, target=1.5),
        Result("payment_run_with_bank_file_1m", build() + release(), 0.0, target=60.0),
        Result(
            "payment_run_tasks_per_1000_awards",
            run_row.chunks_total / (AWARDS / 1000),
            0.0,
            target=1.0,
        ),
        Result("payment_run_chunk_plan_seq_scans", float(seq_scans), 0.0, target=0.0),
    ]

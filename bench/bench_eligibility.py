"""Eligibility benchmark: the nightly data comparison (Art. 26).

1,000,000 active pension awards (one per person, three paid months each: April to June 2025)
against a 50,000-record death feed in which 1% of the awards are hit (10,000 deaths in March
2025). The real path is `comparison_run`: id-range chunks, the hash join on the blind index, the
suspicions with their evidence (what was paid after each death date: the overpayment if
confirmed), the stop events and their Art. 25 deadlines, the holds (held, not stopped), the
refuted-event check, signs of life, the processed marker and the audit event. The baseline does
the same in the same run with plain SQL on the same tables: one hash join, INSERT ... SELECT for
stop events, suspicions and holds, UPDATE ... FROM for the awards and the feed. Target: the real
path within 2x of the baseline.

BENCH_ELIGIBILITY_AWARDS, BENCH_ELIGIBILITY_FEED and BENCH_ELIGIBILITY_HIT_EVERY scale it
(defaults 1,000,000, 50,000 and 100: one award in a hundred is hit). The population is built
once and reused by later runs (each run resets what the comparison wrote).
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta

from django.db import connection, transaction

from bench.harness import Result, timed

AWARDS = int(os.environ.get("BENCH_ELIGIBILITY_AWARDS", "1000000"))
FEED = int(os.environ.get("BENCH_ELIGIBILITY_FEED", "50000"))
HIT_EVERY = int(os.environ.get("BENCH_ELIGIBILITY_HIT_EVERY", "100"))
PAID_MONTHS = [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
REGION_CODE = "110105"
OTHER_REGION_CODE = "110108"  # ID numbers of people not registered here: feed records that miss


def _id_number(region: str, number: int) -> str:
    from stdnum.cn import ric

    birth = date(1940, 1, 1) + timedelta(days=number // 1000)
    body = f"{region}{birth:%Y%m%d}{number % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _death_date(number: int) -> date:
    return date(2025, 3, 1 + number % 28)


def _tables() -> dict[str, str]:
    from benefits.models import Award, AwardHold, Payment, PaymentRun
    from eligibility.models import ComparisonRun, FeedBatch, FeedRecord, StopEvent, Suspicion
    from registration.models import InsuredPerson

    models = {
        "person": InsuredPerson,
        "award": Award,
        "hold": AwardHold,
        "payment": Payment,
        "run": PaymentRun,
        "feed": FeedRecord,
        "batch": FeedBatch,
        "event": StopEvent,
        "suspicion": Suspicion,
        "comparison": ComparisonRun,
    }
    return {name: str(model._meta.db_table) for name, model in models.items()}


def _region() -> object:
    from core.models import Region, RegionLevel

    region, _created = Region.objects.get_or_create(
        code="110000", defaults={"name": "北京市", "level": RegionLevel.PROVINCE}
    )
    if region.pooling_region_id is None:
        region.pooling_region = region
        region.save(update_fields=["pooling_region"])
    return region


def _populated(t: dict[str, str]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {t['award']}")
        awards = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {t['feed']}")
        feed = cursor.fetchone()[0]
    return bool(awards == AWARDS and feed == FEED)


def _build(t: dict[str, str]) -> None:
    """Persons, awards, paid months and the feed, loaded with COPY and INSERT ... SELECT."""
    from core import crypto

    region = _region()
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {t['suspicion']}, {t['event']}, {t['hold']}, {t['payment']}, {t['run']}, "
            f"{t['award']}, {t['feed']}, {t['batch']}, {t['comparison']}, {t['person']} CASCADE"
        )
        buffer = io.StringIO()
        write = csv.writer(buffer).writerow
        cipher = crypto.encrypt("000000000000000000", purpose="id_number")  # never read here
        for number in range(AWARDS):
            id_number = _id_number(REGION_CODE, number)
            birth = date(1940, 1, 1) + timedelta(days=number // 1000)
            write(
                (
                    cipher,
                    crypto.blind_index(id_number, purpose="id_number"),
                    "领取人",
                    birth.isoformat(),
                    "male" if int(id_number[16]) % 2 else "female",
                    region.pk,  # type: ignore[attr-defined]
                )
            )
        buffer.seek(0)
        cursor.execute(
            """CREATE TEMP TABLE bench_people (id_number text, id_number_hash text, name text,
                    birth_date date, sex text, region_id bigint)"""
        )
        cursor.copy_expert("COPY bench_people FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute(
            f"""INSERT INTO {t["person"]} (id_number, id_number_hash, name, birth_date, sex,
                    region_id, ethnicity, hukou_type, hukou_address, phone, address,
                    is_minimum_living_allowance, is_extremely_poor, is_severely_disabled,
                    status, channel, created_at, updated_at)
                SELECT id_number, id_number_hash, name, birth_date, sex, region_id, '', '', '',
                       '', '', false, false, false, 'active', 'shared_data', now(), now()
                FROM bench_people"""
        )
        cursor.execute("DROP TABLE bench_people")
        account = crypto.encrypt("6222020200112233445", purpose="bank_account")
        cursor.execute(
            f"""INSERT INTO {t["award"]} (person_id, region_id, kind, scheme, frequency, amount,
                    amount_from, start_month, status, status_since, is_held, stop_cause,
                    payee_name, payee_bank, payee_account, note, created_at)
                SELECT id, region_id, 'pension', 'pension', 'monthly', 3000.00, '2024-01-01',
                       '2024-01-01', 'active', '2024-01-01', false, '', name, '中国工商银行',
                       %s, '', now()
                FROM {t["person"]} ORDER BY id""",
            [account],
        )
        for month in PAID_MONTHS:
            from benefits.models import PaymentRun

            run_id = PaymentRun.objects.create(
                region=region, period=month, status="released", started_by=_bench_user()
            ).pk
            cursor.execute(
                f"""INSERT INTO {t["payment"]} (award_id, run_id, bank_run_id, period, gross,
                        deductions, net, status, return_reason_code, return_reason, created_at)
                    SELECT id, %s, %s, %s, 3000.00, 0, 3000.00, 'paid', '', '', now()
                    FROM {t["award"]}""",
                [run_id, run_id, month],
            )
    _feed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _bench_user() -> object:
    from accounts.models import User

    user, _created = User.objects.get_or_create(username="bench-eligibility")
    return user


def _feed() -> None:
    """The death feed through the real intake (validation, encryption, blind index)."""
    from eligibility.services.feeds import feed_batch_receive

    hits = AWARDS // HIT_EVERY
    records = []
    for index in range(FEED):
        if index < hits:
            number = index * HIT_EVERY
            id_number = _id_number(REGION_CODE, number)
        else:
            number = index
            id_number = _id_number(OTHER_REGION_CODE, number)
        records.append(
            {
                "source": "civil_affairs",
                "source_reference": f"MZ-{index:07d}",
                "id_number": id_number,
                "event_date": _death_date(number).isoformat(),
            }
        )
    feed_batch_receive(kind="death", records=records, by=None)


def _reset(t: dict[str, str]) -> None:
    """Undo what a comparison wrote, so the next measurement starts from the same state."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {t['suspicion']}")
        cursor.execute(f"DELETE FROM {t['hold']}")
        cursor.execute(f"DELETE FROM {t['event']}")
        cursor.execute(f"UPDATE {t['award']} SET is_held = false WHERE is_held")
        cursor.execute(f"UPDATE {t['feed']} SET compared_at = NULL WHERE compared_at IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {t['suspicion']}")
        cursor.execute(f"VACUUM ANALYZE {t['hold']}")
        cursor.execute(f"VACUUM ANALYZE {t['event']}")
        cursor.execute(f"VACUUM ANALYZE {t['award']}")
        cursor.execute(f"VACUUM ANALYZE {t['feed']}")


def _baseline(t: dict[str, str]) -> int:
    """The same outcome in plain SQL: one hash join, INSERT ... SELECT, UPDATE ... FROM."""
    from eligibility.services.notice import notice_deadline

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMP TABLE bench_hits ON COMMIT DROP AS
                SELECT f.id AS feed_record_id, f.kind, f.event_date, a.person_id,
                       a.id AS award_id
                FROM {t["feed"]} f
                JOIN {t["person"]} p ON p.id_number_hash = f.id_number_hash
                JOIN {t["award"]} a ON a.person_id = p.id
                WHERE f.compared_at IS NULL AND f.kind = 'death' AND a.status = 'active'"""
        )
        cursor.execute("ANALYZE bench_hits")
        cursor.execute("SELECT DISTINCT event_date FROM bench_hits")
        deadlines = [(day, notice_deadline(day).date) for (day,) in cursor.fetchall()]
        values = ", ".join(["(%s::date, %s::date)"] * len(deadlines))
        cursor.execute(
            f"""INSERT INTO {t["event"]} (person_id, kind, event_date, deadline,
                    deadline_provisional, duty_holder, known_from, feed_record_id, created_at)
                SELECT h.person_id, h.kind, h.event_date, d.deadline, false, 'beneficiary',
                       'data_comparison', h.feed_record_id, now()
                FROM bench_hits h JOIN (VALUES {values}) AS d(event_date, deadline)
                  ON d.event_date = h.event_date""",
            [value for row in deadlines for value in row],
        )
        cursor.execute(
            f"""INSERT INTO {t["suspicion"]} (award_id, person_id, kind, event_date,
                    feed_record_id, stop_event_id, status, action, overpaid_amount,
                    overpaid_months, opened_at)
                SELECT h.award_id, h.person_id, h.kind, h.event_date, h.feed_record_id, e.id,
                       'open', 'held', COALESCE(o.amount, 0), COALESCE(o.months, 0), now()
                FROM bench_hits h
                JOIN {t["event"]} e ON e.person_id = h.person_id AND e.kind = h.kind
                  AND e.event_date = h.event_date
                LEFT JOIN LATERAL (
                    SELECT sum(p.gross) AS amount, count(*) AS months
                    FROM {t["payment"]} p
                    WHERE p.award_id = h.award_id AND p.period > h.event_date
                      AND p.status = 'paid') o ON true"""
        )
        cursor.execute(
            f"""WITH made AS (
                    INSERT INTO {t["hold"]} (award_id, kind, reason, evidence, opened_at,
                        release_note)
                    SELECT s.award_id, 'hold', 'eligibility:suspicion',
                           'eligibility:suspicion:' || s.id, now(), ''
                    FROM {t["suspicion"]} s
                    RETURNING id, evidence)
                UPDATE {t["suspicion"]} s SET hold_id = made.id
                FROM made WHERE made.evidence = 'eligibility:suspicion:' || s.id"""
        )
        cursor.execute(
            f"""UPDATE {t["award"]} a SET is_held = true
                FROM bench_hits h WHERE a.id = h.award_id"""
        )
        cursor.execute(f"UPDATE {t['feed']} SET compared_at = now() WHERE compared_at IS NULL")
        cursor.execute(f"SELECT count(*) FROM {t['suspicion']}")
        return int(cursor.fetchone()[0])


def _check(t: dict[str, str], expected: int) -> None:
    from decimal import Decimal

    from eligibility.models import Suspicion

    hits = Suspicion.objects.count()
    held = Suspicion.objects.filter(hold__isnull=False).count()
    sample = Suspicion.objects.order_by("pk").first()
    if hits != expected or held != expected:
        raise AssertionError(f"expected {expected} held suspicions, got {hits} ({held} held)")
    if sample is None or sample.overpaid_amount != Decimal("9000.00"):
        raise AssertionError(f"overpayment evidence wrong: {sample and sample.overpaid_amount}")


def run() -> list[Result]:
    from eligibility.services.comparison import comparison_run

    t = _tables()
    if not _populated(t):
        _build(t)
    expected = AWARDS // HIT_EVERY
    _reset(t)
    _baseline(t)  # warm the caches the same way for both measurements
    _reset(t)
    with timed() as real:
        comparison_run(today=date(2025, 7, 1))
    _check(t, expected)
    _reset(t)
    with timed() as plain:
        _baseline(t)
    _check(t, expected)
    _reset(t)
    name = f"eligibility_comparison_{AWARDS // 1000}k_awards_{FEED // 1000}k_deaths"
    return [Result(name, real(), plain(), target=2.0)]

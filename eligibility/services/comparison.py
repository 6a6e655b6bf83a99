"""Data comparison (比对, Art. 26): every award still paying, matched against the records other
authorities shared (Art. 8), set-based.

A run walks the feed records not yet compared by id range. For each chunk, in one transaction:
a hash join of the records' blind index with the registered persons and their awards finds the
hits; one INSERT ... SELECT opens a suspicion per (award, record) with the evidence (ON CONFLICT
DO NOTHING, so nothing opens twice); benefits' set-based award_holds_open_many holds the awards
(held, not stopped); the stop events and their reporting deadlines are recorded; signs of life
renew the authentication cycles; the chunk's records are marked compared, so a re-run does
nothing. A clerk's refutation of an event (Verification) is respected: no record of that event
re-opens or re-holds it. New contribution records are read too: a sign of life of a
beneficiary, and for someone drawing unemployment benefit, re-employment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from audit.services import audit_event_record
from core.calendar import WorkingCalendar
from core.policy import PolicyParameterMissingError, policy_decimal
from eligibility import awards
from eligibility.models import (
    Authentication,
    AuthenticationChannel,
    AuthenticationCycle,
    ComparisonRun,
    FeedBatch,
    FeedChannel,
    FeedKind,
    FeedRecord,
    StopEvent,
    Suspicion,
    SuspicionAction,
    SuspicionStatus,
    Verification,
)
from eligibility.models.feeds import OFFICIAL_DEATH_SOURCES, STOP_KINDS, FeedSource
from eligibility.services import authentication as auth
from eligibility.services.notice import SAME_EVENT_WINDOW, stop_events_from_feed
from registration.models import ContributionRecord, InsuredPerson

if TYPE_CHECKING:
    from accounts.models import User

CHUNK = 100_000
JOB_KIND = "eligibility.comparison"
SUSPEND_KEY = "death_record_suspends_at_once"
# Awards a death is the cause of, never a reason to stop: paid to survivors.
DEATH_CAUSED_KINDS = ("wi_survivor_pension", "survivor_benefit", "funeral_subsidy")
Progress = Callable[[int, int], None]


def _suspend_deaths_at_once(today: date) -> bool:
    try:
        return policy_decimal(SUSPEND_KEY, on=today) >= 1
    except PolicyParameterMissingError:
        return False


def comparison_run(
    *,
    today: date | None = None,
    chunk: int = CHUNK,
    progress: Progress | None = None,
    by: User | None = None,
) -> ComparisonRun:
    """One nightly run (safe to repeat: compared records are skipped, suspicions are unique)."""
    today = today or timezone.localdate()
    run = ComparisonRun.objects.create(started_at=timezone.now())
    run.contributions_high_id = _contributions_scan(run)
    pending = FeedRecord.objects.filter(compared_at__isnull=True)
    low = pending.order_by("id").values_list("id", flat=True).first()
    high = pending.order_by("-id").values_list("id", flat=True).first()
    suspend_deaths = _suspend_deaths_at_once(today)
    calendar = WorkingCalendar()
    if low is not None and high is not None:
        total = high - low + 1
        for start in range(low, high + 1, chunk):
            _compare_chunk(run, start, start + chunk, today, suspend_deaths, calendar)
            if progress is not None:
                progress(min(start + chunk, high + 1) - low, total)
    run.finished_at = timezone.now()
    run.save()
    with transaction.atomic():
        audit_event_record(
            actor=by,
            action="eligibility.comparison.run",
            target=run,
            changes={
                "compared": run.records_compared,
                "suspicions": run.suspicions_opened,
                "held": run.awards_held,
                "suspended": run.awards_suspended,
                "skipped_refuted": run.skipped_refuted,
                "signs_of_life": run.signs_of_life,
            },
        )
    return run


_HITS = "eligibility_hits"
_OPENED = "eligibility_opened"


def _compare_chunk(
    run: ComparisonRun,
    low: int,
    high: int,
    today: date,
    suspend_deaths: bool,
    calendar: WorkingCalendar,
) -> None:
    feed = FeedRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Two runs at once (a retried task, a clerk's "run now"): chunks take turns, and the
        # second finds the records compared. One lock, not a lock on every record.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('eligibility:comparison'))")
        cursor.execute(
            f"""SELECT count(*) FROM {feed}
                WHERE id >= %s AND id < %s AND compared_at IS NULL""",  # noqa: S608
            [low, high],
        )
        (compared,) = cursor.fetchone()
        if not compared:
            return
        _hits(cursor, low, high)
        cursor.execute(f"ANALYZE {_HITS}")  # the planner's estimates for the joins that follow
        cursor.execute(f"SELECT count(*) FROM {_HITS} WHERE refuted")  # noqa: S608
        (refuted,) = cursor.fetchone()
        cursor.execute(f"DELETE FROM {_HITS} WHERE refuted")  # noqa: S608
        stop_events_from_feed(cursor, hits_table=_HITS, calendar=calendar)
        opened = _suspicions_open(cursor, suspend_deaths)
        cursor.execute(
            f"SELECT id, award_id FROM {_OPENED} WHERE action = %s ORDER BY id",  # noqa: S608
            [SuspicionAction.HELD],
        )
        held = awards.awards_hold_for_suspicions(
            cursor.fetchall(), reason=awards.HOLD_REASON_SUSPICION
        )
        cursor.execute(
            f"SELECT id FROM {_OPENED} WHERE action = %s ORDER BY id",  # noqa: S608
            [SuspicionAction.SUSPENDED],
        )
        to_suspend = [int(sid) for (sid,) in cursor.fetchall()]
        suspended = _suspend(to_suspend)
        signs = _signs_of_life(cursor, low, high, today)
        cursor.execute(
            f"""UPDATE {feed} SET compared_at = now()
                WHERE id >= %s AND id < %s AND compared_at IS NULL""",  # noqa: S608
            [low, high],
        )
        cursor.execute(f"DROP TABLE {_HITS}, {_OPENED}")
        run.records_compared += compared
        run.suspicions_opened += opened
        run.awards_held += held
        run.awards_suspended += suspended
        run.skipped_refuted += refuted
        run.signs_of_life += signs
        run.save()


def _hits(cursor: Any, low: int, high: int) -> None:
    """Every (stop record, award still paying after the event) of the chunk: a hash join on the
    blind index. Re-employment touches unemployment benefit only; a death not the awards paid
    because of it; benefits received elsewhere, the same kind of award (or any, if unnamed)."""
    award_table = awards.award_table()
    cursor.execute(
        f"""CREATE TEMP TABLE {_HITS} ON COMMIT DROP AS
            SELECT f.id AS feed_record_id, f.kind, f.source, f.event_date, a.person_id,
                   a.id AS award_id, a.status AS award_status, a.is_held,
                   EXISTS (SELECT 1 FROM {Verification._meta.db_table} v
                           WHERE v.person_id = a.person_id AND v.kind = f.kind
                             AND v.event_date = f.event_date AND v.outcome = 'refuted')
                       AS refuted
            FROM {FeedRecord._meta.db_table} f
            JOIN {InsuredPerson._meta.db_table} p ON p.id_number_hash = f.id_number_hash
            JOIN {award_table} a ON a.person_id = p.id
            WHERE f.id >= %s AND f.id < %s AND f.compared_at IS NULL
              AND f.kind = ANY(%s)
              AND a.status IN ('active', 'suspended') AND a.frequency = 'monthly'
              AND (a.end_month IS NULL OR a.end_month > f.event_date)
              AND (f.kind <> 'reemployment' OR a.scheme = 'unemployment')
              AND (f.kind <> 'death' OR a.kind <> ALL(%s))
              AND (f.kind <> 'double_receipt'
                   OR a.kind = COALESCE(NULLIF(f.data->>'award_kind', ''), a.kind))""",  # noqa: S608
        [low, high, [str(kind) for kind in STOP_KINDS], list(DEATH_CAUSED_KINDS)],
    )


def _paid_after_event(alias: str) -> str:
    """SQL: LATERAL `o` (amount, months) of what went out for the award of row `alias` for
    months after its event date (paid, re-sent, or in a released bank file): the overpayment
    if the event is confirmed."""
    from benefits.models import Payment, PaymentRun

    return f"""LEFT JOIN LATERAL (
                SELECT sum(p.gross) AS amount, count(*) AS months
                FROM {Payment._meta.db_table} p
                LEFT JOIN {PaymentRun._meta.db_table} r ON r.id = p.bank_run_id
                WHERE p.award_id = {alias}.award_id AND p.period > {alias}.event_date
                  AND (p.status IN ('paid', 'resent')
                       OR (p.status IN ('pending', 'settled')
                           AND r.status IN ('released', 'reconciled')))) o ON true"""  # noqa: S608


def _suspicions_open(cursor: Any, suspend_deaths: bool) -> int:
    """One suspicion per hit, with the stop event and what was paid after the event date
    (months after it whose money went out: the overpayment if it is confirmed). The new ones
    are listed in a temporary table for the holds."""
    official = [str(source) for source in OFFICIAL_DEATH_SOURCES] if suspend_deaths else []
    cursor.execute(
        f"CREATE TEMP TABLE {_OPENED} (id bigint, award_id bigint, action text) ON COMMIT DROP"
    )
    cursor.execute(
        f"""WITH opened AS (
            INSERT INTO {Suspicion._meta.db_table} (award_id, person_id, kind, event_date,
                feed_record_id, stop_event_id, status, action, overpaid_amount, overpaid_months,
                opened_at)
            SELECT h.award_id, h.person_id, h.kind, h.event_date, h.feed_record_id, e.id, %s,
                   CASE WHEN h.award_status <> 'active' THEN %s
                        WHEN h.kind = 'death' AND h.source = ANY(%s) THEN %s
                        ELSE %s END,
                   COALESCE(o.amount, 0), COALESCE(o.months, 0), now()
            FROM {_HITS} h
            LEFT JOIN LATERAL (
                SELECT x.id FROM {StopEvent._meta.db_table} x
                WHERE x.person_id = h.person_id AND x.kind = h.kind
                  AND x.event_date BETWEEN h.event_date - %s AND h.event_date + %s
                ORDER BY abs(x.event_date - h.event_date), x.id LIMIT 1) e ON true
            {_paid_after_event("h")}
            ON CONFLICT (award_id, feed_record_id) WHERE feed_record_id IS NOT NULL DO NOTHING
            RETURNING id, award_id, action)
            INSERT INTO {_OPENED} SELECT id, award_id, action FROM opened""",  # noqa: S608
        [
            SuspicionStatus.OPEN,
            SuspicionAction.NONE,
            official,
            SuspicionAction.SUSPENDED,
            SuspicionAction.HELD,
            SAME_EVENT_WINDOW.days,
            SAME_EVENT_WINDOW.days,
        ],
    )
    return int(cursor.rowcount)


def overpaid_refresh(suspicion_ids: list[int]) -> None:
    """Re-read what was paid after each suspicion's event date (payments go on while it is
    open, and a report's suspicion starts with none counted)."""
    if not suspicion_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Suspicion._meta.db_table} s
                SET overpaid_amount = COALESCE(o.amount, 0), overpaid_months = COALESCE(o.months, 0)
                FROM {Suspicion._meta.db_table} h
                {_paid_after_event("h")}
                WHERE s.id = h.id AND h.id = ANY(%s)""",  # noqa: S608 - our tables
            [suspicion_ids],
        )


def _suspend(suspicion_ids: list[int]) -> int:
    """Official death records, where the region says so: suspend at once (benefits' service;
    the awards it touches are few). A second record of the same death finds it suspended."""
    from benefits.models import Award

    suspended = 0
    for suspicion in Suspicion.objects.filter(pk__in=suspicion_ids).order_by("pk"):
        if Award.objects.filter(pk=suspicion.award_id, status="active").count() == 0:
            suspicion.action = SuspicionAction.NONE
            suspicion.save(update_fields=["action"])
            continue
        suspended += 1
        suspicion.hold_id = awards.award_suspend(
            award_id=suspicion.award_id,
            reason=awards.SUSPENSION_REASON_DEATH,
            evidence=awards.suspicion_evidence(suspicion.pk),
            by=None,
        )
        suspicion.save(update_fields=["hold"])
    return suspended


def _signs_of_life(cursor: Any, low: int, high: int, today: date) -> int:
    """Sign-of-life records of beneficiaries become data-comparison authentications."""
    cursor.execute(
        f"""INSERT INTO {Authentication._meta.db_table} (person_id, channel, method, verified_on,
                reference, source, evidence, feed_record_id, recorded_at)
            SELECT p.id, %s, 'sign_of_life', f.event_date, 'feed:' || f.id, f.source,
                   jsonb_build_object('feed_record', f.id), f.id, now()
            FROM {FeedRecord._meta.db_table} f
            JOIN {InsuredPerson._meta.db_table} p ON p.id_number_hash = f.id_number_hash
            JOIN {AuthenticationCycle._meta.db_table} c ON c.person_id = p.id
            WHERE f.id >= %s AND f.id < %s AND f.compared_at IS NULL AND f.kind = %s
            ON CONFLICT (channel, reference) WHERE reference <> '' DO NOTHING
            RETURNING person_id, verified_on""",  # noqa: S608 - our tables
        [AuthenticationChannel.DATA_COMPARISON, low, high, FeedKind.SIGN_OF_LIFE],
    )
    rows = cursor.fetchall()
    auth.cycles_renew(rows, AuthenticationChannel.DATA_COMPARISON, today)
    return len(rows)


def _contributions_scan(run: ComparisonRun) -> int:
    """Contribution records received since the last run: a sign of life of each beneficiary,
    and re-employment of someone drawing unemployment benefit (fed in as records of the tax
    authority, compared with the rest). Returns the new high-water mark."""
    last = (
        ComparisonRun.objects.exclude(pk=run.pk)
        .order_by("-contributions_high_id")
        .values_list("contributions_high_id", flat=True)
        .first()
        or 0
    )
    high = (
        ContributionRecord.objects.filter(pk__gt=last)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if high is None:
        return int(last)
    today = timezone.localdate()
    contributions = ContributionRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Authentication._meta.db_table} (person_id, channel, method,
                    verified_on, reference, source, evidence, recorded_at)
                SELECT c.person_id, %s, 'contribution',
                       least(max(c.recorded_at)::date,
                             (c.month + interval '1 month' - interval '1 day')::date),
                       'contribution:' || c.person_id || ':' || to_char(c.month, 'YYYY-MM'),
                       %s, jsonb_build_object('month', to_char(c.month, 'YYYY-MM')), now()
                FROM {contributions} c
                JOIN {AuthenticationCycle._meta.db_table} y ON y.person_id = c.person_id
                WHERE c.id > %s AND c.id <= %s AND c.kind = 'entry'
                GROUP BY c.person_id, c.month
                ON CONFLICT (channel, reference) WHERE reference <> '' DO NOTHING
                RETURNING person_id, verified_on""",  # noqa: S608 - our tables
            [AuthenticationChannel.DATA_COMPARISON, FeedSource.TAX, last, high],
        )
        rows = cursor.fetchall()
        auth.cycles_renew(rows, AuthenticationChannel.DATA_COMPARISON, today)
        run.signs_of_life += len(rows)
        cursor.execute(
            f"""SELECT DISTINCT c.person_id, c.month
                FROM {contributions} c
                JOIN {awards.award_table()} a ON a.person_id = c.person_id
                WHERE c.id > %s AND c.id <= %s AND c.kind = 'entry' AND c.employer_id IS NOT NULL
                  AND a.scheme = 'unemployment' AND a.status IN ('active', 'suspended')
                  AND c.month >= a.start_month""",  # noqa: S608 - our tables
            [last, high],
        )
        reemployed = cursor.fetchall()
        if reemployed:
            _reemployment_records(cursor, reemployed)
    return int(high)


def _reemployment_records(cursor: Any, rows: list[tuple[int, date]]) -> None:
    """Feed records of kind re-employment derived from contributions; the ID number is copied
    encrypted as it is (the same key and purpose), never decrypted."""
    batch = FeedBatch.objects.create(
        kind=FeedKind.REEMPLOYMENT,
        channel=FeedChannel.DERIVED,
        file_name="contribution records",
        records_received=len(rows),
    )
    cursor.execute(
        f"""INSERT INTO {FeedRecord._meta.db_table} (batch_id, kind, source, source_reference,
                id_number, id_number_hash, name, event_date, data, received_at)
            SELECT %s, %s, %s, 'contribution:' || p.id || ':' || to_char(r.month, 'YYYY-MM'),
                   p.id_number, p.id_number_hash, p.name, r.month,
                   jsonb_build_object('derived_from', 'contribution records'), now()
            FROM unnest(%s::bigint[], %s::date[]) AS r(person_id, month)
            JOIN {InsuredPerson._meta.db_table} p ON p.id = r.person_id
            ON CONFLICT ON CONSTRAINT feed_record_source_reference DO NOTHING""",  # noqa: S608
        [
            batch.pk,
            FeedKind.REEMPLOYMENT,
            FeedSource.TAX,
            [person_id for person_id, _month in rows],
            [month for _person_id, month in rows],
        ],
    )
    FeedBatch.objects.filter(pk=batch.pk).update(records_accepted=cursor.rowcount)


def comparison_job(job: Any, progress: Progress) -> dict[str, Any]:
    """The runner of the "eligibility.comparison" job (core.jobs): a row users can watch."""
    run = comparison_run(progress=progress, by=job.created_by)
    ComparisonRun.objects.filter(pk=run.pk).update(job=job)
    return {
        "run": run.pk,
        "compared": run.records_compared,
        "suspicions": run.suspicions_opened,
        "held": run.awards_held,
        "suspended": run.awards_suspended,
        "skipped_refuted": run.skipped_refuted,
        "signs_of_life": run.signs_of_life,
    }

"""The bank payment file of a payment run, and the import of the bank's reconciliation.

Bank payment file (代发文件), agency → bank
============================================

- Encoding **GB18030** (GB 18030-2022, the mandatory Chinese character-set standard: it covers all
  of Unicode, so rare characters in names survive, and Chinese banks' batch-payment systems read
  it); no byte-order mark; lines end with CRLF; comma-separated, quoted as RFC 4180 when a field
  holds a comma, quote or line break.
- Line 1, header: ``H,SIPAY1,<region code>,<period YYYY-MM>,<run id>,<created at ISO 8601>,
  <line count>,<total>``
- Detail lines, one per transfer, in no particular order:
  ``D,<reference>,<payee name>,<bank>,<account number>,<amount>,CNY,<period YYYY-MM>,<purpose>``
  - reference: ``P<payment id>`` for a payment, ``R<re-send id>`` for a returned payment sent
    again; the bank quotes it back in its reconciliation;
  - amount: yuan with two decimals and a point (``3719.14``), never negative; a payment fully
    offset (net 0) has no line;
  - period: the month the payment is for (a released hold or arrears can be for an earlier one);
  - purpose: the award kind's code and Chinese name, e.g. ``pension 基本养老金``.
- Last line, trailer: ``T,<line count>,<total>``; count and total equal the header's and the
  run's totals (run total = sum of its payments = bank file total; checked before release).

The agency's ID numbers are not in the file (Art. 49: the bank needs the account and the name).

Reconciliation file, bank → agency
==================================

GB18030 or UTF-8 (with or without BOM), comma-separated, a header row then one row per line of
the payment file that the bank settled or returned:
``reference,result,amount,reason_code,reason``
- result ``PAID`` or ``RETURNED``; amount as sent; reason_code and reason for a return.
- Returned with a reason code in REQUEUE_REASONS (a technical or temporary failure): the payment
  is queued into the next run's file (a PaymentResend). Any other reason (account closed, name
  mismatch, frozen, invalid account...): the payment is held and the award gets a hold until a
  clerk has the bank details put right and releases it. A returned payment of a month that is
  already an overpayment (the award was stopped) reduces that debt instead (Art. 46).
- The whole file is checked first and nothing is imported if any row is wrong (row-by-row
  errors); the same file imported twice imports once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from benefits import tasks
from benefits.errors import PaymentRunStateError, ReconciliationInvalidError
from benefits.models import (
    Award,
    AwardHold,
    AwardKind,
    DebtEntryKind,
    DebtPeriod,
    HoldKind,
    Payment,
    PaymentResend,
    PaymentRun,
    PaymentRunStatus,
    PaymentStatus,
    ReconciliationImport,
)
from benefits.services.common import require_perm, table
from core import crypto
from core.models import Job, JobStatus

if TYPE_CHECKING:
    from accounts.models import User

ENCODING = "gb18030"
FORMAT = "SIPAY1"
# Reasons a bank gives for a temporary failure: the payment simply goes into the next file.
REQUEUE_REASONS = frozenset({"TECHNICAL", "TIMEOUT", "LIMIT", "SYSTEM"})
PURPOSE_ZH = {
    AwardKind.PENSION: "基本养老金",
    AwardKind.UNEMPLOYMENT: "失业保险金",
    AwardKind.MATERNITY_ALLOWANCE: "生育津贴",
    AwardKind.WI_DISABILITY_GRANT: "一次性伤残补助金",
    AwardKind.WI_DISABILITY_ALLOWANCE: "伤残津贴",
    AwardKind.WI_FUNERAL_GRANT: "工伤丧葬补助金",
    AwardKind.WI_DEATH_GRANT: "一次性工亡补助金",
    AwardKind.WI_SURVIVOR_PENSION: "供养亲属抚恤金",
    AwardKind.WI_REIMBURSEMENT: "工伤医疗费用报销",
    AwardKind.FUNERAL_SUBSIDY: "丧葬补助金",
    AwardKind.SURVIVOR_BENEFIT: "抚恤金",
    AwardKind.MEDICAL_REIMBURSEMENT: "医疗费用报销",
    AwardKind.TRAINING_SUBSIDY: "职业培训补贴",
}
FETCH = 20_000


def bank_file_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "benefits" / "bank-files"


def bank_file_path(run: PaymentRun) -> Path:
    return bank_file_dir() / f"{run.region.code}-{run.period:%Y%m}-run{run.pk}.csv"


def payment_run_release(*, run_id: int, by: User) -> PaymentRun:
    """Release an approved run: its bank file is written by a task (a progress row shows it)."""
    require_perm(by, "benefits.approve_paymentrun")
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        if run.status != PaymentRunStatus.APPROVED:
            raise PaymentRunStateError(
                _("Only an approved run can be released."), status=run.status
            )
        run.released_by = by
        run.save(update_fields=["released_by"])
        if run.job_id is not None:
            Job.objects.filter(pk=run.job_id).update(
                message=_("Writing the bank file"), status=JobStatus.RUNNING, finished_at=None
            )
        transaction.on_commit(partial(tasks.payment_run_bank_file_task.delay, run.pk))
    return run


def _csv(expression: str) -> str:
    """SQL for one CSV field, quoted as RFC 4180 only when it must be."""
    return (
        f"CASE WHEN {expression} ~ '[,\"\\r\\n]' "
        f"THEN '\"' || replace({expression}, '\"', '\"\"') || '\"' ELSE {expression} END"
    )


def _purpose_sql() -> str:
    cases = " ".join(f"WHEN '{kind.value}' THEN '{name}'" for kind, name in PURPOSE_ZH.items())
    return f"a.kind || ' ' || CASE a.kind {cases} ELSE '' END"


def _lines_sql() -> list[str]:
    """The detail lines, formatted by PostgreSQL around the account number (which only Python
    can decrypt): (text before the account, encrypted account, amount, text after it)."""
    tail = f"',CNY,' || to_char(p.period, 'YYYY-MM') || ',' || {_csv(_purpose_sql())}"
    payments = f"""
        SELECT 'D,P' || p.id || ',' || {_csv("a.payee_name")} || ',' || {_csv("a.payee_bank")},
               a.payee_account, p.net::text, {tail}
        FROM {table(Payment)} p JOIN {table(Award)} a ON a.id = p.award_id
        WHERE p.bank_run_id = %(run)s AND p.status <> 'cancelled' AND p.net > 0"""  # noqa: S608
    resends = f"""
        SELECT 'D,R' || r.id || ',' || {_csv("a.payee_name")} || ',' || {_csv("a.payee_bank")},
               a.payee_account, r.amount::text, {tail}
        FROM {table(PaymentResend)} r JOIN {table(Payment)} p ON p.id = r.payment_id
        JOIN {table(Award)} a ON a.id = p.award_id
        WHERE r.run_id = %(run)s AND r.status <> 'cancelled'"""  # noqa: S608
    return [payments, resends]


def bank_file_write(*, run_id: int) -> PaymentRun:
    """Write the run's bank file (layout in the module docstring), check that its count and
    total equal the run's, and mark the run released. Idempotent: a released run is left as
    it is; a crash before commit leaves the run approved and the file is written again."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().select_related("region").get(pk=run_id)
        if run.status != PaymentRunStatus.APPROVED:
            return run
        path = bank_file_path(run)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial_path = path.with_suffix(".partial")
        count, total = _write_detail(run, partial_path)
        if count != _expected_lines(run) or total != run.net_total:
            raise PaymentRunStateError(
                _("The bank file does not add up to the run: %(count)s lines, %(total)s yuan.")
                % {"count": count, "total": total},
                run_total=str(run.net_total),
            )
        _finish(run, partial_path, path, count, total)
        digest = _sha256(path)
        run.status = PaymentRunStatus.RELEASED
        run.released_at = timezone.now()
        run.file_name = path.name
        run.file_sha256 = digest
        run.file_count = count
        run.file_total = total
        run.save(
            update_fields=[
                "status",
                "released_at",
                "file_name",
                "file_sha256",
                "file_count",
                "file_total",
            ]
        )
        if run.job_id is not None:
            Job.objects.filter(pk=run.job_id).update(
                status=JobStatus.SUCCEEDED, finished_at=timezone.now(), message=path.name
            )
        audit_event_record(
            actor=run.released_by,
            action="benefits.payment_run.release",
            target=run,
            changes={"file": path.name, "sha256": digest, "lines": count, "total": str(total)},
        )
    return run


def _expected_lines(run: PaymentRun) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT (SELECT COUNT(*) FROM {table(Payment)} WHERE bank_run_id = %s
                          AND status <> 'cancelled' AND net > 0)
                     + (SELECT COUNT(*) FROM {table(PaymentResend)} WHERE run_id = %s
                          AND status <> 'cancelled')""",  # noqa: S608
            [run.pk, run.pk],
        )
        return int(cursor.fetchone()[0])


def _write_detail(run: PaymentRun, path: Path) -> tuple[int, Decimal]:
    """Stream the detail lines to `path` (a server-side cursor, FETCH rows at a time), each
    account number decrypted as it is written and never held for the whole file."""
    count, total = 0, Decimal("0.00")
    with connection.cursor() as cursor:
        # One pass over a million rows: no JIT compile; the hash join fits in memory.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
    with path.open("w", encoding=ENCODING, newline="") as out:
        for sql in _lines_sql():
            with connection.chunked_cursor() as cursor:
                cursor.itersize = FETCH  # type: ignore[attr-defined]
                cursor.execute(sql, {"run": run.pk})
                while rows := cursor.fetchmany(FETCH):
                    lines = []
                    for head, account, amount, tail in rows:
                        plain = crypto.decrypt(account, purpose="bank_account") if account else ""
                        if not plain.isdigit():
                            plain = _quoted(plain)
                        lines.append(f"{head},{plain},{amount}{tail}\r\n")
                        total += Decimal(amount)
                    count += len(lines)
                    out.write("".join(lines))
    return count, total


def _quoted(value: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([value])
    return buffer.getvalue()


def _finish(run: PaymentRun, detail: Path, path: Path, count: int, total: Decimal) -> None:
    """Header + detail + trailer into the final file (written whole, then renamed into place)."""
    created = timezone.localtime().isoformat(timespec="seconds")
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(
        (
            "H",
            FORMAT,
            run.region.code,
            f"{run.period:%Y-%m}",
            run.pk,
            created,
            count,
            f"{total:.2f}",
        )
    )
    trailer = io.StringIO()
    csv.writer(trailer, lineterminator="\r\n").writerow(("T", count, f"{total:.2f}"))
    final = path.with_suffix(".tmp")
    with final.open("wb") as out:
        out.write(header.getvalue().encode(ENCODING))
        with detail.open("rb") as body:
            while block := body.read(1 << 20):
                out.write(block)
        out.write(trailer.getvalue().encode(ENCODING))
    detail.unlink()
    os.replace(final, path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# reconciliation


@dataclass(frozen=True)
class ReconciliationRow:
    line: int
    reference: str
    result: str
    amount: Decimal
    reason_code: str
    reason: str


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode(ENCODING)


def _parse(content: bytes) -> tuple[list[ReconciliationRow], dict[str, list[str]]]:
    rows: list[ReconciliationRow] = []
    errors: dict[str, list[str]] = {}
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        return [], {"file": [_("The file is neither UTF-8 nor GB18030 text.")]}
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    expected = ["reference", "result", "amount", "reason_code", "reason"]
    if header is None or [h.strip().lower() for h in header] != expected:
        return [], {"file": [_("The first row must be: %(cols)s") % {"cols": ",".join(expected)}]}
    for line, record in enumerate(reader, start=2):
        if not any(field.strip() for field in record):
            continue
        problems: list[str] = []
        if len(record) != 5:
            errors[f"line {line}"] = [_("Expected 5 fields, found %(n)s.") % {"n": len(record)}]
            continue
        reference, result, amount_text, code, reason = (field.strip() for field in record)
        result = result.upper()
        if result not in ("PAID", "RETURNED"):
            problems.append(_("The result must be PAID or RETURNED."))
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            problems.append(_("The amount is not a number."))
            amount = Decimal("0")
        if result == "RETURNED" and not code:
            problems.append(_("A returned payment needs a reason code."))
        if problems:
            errors[f"line {line}"] = problems
            continue
        rows.append(ReconciliationRow(line, reference, result, amount, code.upper(), reason))
    return rows, errors


def reconciliation_import(
    *, run_id: int, file_name: str, content: bytes, by: User
) -> ReconciliationImport:
    """Import the bank's answer for a released run (layout in the module docstring): all rows
    are checked first and nothing changes if any is wrong; the same file twice imports once."""
    require_perm(by, "benefits.start_paymentrun")
    digest = hashlib.sha256(content).hexdigest()
    rows, errors = _parse(content)
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        earlier = ReconciliationImport.objects.filter(run=run, sha256=digest).first()
        if earlier is not None:
            return earlier
        if run.status not in (PaymentRunStatus.RELEASED, PaymentRunStatus.RECONCILED):
            raise PaymentRunStateError(
                _("Only a released run's bank result can be imported."), status=run.status
            )
        lines = _match(run, rows, errors)
        if errors:
            raise ReconciliationInvalidError(
                _("The reconciliation file has errors; nothing was imported."), fields=errors
            )
        outcome = _apply(run, lines, by)
        record = ReconciliationImport.objects.create(
            run=run,
            file_name=file_name[:200],
            sha256=digest,
            imported_by=by,
            lines=len(rows),
            **outcome,
        )
        _run_reconciled_totals(run)
        audit_event_record(
            actor=by,
            action="benefits.payment_run.reconcile",
            target=run,
            changes={"file": file_name, "sha256": digest, "lines": len(rows), **outcome},
        )
    return record


@dataclass
class _Line:
    row: ReconciliationRow
    payment: Payment
    resend: PaymentResend | None


def _match(
    run: PaymentRun, rows: list[ReconciliationRow], errors: dict[str, list[str]]
) -> list[_Line]:
    payment_ids = [int(r.reference[1:]) for r in rows if _is_ref(r.reference, "P")]
    resend_ids = [int(r.reference[1:]) for r in rows if _is_ref(r.reference, "R")]
    payments = {
        p.pk: p
        for p in Payment.objects.filter(pk__in=payment_ids, bank_run=run)
        .select_related("award")
        .select_for_update(of=("self",))
    }
    resends = {
        r.pk: r
        for r in PaymentResend.objects.filter(pk__in=resend_ids, run=run)
        .select_related("payment__award")
        .select_for_update(of=("self",))
    }
    lines: list[_Line] = []
    seen: set[str] = set()
    for row in rows:
        key = f"line {row.line}"
        if row.reference in seen:
            errors[key] = [_("This reference appears twice.")]
            continue
        seen.add(row.reference)
        line: _Line | None = None
        if _is_ref(row.reference, "P") and int(row.reference[1:]) in payments:
            payment = payments[int(row.reference[1:])]
            line = _Line(row, payment, None)
            expected, state = payment.net, payment.status
        elif _is_ref(row.reference, "R") and int(row.reference[1:]) in resends:
            resend = resends[int(row.reference[1:])]
            line = _Line(row, resend.payment, resend)
            expected, state = resend.amount, resend.status
        if line is None:
            errors[key] = [_("No line %(ref)s in this run's bank file.") % {"ref": row.reference}]
            continue
        if row.amount != expected:
            errors[key] = [
                _("The amount %(amount)s differs from the %(sent)s sent.")
                % {"amount": row.amount, "sent": expected}
            ]
            continue
        if state != PaymentStatus.PENDING:
            errors[key] = [_("This line was already reconciled.")]
            continue
        lines.append(line)
    return lines


def _is_ref(reference: str, prefix: str) -> bool:
    return reference.startswith(prefix) and reference[1:].isdigit()


def _apply(run: PaymentRun, lines: list[_Line], by: User) -> dict[str, int]:
    now = timezone.now()
    paid = returned = requeued = held = 0
    for line in lines:
        target: Payment | PaymentResend = line.resend or line.payment
        if line.row.result == "PAID":
            target.status = PaymentStatus.PAID
            target.reconciled_at = now
            target.save(update_fields=["status", "reconciled_at"])
            paid += 1
            continue
        returned += 1
        target.status = PaymentStatus.RETURNED
        target.return_reason_code = line.row.reason_code[:16]
        target.return_reason = line.row.reason[:200]
        target.reconciled_at = now
        target.save(
            update_fields=["status", "return_reason_code", "return_reason", "reconciled_at"]
        )
        action = _returned(line, by)
        requeued += action == "requeued"
        held += action == "held"
    return {"paid": paid, "returned": returned, "requeued": requeued, "held": held}


def _returned(line: _Line, by: User) -> str:
    """A returned line: the money is back with the fund. Overpaid month: it reduces the debt.
    Temporary failure: sent again in the next run. Otherwise the award is held for a clerk."""
    payment = line.payment
    amount = line.resend.amount if line.resend is not None else payment.net
    period = DebtPeriod.objects.filter(payment=payment).select_related("debt").first()
    if period is not None:
        from benefits.services.debts import debt_entry_post

        if period.debt.outstanding > 0:
            debt_entry_post(
                debt_id=period.debt_id,
                kind=DebtEntryKind.BANK_RETURN,
                amount=min(amount, period.debt.outstanding),
                reference=f"return:{line.row.reference}",
                note=line.row.reason,
                by=by,
            )
        return "debt"
    if line.row.reason_code in REQUEUE_REASONS:
        PaymentResend.objects.create(payment=payment, amount=amount)
        if line.resend is None:
            Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.RESENT)
        return "requeued"
    AwardHold.objects.create(
        award_id=payment.award_id,
        kind=HoldKind.HOLD,
        reason=_("Payment returned by the bank: %(code)s %(reason)s")
        % {"code": line.row.reason_code, "reason": line.row.reason},
        evidence=line.row.reference,
        opened_by=by,
    )
    Award.objects.filter(pk=payment.award_id).update(is_held=True)
    return "held"


def _run_reconciled_totals(run: PaymentRun) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COUNT(*) FILTER (WHERE status = 'paid'),
                       COALESCE(SUM(net) FILTER (WHERE status = 'paid'), 0),
                       COUNT(*) FILTER (WHERE status IN ('returned', 'resent')),
                       COALESCE(SUM(net) FILTER (WHERE status IN ('returned', 'resent')), 0),
                       COUNT(*) FILTER (WHERE status = 'pending' AND net > 0)
                FROM {table(Payment)} WHERE bank_run_id = %s""",  # noqa: S608
            [run.pk],
        )
        paid, paid_total, returned, returned_total, open_payments = cursor.fetchone()
        cursor.execute(
            f"""SELECT COUNT(*) FILTER (WHERE status = 'paid'),
                       COALESCE(SUM(amount) FILTER (WHERE status = 'paid'), 0),
                       COUNT(*) FILTER (WHERE status = 'returned'),
                       COALESCE(SUM(amount) FILTER (WHERE status = 'returned'), 0),
                       COUNT(*) FILTER (WHERE status = 'pending')
                FROM {table(PaymentResend)} WHERE run_id = %s""",  # noqa: S608
            [run.pk],
        )
        r_paid, r_paid_total, r_returned, r_returned_total, r_open = cursor.fetchone()
    run.paid_count = paid + r_paid
    run.paid_total = paid_total + r_paid_total
    run.returned_count = returned + r_returned
    run.returned_total = returned_total + r_returned_total
    fields = ["paid_count", "paid_total", "returned_count", "returned_total"]
    if open_payments + r_open == 0:
        run.status = PaymentRunStatus.RECONCILED
        run.reconciled_at = timezone.now()
        fields += ["status", "reconciled_at"]
    run.save(update_fields=fields)

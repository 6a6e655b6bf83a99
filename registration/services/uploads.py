"""Employer file uploads (CSV or XLSX) for 增员, 减员 and base changes, run as background jobs.

The file is kept in the database, a job reads it, checks every row with the same functions as
the forms and the API, and saves all rows or none. The report names row, column and what is
wrong, in Chinese and English; the row number is the spreadsheet's (the header is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import translation

from core.jobs import job_start
from core.models import Job
from registration.models import EmployerUpload, EmploymentEndReason, UploadKind, UploadStatus
from registration.services import employments as emp
from registration.services.employments import RowError, RowsInvalidError

if TYPE_CHECKING:
    from accounts.models import User

JOB_KIND = "registration.employer_upload"
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024

# Accepted headers per column, Chinese or English (case-insensitive).
HEADERS: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号码", "身份证号", "社会保障号码", "id_number", "id number"),
    "name": ("姓名", "name"),
    "start_date": ("参保日期", "入职日期", "start_date", "start date"),
    "contribution_base": ("缴费基数", "contribution_base", "base"),
    "phone": ("联系电话", "电话", "phone"),
    "ethnicity": ("民族", "ethnicity"),
    "end_date": ("减员日期", "离职日期", "end_date", "end date"),
    "reason": ("减员原因", "原因", "reason"),
    "effective_month": ("起始月份", "生效月份", "effective_month", "month"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    UploadKind.START: ("id_number", "name", "start_date", "contribution_base"),
    UploadKind.END: ("id_number", "end_date", "reason"),
    UploadKind.BASE: ("id_number", "effective_month", "contribution_base"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {UploadKind.START: ("phone", "ethnicity")}


class UploadUnreadableError(Exception):
    """The file itself cannot be read (format, encoding, headers): one error for the file."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


def template_headers(kind: str) -> list[str]:
    """The header row of the downloadable template: Chinese names, as employers' files have."""
    return [HEADERS[name][0] for name in (*REQUIRED[kind], *OPTIONAL.get(kind, ()))]


def upload_start(
    *, employer_id: int, kind: str, filename: str, content: bytes, by: User
) -> EmployerUpload:
    """Keep the file and queue the job that checks and saves it."""
    with transaction.atomic():
        upload = EmployerUpload.objects.create(
            employer_id=employer_id,
            kind=kind,
            filename=filename[:200],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by,
        )
        upload.job = job_start(kind=JOB_KIND, by=by, params={"upload_id": upload.pk})
        upload.save(update_fields=["job"])
    return upload


def upload_run(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    """The job: read, check, save all or nothing; the upload row keeps the report."""
    upload = EmployerUpload.objects.select_related("uploaded_by").get(pk=job.params["upload_id"])
    EmployerUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING)
    try:
        rows = read_rows(upload.kind, upload.filename, bytes(upload.content))
        progress(0, len(rows))
        saved = _apply(upload, rows, progress)
    except (UploadUnreadableError, RowsInvalidError) as exc:
        errors = [error.as_dict() for error in exc.errors]
        EmployerUpload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.REJECTED, errors=errors[:5000]
        )
        return {"rows": upload.rows, "saved": 0, "errors": len(errors)}
    except Exception:
        EmployerUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.FAILED)
        raise
    EmployerUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.SAVED, rows=len(rows), errors=[]
    )
    progress(len(rows), len(rows))
    return {"rows": len(rows), "saved": saved, "errors": 0}


def _apply(
    upload: EmployerUpload, rows: list[dict[str, Any]], progress: Callable[[int, int], None]
) -> int:
    EmployerUpload.objects.filter(pk=upload.pk).update(rows=len(rows))
    upload.rows = len(rows)
    parse_errors: list[RowError] = []
    by = upload.uploaded_by
    if upload.kind == UploadKind.START:
        start_rows = [_start_row(row, parse_errors) for row in rows]
        if parse_errors:
            raise RowsInvalidError(parse_errors)
        return len(
            emp.employments_start(
                employer_id=upload.employer_id, rows=start_rows, by=by, progress=progress
            )
        )
    if upload.kind == UploadKind.END:
        end_rows = [_end_row(row, parse_errors) for row in rows]
        if parse_errors:
            raise RowsInvalidError(parse_errors)
        return len(emp.employments_end(employer_id=upload.employer_id, rows=end_rows, by=by))
    base_rows = [_base_row(row, parse_errors) for row in rows]
    if parse_errors:
        raise RowsInvalidError(parse_errors)
    return len(emp.employments_base_change(employer_id=upload.employer_id, rows=base_rows, by=by))


# --- reading files -------------------------------------------------------------------------


def read_rows(kind: str, filename: str, content: bytes) -> list[dict[str, Any]]:
    """The file's data rows as {column: value, "_row": spreadsheet row number}."""
    if len(content) > MAX_BYTES:
        raise _unreadable("文件超过20MB", "the file is larger than 20 MB")
    table = _xlsx_table(content) if filename.lower().endswith(".xlsx") else _csv_table(content)
    if not table:
        raise _unreadable("文件为空", "the file is empty")
    columns = _columns(kind, table[0])
    rows = []
    for number, cells in enumerate(table[1:], 2):
        if all(cell in (None, "") for cell in cells):
            continue  # blank lines between rows are harmless
        rows.append(
            {
                "_row": number,
                **{name: cells[i] if i < len(cells) else None for name, i in columns.items()},
            }
        )
    if not rows:
        raise _unreadable("文件中没有数据行", "the file has no data rows")
    if len(rows) > MAX_ROWS:
        raise _unreadable(f"一次最多{MAX_ROWS}行", f"at most {MAX_ROWS} rows per file")
    return rows


def _unreadable(zh: str, en: str, row: int = 1, column: str = "") -> UploadUnreadableError:
    return UploadUnreadableError([RowError(row, column, f"{zh} / {en}")])


def _csv_table(content: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030 (GBK)
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable("无法识别文件编码，请另存为UTF-8", "unknown text encoding; save as UTF-8")
    return [[cell.strip() for cell in line] for line in csv.reader(io.StringIO(text))]


def _xlsx_table(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise _unreadable("不是有效的XLSX文件", "not a valid XLSX file") from None
    sheet = workbook.worksheets[0]
    table = [
        [cell.strip() if isinstance(cell, str) else cell for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return table


def _columns(kind: str, header: list[Any]) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in header]
    columns: dict[str, int] = {}
    for column in (*REQUIRED[kind], *OPTIONAL.get(kind, ())):
        for alias in HEADERS[column]:
            if alias.lower() in names:
                columns[column] = names.index(alias.lower())
                break
    missing = [HEADERS[c][0] for c in REQUIRED[kind] if c not in columns]
    if missing:
        raise _unreadable(
            f"缺少列：{'、'.join(missing)}",
            f"missing columns: {', '.join(missing)} (see the template)",
        )
    return columns


# --- cells to values -----------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _id_text(value: Any, row: int, errors: list[RowError]) -> str:
    if isinstance(value, int | float):
        # Excel turned the number into a float and lost its last digits: it cannot be trusted.
        errors.append(
            RowError(
                row,
                emp.COLUMN_LABELS["id_number"],
                "身份证号码须设为文本格式 / format the ID number column as text in Excel",
            )
        )
        return ""
    return _text(value)


def _date(value: Any, row: int, column: str, errors: list[RowError]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return date.fromisoformat(text if len(text) == 10 else _pad_date(text))
    except ValueError:
        errors.append(
            RowError(
                row,
                emp.COLUMN_LABELS[column],
                f"日期“{text}”无效，应为YYYY-MM-DD / “{text}” is not a date (YYYY-MM-DD)",
            )
        )
        return None


def _pad_date(text: str) -> str:
    parts = text.split("-")
    if len(parts) == 3:
        return f"{parts[0]}-{parts[1]:0>2}-{parts[2]:0>2}"
    return text


def _month(value: Any, row: int, errors: list[RowError]) -> date | None:
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = _text(value).replace("/", "-")
    if not text:
        return None
    try:
        year, month = text.split("-")[:2]
        return date(int(year), int(month), 1)
    except ValueError:
        errors.append(
            RowError(
                row,
                emp.COLUMN_LABELS["effective_month"],
                f"月份“{text}”无效，应为YYYY-MM / “{text}” is not a month (YYYY-MM)",
            )
        )
        return None


def _amount(value: Any, row: int, errors: list[RowError]) -> Decimal | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        errors.append(
            RowError(
                row,
                emp.COLUMN_LABELS["contribution_base"],
                f"“{text}”不是金额 / “{text}” is not an amount",
            )
        )
        return None


def reason_aliases() -> dict[str, str]:
    """Reason codes by code, Chinese label and English label ("Contract expired 劳动合同期满终止"
    is the msgid: the English words, then the Chinese)."""
    aliases: dict[str, str] = {}
    with translation.override("en"):
        for value, label in EmploymentEndReason.choices:
            english, _space, chinese = str(label).rpartition(" ")
            aliases.update({value: value, chinese: value, english.lower(): value})
    return aliases


def _reason(value: Any) -> str:
    text = _text(value)
    aliases = reason_aliases()
    return aliases.get(text, aliases.get(text.lower(), text))


def _start_row(cells: dict[str, Any], errors: list[RowError]) -> emp.StartRow:
    row = cells["_row"]
    return emp.StartRow(
        row=row,
        id_number=_id_text(cells["id_number"], row, errors),
        name=_text(cells["name"]),
        start_date=_date(cells["start_date"], row, "start_date", errors),
        contribution_base=_amount(cells["contribution_base"], row, errors),
        phone=_text(cells.get("phone")),
        ethnicity=_text(cells.get("ethnicity")),
    )


def _end_row(cells: dict[str, Any], errors: list[RowError]) -> emp.EndRow:
    row = cells["_row"]
    return emp.EndRow(
        row=row,
        id_number=_id_text(cells["id_number"], row, errors),
        end_date=_date(cells["end_date"], row, "end_date", errors),
        reason=_reason(cells["reason"]),
    )


def _base_row(cells: dict[str, Any], errors: list[RowError]) -> emp.BaseRow:
    row = cells["_row"]
    return emp.BaseRow(
        row=row,
        id_number=_id_text(cells["id_number"], row, errors),
        effective_month=_month(cells["effective_month"], row, errors),
        contribution_base=_amount(cells["contribution_base"], row, errors),
    )

"""Uploaded materials: limited in size and type, stored outside the web root (MEDIA_ROOT is
var/private and never served), handed out only through a view that checks access (Art. 49)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cases import selectors
from cases.errors import MaterialRefusedError
from cases.models import OPEN_STATUSES, CaseEventKind, CaseMaterial, CaseStatus
from cases.services._steps import require_assignee, require_perm, require_status, step_record
from cases.services.workflow import case_lock

if TYPE_CHECKING:
    from accounts.models import User

MAX_BYTES_DEFAULT = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    magic: bytes


# What scanners, phones and e-invoice systems produce. OFD is the national e-document format
# (GB/T 33190) that electronic invoices use; it is a ZIP container.
ALLOWED_TYPES = (
    FileType("application/pdf", (".pdf",), b"%PDF-"),
    FileType("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    FileType("image/png", (".png",), b"\x89PNG\r\n\x1a\n"),
    FileType("application/ofd", (".ofd",), b"PK\x03\x04"),
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "CASES_MATERIAL_MAX_BYTES", MAX_BYTES_DEFAULT))


def material_check(upload: UploadedFile[bytes]) -> FileType:
    """The file's type by its content and its name; a refusal says why, in the user's words."""
    limit = max_upload_bytes()
    size = upload.size or 0
    if size == 0:
        raise MaterialRefusedError(
            _("The file is empty."), fields={"file": [_("The file is empty.")]}
        )
    if size > limit:
        message = _("The file is %(size)s MB; files may be at most %(limit)s MB.") % {
            "size": f"{size / 1048576:.1f}",
            "limit": f"{limit / 1048576:.0f}",
        }
        raise MaterialRefusedError(message, fields={"file": [message]})
    name = (upload.name or "").lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in ALLOWED_TYPES:
        if name.endswith(kind.extensions):
            if head.startswith(kind.magic):
                return kind
            message = _(
                "The file is named %(ext)s but its content is not; it may be damaged or renamed."
            ) % {"ext": kind.extensions[0].upper().lstrip(".")}
            raise MaterialRefusedError(message, fields={"file": [message]})
    message = _("Only PDF, JPG, PNG and OFD files are accepted; this file is “%(name)s”.") % {
        "name": upload.name
    }
    raise MaterialRefusedError(message, fields={"file": [message]})


def material_add(
    *, case_id: int, item_material_id: int, upload: UploadedFile[bytes], by: User
) -> CaseMaterial:
    """Attach a catalogued material to an open case. Staff add at any open step; the applicant
    (an employer user) adds the materials that were asked for while the case awaits them."""
    kind = material_check(upload)
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        if case.is_employer_user(by):
            require_status(case, CaseStatus.AWAITING_SUPPLEMENT)
        else:
            require_perm(by, "cases.handle_case")
            require_assignee(case, by)
            require_status(case, *OPEN_STATUSES)
        allowed = selectors.materials_for_upload(case, by)
        item_material = allowed.filter(pk=item_material_id).first()
        if item_material is None:
            message = _("Choose one of the materials listed for this case.")
            raise MaterialRefusedError(message, fields={"item_material": [message]})
        if item_material.fetched_by_agency:
            message = _("The agency fetches this material itself; it need not be uploaded.")
            raise MaterialRefusedError(message, fields={"item_material": [message]})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        material = CaseMaterial(
            case=case,
            item_material=item_material,
            original_name=(upload.name or "")[-200:],
            content_type=kind.content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            is_supplement=case.status == CaseStatus.AWAITING_SUPPLEMENT,
            uploaded_by=by,
        )
        material.file.save(material.original_name, upload, save=False)
        try:  # the stored file must not outlive a failed write
            material.save()
            step_record(
                case=case,
                kind=CaseEventKind.MATERIAL_ADDED,
                actor=by,
                action="cases.case.material_add",
                changes={"material": [None, item_material.code], "sha256": [None, material.sha256]},
                data={
                    "material": item_material.name,
                    "material_en": item_material.name_en,
                    "file": material.original_name,
                },
            )
        except Exception:
            material.file.delete(save=False)
            raise
    return material

"""Catalogue writes: an item and its materials, refused without a legal basis (Art. 31)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_event_record, changes_between, snapshot
from cases.errors import CatalogueLegalBasisMissingError
from cases.models import Channel, ItemMaterial, MaterialKind, OwnerApp, ServiceItem
from core.errors import InvalidInputError

if TYPE_CHECKING:
    from accounts.models import User

ITEM_AUDIT_FIELDS = [
    "name",
    "name_en",
    "owner_app",
    "legal_basis",
    "time_limit_working_days",
    "time_limit_is_statutory",
    "time_limit_source",
    "clock_pauses_for_supplement",
    "is_high_risk",
    "is_active",
]


@dataclass(frozen=True)
class MaterialSpec:
    code: str
    name: str
    name_en: str
    legal_basis: str = ""
    kind: str = MaterialKind.SUPPORTING
    is_required: bool = True
    fetched_by_agency: bool = False
    fetched_from: str = ""
    condition: str = ""
    condition_en: str = ""


def service_item_define(
    *,
    code: str,
    name: str,
    name_en: str,
    owner_app: str,
    legal_basis: str,
    time_limit_working_days: int,
    time_limit_source: str,
    channels: Sequence[str],
    materials: Sequence[MaterialSpec],
    valid_from: date,
    time_limit_is_statutory: bool = True,
    clock_pauses_for_supplement: bool = True,
    is_high_risk: bool = False,
    by: User | None,
) -> ServiceItem:
    """Create or update a catalogue item. Art. 31: every material other than an identity
    document needs a basis in law, administrative regulation or a State Council decision, and
    the item itself needs the article that creates the duty; otherwise nothing is saved."""
    _validate(legal_basis, time_limit_working_days, time_limit_source, channels, owner_app)
    missing = [
        spec.code
        for spec in materials
        if spec.kind != MaterialKind.IDENTITY and not spec.legal_basis.strip()
    ]
    if missing:
        raise CatalogueLegalBasisMissingError(
            _(
                "Art. 31: only an identity document may be required without a basis in law, "
                "administrative regulation or a State Council decision. Give the legal basis of: "
                "%(codes)s."
            )
            % {"codes": ", ".join(missing)},
            fields={"materials": missing},
        )
    with transaction.atomic():
        item = ServiceItem.objects.select_for_update().filter(code=code).first()
        before = snapshot(item, ITEM_AUDIT_FIELDS) if item is not None else {}
        item = item or ServiceItem(code=code)
        item.name, item.name_en, item.owner_app = name, name_en, owner_app
        item.legal_basis, item.valid_from = legal_basis.strip(), valid_from
        item.time_limit_working_days = time_limit_working_days
        item.time_limit_is_statutory = time_limit_is_statutory
        item.time_limit_source = time_limit_source.strip()
        item.clock_pauses_for_supplement = clock_pauses_for_supplement
        item.channels, item.is_high_risk = list(channels), is_high_risk
        item.save()
        for order, spec in enumerate(materials, start=1):
            ItemMaterial.objects.update_or_create(
                item=item,
                code=spec.code,
                defaults={
                    "name": spec.name,
                    "name_en": spec.name_en,
                    "kind": spec.kind,
                    "legal_basis": spec.legal_basis.strip(),
                    "is_required": spec.is_required,
                    "fetched_by_agency": spec.fetched_by_agency,
                    "fetched_from": spec.fetched_from,
                    "condition": spec.condition,
                    "condition_en": spec.condition_en,
                    "ordering": order * 10,
                },
            )
        audit_event_record(
            actor=by,
            action="cases.service_item.define",
            target=item,
            changes={
                **changes_between(before, snapshot(item, ITEM_AUDIT_FIELDS)),
                "materials": [None, [spec.code for spec in materials]],
            },
        )
    return item


def _validate(
    legal_basis: str,
    working_days: int,
    source: str,
    channels: Sequence[str],
    owner_app: str,
) -> None:
    fields: dict[str, list[str]] = {}
    if not legal_basis.strip():
        fields["legal_basis"] = [_("Name the article that creates this duty.")]
    if working_days <= 0:
        fields["time_limit_working_days"] = [_("The time limit must be at least 1 working day.")]
    if not source.strip():
        fields["time_limit_source"] = [_("Name where the time limit comes from.")]
    if not channels or any(channel not in Channel.values for channel in channels):
        fields["channels"] = [_("Choose one or more of the known channels.")]
    if owner_app not in OwnerApp.values:
        fields["owner_app"] = [_("Unknown owning app.")]
    if "legal_basis" in fields:
        raise CatalogueLegalBasisMissingError(fields["legal_basis"][0], fields=fields)
    if fields:
        raise InvalidInputError(_("The catalogue item has invalid fields."), fields=fields)

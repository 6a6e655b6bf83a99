"""The partner registry: who we exchange transfers with, and which regions we serve ourselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_event_record
from core.errors import InvalidInputError
from core.models import Agency, Region
from transfers import signing
from transfers.errors import PartnerUnknownError
from transfers.models import PartnerAgency, PartnerStatus

if TYPE_CHECKING:
    from accounts.models import User


def pooling_region_of(region: Region) -> Region:
    pooling = region.pooling_region
    return pooling if pooling is not None else region


def partner_register(
    *,
    code: str,
    name: str,
    region_codes: Iterable[str],
    base_url: str = "",
    public_key: str = "",
    our_key_id: str = "",
    local: bool = False,
    api_client_id: int | None = None,
    by: User | None,
) -> PartnerAgency:
    """Register a partner agency, or update it (a new URL, a rotated key). A LOCAL partner lists
    the pooling regions this deployment serves itself; messages to them stay in process."""
    codes = sorted(set(region_codes))
    regions = list(Region.objects.filter(code__in=codes))
    fields: dict[str, list[str]] = {}
    if len(regions) != len(codes) or not codes:
        fields["regions"] = [_("Name known pooling regions (division codes).")]
    if not local:
        if not base_url.startswith(("http://", "https://")):
            fields["base_url"] = [_("Give the partner's base URL (https://…).")]
        if not signing.public_key_valid(public_key):
            fields["public_key"] = [_("Give the partner's Ed25519 public key (base64).")]
    if fields:
        raise InvalidInputError(_("The partner agency is incomplete."), fields=fields)
    from accounts.models import User

    with transaction.atomic():
        partner = PartnerAgency.objects.select_for_update().filter(code=code).first()
        values = {
            "name": name,
            "base_url": "" if local else base_url.rstrip("/"),
            "public_key": "" if local else public_key,
            "our_key_id": our_key_id,
            "status": PartnerStatus.LOCAL if local else PartnerStatus.ACTIVE,
            "api_client_id": api_client_id,
        }
        if partner is None:
            user = User.objects.create(username=f"partner:{code}"[:150], full_name=name)
            user.set_unusable_password()
            user.save(update_fields=["password", "password_changed_at"])
            user.groups.add(Group.objects.get(name=Role.API_CLIENT))
            partner = PartnerAgency.objects.create(code=code, service_user=user, **values)
            before: dict[str, object] = {}
        else:
            before = {key: getattr(partner, key) for key in values}
            for key, value in values.items():
                setattr(partner, key, value)
            partner.save()
        partner.regions.set(regions)
        audit_event_record(
            actor=by,
            action="transfers.partner.register",
            target=partner,
            changes={
                key: [before.get(key), value]
                for key, value in {**values, "regions": codes}.items()
                if before.get(key) != value
            },
        )
    return partner


def partner_for_region(region: Region) -> PartnerAgency:
    """The partner that serves this pooling region (LOCAL when it is ours)."""
    pooling = pooling_region_of(region)
    partner = (
        PartnerAgency.objects.filter(regions=pooling)
        .exclude(status=PartnerStatus.SUSPENDED)
        .order_by("status", "code")
        .first()
    )
    if partner is None:
        raise PartnerUnknownError(
            _("No partner agency serves %(region)s: register it first.")
            % {"region": pooling.display_name},
            region=pooling.code,
        )
    return partner


def serves_locally(region: Region) -> bool:
    return PartnerAgency.objects.filter(
        regions=pooling_region_of(region), status=PartnerStatus.LOCAL
    ).exists()


def local_agency_for(region: Region) -> Agency:
    """The agency of this deployment that handles a pooling region's transfers (its main one)."""
    pooling = pooling_region_of(region)
    agency = (
        Agency.objects.filter(region__pooling_region=pooling, parent__isnull=True)
        .order_by("code")
        .first()
    ) or Agency.objects.filter(region=pooling).order_by("code").first()
    if agency is None:
        raise PartnerUnknownError(
            _("No agency of %(region)s is registered here.") % {"region": pooling.display_name}
        )
    return agency

"""What moves, and in which steps (Regulation Arts. 12-15; benefit-rules.md (f) and (g)).

A transfer runs between the old region (转出地, side OUT) and the new one (转入地, side IN). Each
step belongs to one side; that side files it as a case with the service item below, so its
deadline in working days shows on the case engine's worklists (Art. 16).

- Pension (employee between regions, public institution <-> enterprise, resident): three steps of
  15 working days (国办发〔2009〕66号): 1 the new agency accepts and sends the contact letter, 2 the
  old agency sends the record and the funds, 3 the new agency takes them in and informs. Each
  kind has its own catalogue items; only 66号's are statutory, the others internal targets.
- Medical (employee, resident): the old agency transfers out within 10 working days, the new one
  takes in within 5 (医保办发〔2021〕43号).
- Unemployment: the record and cumulative months move (Art. 14; SIL Art. 52): out, then in, on
  the catalogue's internal targets (no number of days in the regulation).
- Work injury and maternity never move (Art. 15): the old enrolment ends, the person enrols anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from registration.models import InsuranceType


class TransferKind(models.TextChoices):
    PENSION_EMP_INTER_AREA = (
        "PENSION_EMP_INTER_AREA",
        _("Employee pension between regions"),
    )
    PENSION_PUBLIC_ENTERPRISE = (
        "PENSION_PUBLIC_ENTERPRISE",
        _("Pension between public institutions and enterprises"),
    )
    PENSION_RESIDENT = "PENSION_RESIDENT", _("Resident pension")
    MED_EMP = "MED_EMP", _("Employee medical insurance")
    MED_RES = "MED_RES", _("Resident medical insurance")
    UI_INTER_AREA = "UI_INTER_AREA", _("Unemployment insurance between regions")


class Side(models.TextChoices):
    OUT = "out", _("Old region (transfer out)")
    IN = "in", _("New region (transfer in)")


class StepAction(models.TextChoices):
    ACCEPT = "accept", _("Accept the application and send the contact letter")
    SEND = "send", _("Send the record and the funds")
    INTAKE = "intake", _("Check the amounts and take the record in")


@dataclass(frozen=True)
class StepSpec:
    number: int
    side: Side
    action: StepAction
    item_code: str | None  # the case engine's service item; None: the step files no case


PENSION_STEPS = (
    StepSpec(1, Side.IN, StepAction.ACCEPT, "pension_transfer_accept"),
    StepSpec(2, Side.OUT, StepAction.SEND, "pension_transfer_out"),
    StepSpec(3, Side.IN, StepAction.INTAKE, "pension_transfer_intake"),
)
MEDICAL_STEPS = (
    StepSpec(1, Side.OUT, StepAction.SEND, "medical_transfer_out"),
    StepSpec(2, Side.IN, StepAction.INTAKE, "medical_transfer_in"),
)
PUBLIC_PENSION_STEPS = (
    StepSpec(1, Side.IN, StepAction.ACCEPT, "public_pension_transfer_accept"),
    StepSpec(2, Side.OUT, StepAction.SEND, "public_pension_transfer_out"),
    StepSpec(3, Side.IN, StepAction.INTAKE, "public_pension_transfer_intake"),
)
RESIDENT_PENSION_STEPS = (
    StepSpec(1, Side.IN, StepAction.ACCEPT, "resident_pension_transfer_accept"),
    StepSpec(2, Side.OUT, StepAction.SEND, "resident_pension_transfer_out"),
    StepSpec(3, Side.IN, StepAction.INTAKE, "resident_pension_transfer_intake"),
)
UNEMPLOYMENT_STEPS = (
    StepSpec(1, Side.OUT, StepAction.SEND, "unemployment_transfer_out"),
    StepSpec(2, Side.IN, StepAction.INTAKE, "unemployment_transfer_in"),
)

STEPS: dict[str, tuple[StepSpec, ...]] = {
    TransferKind.PENSION_EMP_INTER_AREA: PENSION_STEPS,
    TransferKind.PENSION_PUBLIC_ENTERPRISE: PUBLIC_PENSION_STEPS,
    TransferKind.PENSION_RESIDENT: RESIDENT_PENSION_STEPS,
    TransferKind.MED_EMP: MEDICAL_STEPS,
    TransferKind.MED_RES: MEDICAL_STEPS,
    TransferKind.UI_INTER_AREA: UNEMPLOYMENT_STEPS,
}

INSURANCE_TYPE: dict[str, str] = {
    TransferKind.PENSION_EMP_INTER_AREA: InsuranceType.PENSION_EMPLOYEE,
    TransferKind.PENSION_PUBLIC_ENTERPRISE: InsuranceType.PENSION_EMPLOYEE,
    TransferKind.PENSION_RESIDENT: InsuranceType.PENSION_RESIDENT,
    TransferKind.MED_EMP: InsuranceType.MEDICAL_EMPLOYEE,
    TransferKind.MED_RES: InsuranceType.MEDICAL_RESIDENT,
    TransferKind.UI_INTER_AREA: InsuranceType.UNEMPLOYMENT,
}

# Kinds whose pooled fund moves by the 12% rule (国办发〔2009〕66号 Art. 4(2)); the public-
# institution rules (人社部发〔2017〕71号) reuse it. The resident scheme has no pooled fund part:
# only the personal account moves (城乡居民基本养老保险经办规程).
POOLED_FUND_KINDS = frozenset(
    {TransferKind.PENSION_EMP_INTER_AREA, TransferKind.PENSION_PUBLIC_ENTERPRISE}
)
PENSION_KINDS = frozenset(
    {
        TransferKind.PENSION_EMP_INTER_AREA,
        TransferKind.PENSION_PUBLIC_ENTERPRISE,
        TransferKind.PENSION_RESIDENT,
    }
)
# The person applies after enrolling at the new place (国办发〔2009〕66号 Art. 8).
NEEDS_ENROLMENT_AT_NEW_PLACE = frozenset(
    {TransferKind.PENSION_EMP_INTER_AREA, TransferKind.PENSION_PUBLIC_ENTERPRISE}
)
# Art. 15: these never move.
NOT_TRANSFERABLE = frozenset({InsuranceType.WORK_INJURY, InsuranceType.MATERNITY})

LEGAL_BASIS: dict[str, str] = {
    TransferKind.PENSION_EMP_INTER_AREA: "社会保险经办条例第十二条、第十六条；国办发〔2009〕66号",
    TransferKind.PENSION_PUBLIC_ENTERPRISE: "社会保险经办条例第十二条第二款、第十六条；"
    "机关事业单位基本养老保险关系和职业年金转移接续有关问题的通知（2017年）",
    TransferKind.PENSION_RESIDENT: "社会保险经办条例第十二条第三款、第十六条",
    TransferKind.MED_EMP: "社会保险经办条例第十三条、第十六条；医保办发〔2021〕43号",
    TransferKind.MED_RES: "社会保险经办条例第十三条、第十六条；医保办发〔2021〕43号",
    TransferKind.UI_INTER_AREA: "社会保险经办条例第十四条；社会保险法第五十二条",
}


def steps_for(kind: str) -> tuple[StepSpec, ...]:
    return STEPS[kind]


def step_spec(kind: str, number: int) -> StepSpec:
    for spec in STEPS[kind]:
        if spec.number == number:
            return spec
    raise KeyError(f"{kind} has no step {number}")


def application_side(kind: str) -> Side:
    """Where the person applies: the side of step 1."""
    return STEPS[kind][0].side

"""Work-injury service items the case engine's catalogue (cases/catalogue_seed.py) does not have
yet, defined through its public service `service_item_define` when missing, never overwriting
an item that exists. They belong in cases/catalogue_seed.py; this module goes away once they are
there (reported to the cases engineer).

- WI disability benefits and death benefits (工伤保险条例 Arts. 35-39): the regulation sets no
  handling time; 20 working days is a service target, shown as not statutory.
- Art. 21 applications (labour-capacity appraisal, assistive-device confirmation, extension of
  paid injury leave, recurring injury): a diagnosis certificate and medical records (Art. 21);
  no time limit in the regulation (the WIR's appraisal limits are the committee's).
"""

from __future__ import annotations

from datetime import date
from typing import Any

REG = "社会保险经办条例"
IN_FORCE = date(2023, 12, 1)
TARGET = (
    "本条例未规定办理时限；本机构服务承诺20个工作日 / "
    "no statutory limit; a 20-working-day service target"
)


def _items() -> list[dict[str, Any]]:
    from cases.services import MaterialSpec

    identity = MaterialSpec(
        code="id_document",
        name="居民身份证或其他有效身份证件",
        name_en="Resident identity card or other valid identity document",
        kind="identity",
    )
    recognition = MaterialSpec(
        code="injury_recognition",
        name="工伤认定决定书",
        name_en="Work-injury recognition decision",
        legal_basis="《工伤保险条例》第二十条",
        fetched_by_agency=True,
        fetched_from="社会保险行政部门工伤认定信息",
    )
    art21 = [
        identity,
        recognition,
        MaterialSpec(
            code="diagnosis",
            name="诊断证明",
            name_en="Diagnosis certificate",
            legal_basis=f"《{REG}》第二十一条",
        ),
        MaterialSpec(
            code="medical_records",
            name="病历资料",
            name_en="Medical records",
            legal_basis=f"《{REG}》第二十一条",
        ),
    ]
    return [
        {
            "code": "work_injury_disability_benefits",
            "name": "一次性伤残补助金、伤残津贴申领",
            "name_en": "Work-injury disability grant and allowance",
            "legal_basis": "《工伤保险条例》第三十五条至第三十七条",
            "materials": [
                identity,
                recognition,
                MaterialSpec(
                    code="capacity_conclusion",
                    name="劳动能力鉴定结论",
                    name_en="Labour-capacity appraisal conclusion",
                    legal_basis="《工伤保险条例》第二十一条、第三十五条",
                    fetched_by_agency=True,
                    fetched_from="劳动能力鉴定委员会",
                ),
            ],
            "is_high_risk": True,
        },
        {
            "code": "work_injury_death_benefits",
            "name": "因工死亡丧葬补助金、供养亲属抚恤金、一次性工亡补助金申领",
            "name_en": "Work-injury death benefits",
            "legal_basis": "《工伤保险条例》第三十九条",
            "materials": [
                identity,
                recognition,
                MaterialSpec(
                    code="death_record",
                    name="死亡信息",
                    name_en="Death record",
                    legal_basis=f"《{REG}》第八条",
                    fetched_by_agency=True,
                    fetched_from="公安、民政、卫生健康部门死亡信息（第八条数据共享）",
                ),
            ],
            "is_high_risk": True,
        },
        {
            "code": "work_injury_capacity_appraisal",
            "name": "劳动能力鉴定申请",
            "name_en": "Labour-capacity appraisal application",
            "legal_basis": f"《{REG}》第二十一条",
            "materials": art21,
        },
        {
            "code": "work_injury_assistive_device",
            "name": "工伤职工配置辅助器具确认",
            "name_en": "Assistive-device confirmation",
            "legal_basis": f"《{REG}》第二十一条",
            "materials": art21,
        },
        {
            "code": "work_injury_leave_extension",
            "name": "停工留薪期延长确认",
            "name_en": "Extension of the paid injury-leave period",
            "legal_basis": f"《{REG}》第二十一条",
            "materials": art21,
        },
        {
            "code": "work_injury_recurrence",
            "name": "工伤旧伤复发确认",
            "name_en": "Confirmation of a recurring work injury",
            "legal_basis": f"《{REG}》第二十一条",
            "materials": art21,
        },
    ]


def catalogue_ensure(**kwargs: Any) -> int:
    """post_migrate: define the items above that are missing (an existing one is left as is)."""
    from cases.models import ServiceItem
    from cases.services import service_item_define

    existing = set(ServiceItem.objects.values_list("code", flat=True))
    created = 0
    for spec in _items():
        if spec["code"] in existing:
            continue
        service_item_define(
            code=spec["code"],
            name=spec["name"],
            name_en=spec["name_en"],
            owner_app="benefits",
            legal_basis=spec["legal_basis"],
            time_limit_working_days=20,
            time_limit_source=TARGET,
            time_limit_is_statutory=False,
            channels=channels_for(spec),
            materials=spec["materials"],
            valid_from=IN_FORCE,
            is_high_risk=spec.get("is_high_risk", False),
            by=None,
        )
        created += 1
    return created


def channels_for(spec: dict[str, Any]) -> list[str]:
    return ["online", "api", "counter", "self_service"]

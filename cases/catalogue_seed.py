"""The regulation's service items and time limits (requirements.md, "Every time limit").

Reference data for production: loaded by migration 0002 and again after a flush (post_migrate),
creating only what is missing, never overwriting an administrator's later edit. The function
takes the model classes so the migration can pass its historical models.
"""

from __future__ import annotations

from datetime import date
from typing import Any

REG = "社会保险经办条例"  # State Council Decree No. 765, in force 2023-12-01 (Art. 63)
IN_FORCE = date(2023, 12, 1)
ALL_CHANNELS = ["online", "api", "counter", "self_service", "home_visit"]
PERSON_CHANNELS = ["online", "counter", "self_service", "home_visit"]

ID_CARD: dict[str, Any] = {
    "code": "id_document",
    "name": "居民身份证或其他有效身份证件",
    "name_en": "Resident identity card or other valid identity document",
    "kind": "identity",
    "legal_basis": "",  # Art. 31: an identity document needs no further basis
}


def _m(code: str, name: str, name_en: str, basis: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": name, "name_en": name_en, "legal_basis": basis, **extra}


def _fetched(code: str, name: str, name_en: str, basis: str, source: str) -> dict[str, Any]:
    return _m(code, name, name_en, basis, fetched_by_agency=True, fetched_from=source)


# Arts. 20 ¶2 and 22 ¶2 name the same four documents for a manual reimbursement.
def _reimbursement(article: str) -> list[dict[str, Any]]:
    basis = f"{REG} {article}"
    return [
        ID_CARD,
        _m("invoices", "收费票据", "Charge invoices (收费票据)", basis),
        _m("cost_list", "费用清单", "Itemised cost list", basis),
        _m("diagnosis", "诊断证明", "Diagnosis certificate", basis),
        _m("medical_records", "病历资料", "Medical records", basis),
    ]


SHARED_HUKOU = "公安部门户籍信息（第八条数据共享）"
SHARED_DEATH = "公安、民政、卫生健康部门死亡信息（第八条数据共享）"
SHARED_CONTRIB = "本机构参保缴费记录（第十一条）"
SHARED_PLATFORM = "全国社会保险公共服务平台（第二十七条）"
SHARED_MED_PLATFORM = "全国医疗保障信息平台（第二十七条）"
SHARED_MARKET = "登记管理机关登记信息（第八条数据共享）"
SHARED_ARREARS = "税务部门欠费信息（第十条）"

PUBLIC_PENSION_BASIS = (
    f"{REG} 第十二条第二款、第十六条；人力资源社会保障部、财政部"
    "关于机关事业单位基本养老保险关系和职业年金转移接续有关问题的通知（2017年）"
)
RESIDENT_PENSION_BASIS = f"{REG} 第十二条第三款、第十六条；城乡居民基本养老保险经办规程"
UNEMPLOYMENT_TRANSFER_BASIS = f"{REG} 第十四条、第十六条；中华人民共和国社会保险法 第五十二条"

SERVICE_ITEMS: list[dict[str, Any]] = [
    {
        "code": "person_registration",
        "name": "个人社会保险登记",
        "name_en": "Individual social insurance registration",
        "owner_app": "registration",
        "legal_basis": f"{REG} 第六条第二款",
        "time_limit_working_days": 10,
        "time_limit_source": f"{REG} 第六条第二款：自收到申请之日起10个工作日内办理完毕",
        "channels": ALL_CHANNELS,
        "conditions": "在本统筹区参加社会保险的个人，以公民身份号码作为社会保障号码。",
        "conditions_en": "A person joining social insurance in this pooling region; the citizen "
        "ID number is the social security number.",
        "materials": [
            ID_CARD,
            _fetched(
                "hukou_record",
                "户籍登记信息",
                "Household registration record",
                f"{REG} 第八条",
                SHARED_HUKOU,
            ),
        ],
        "ordering": 10,
    },
    {
        "code": "registration_change",
        "name": "社会保险登记变更、注销",
        "name_en": "Change or cancellation of social insurance registration",
        "owner_app": "registration",
        "legal_basis": f"{REG} 第十条",
        "time_limit_working_days": 10,
        "time_limit_source": f"{REG} 第十条：自收到申请之日起10个工作日内办理完毕",
        "channels": ALL_CHANNELS,
        # Art. 9: bank-account changes are high-risk business (requirements.md), tiered review.
        "is_high_risk": True,
        "conditions": "用人单位或个人的参保登记事项发生变化，"
        "或者依法终止参保。用人单位注销前应当结清欠缴的"
        "社会保险费、滞纳金、罚款。",
        "conditions_en": "An employer's or person's registered details changed, or the "
        "registration ends. An employer must first settle unpaid contributions, late fees "
        "and fines before cancelling (Art. 10).",
        "materials": [
            ID_CARD,
            _fetched(
                "market_registration",
                "登记管理机关变更、注销登记信息",
                "Registration authority's change or deregistration record",
                f"{REG} 第八条",
                SHARED_MARKET,
            ),
            _fetched(
                "arrears_statement",
                "欠缴社会保险费、滞纳金、罚款结清情况",
                "Statement that contributions, late fees and fines are settled",
                f"{REG} 第十条",
                SHARED_ARREARS,
            ),
        ],
        "ordering": 20,
    },
    {
        "code": "pension_claim",
        "name": "基本养老金申领",
        "name_en": "Basic pension claim",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第十八条",
        "time_limit_working_days": 20,
        "time_limit_source": f"{REG} 第十八条：自收到申请之日起20个工作日内办理完毕",
        "channels": ALL_CHANNELS,
        "is_high_risk": True,
        "conditions": "达到法定退休年龄并满足最低缴费年限的参保人员。",
        "conditions_en": "An insured person at statutory retirement age with the minimum "
        "contribution years.",
        "materials": [
            ID_CARD,
            _fetched(
                "contribution_history",
                "参保缴费记录",
                "Contribution history",
                f"{REG} 第十一条",
                SHARED_CONTRIB,
            ),
        ],
        "ordering": 30,
    },
    {
        "code": "survivor_benefits",
        "name": "丧葬补助金、抚恤金申领",
        "name_en": "Funeral subsidy and survivors' pension (抚恤金)",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第十九条",
        # Art. 19 says "及时" (promptly) with no number: an internal service target, not a
        # statutory limit, and shown as such.
        "time_limit_working_days": 20,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} "
        "第十九条：及时核实、核定并发放（无法定天数；本机构服务承诺时限）",
        "channels": PERSON_CHANNELS,
        "conditions": "参加职工基本养老保险的个人死亡，"
        "或者失业人员在领取失业保险金期间死亡的，其遗属。",
        "conditions_en": "Survivors of a person insured under employee pension, or of an "
        "unemployed person who died while receiving unemployment benefit.",
        "materials": [
            ID_CARD,
            _fetched(
                "death_record",
                "死亡信息",
                "Death record",
                f"{REG} 第八条",
                SHARED_DEATH,
            ),
            _fetched(
                "kinship_record",
                "申领人与死者的亲属关系（户籍信息）",
                "Claimant's relationship to the deceased (household registration)",
                f"{REG} 第八条",
                SHARED_HUKOU,
            ),
        ],
        "ordering": 40,
    },
    {
        "code": "medical_manual_reimbursement",
        "name": "医疗费用手工报销",
        "name_en": "Manual reimbursement of medical costs",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第二十条第二款",
        "time_limit_working_days": 30,
        "time_limit_source": f"{REG} 第二十条第二款：自收到申请之日起30个工作日内办理完毕",
        "channels": PERSON_CHANNELS,
        "conditions": "因特殊情况未能直接结算的医疗费用、生育医疗费用。",
        "conditions_en": "Medical or maternity medical costs that could not be settled "
        "directly, for special reasons.",
        "materials": _reimbursement("第二十条第二款"),
        "ordering": 50,
    },
    {
        "code": "work_injury_reimbursement",
        "name": "工伤医疗（康复、辅助器具）费用手工报销",
        "name_en": "Manual reimbursement of work-injury medical, rehabilitation and device costs",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第二十二条第二款",
        "time_limit_working_days": 20,
        "time_limit_source": f"{REG} 第二十二条第二款：自收到申请之日起20个工作日内办理完毕",
        "channels": ALL_CHANNELS,
        "conditions": "因特殊情况未能直接结算的工伤医疗、"
        "康复、辅助器具配置费用，由用人单位或个人申请。",
        "conditions_en": "Work-injury treatment, rehabilitation or assistive-device costs "
        "not settled directly; the employer or the person applies.",
        "materials": _reimbursement("第二十二条第二款"),
        "ordering": 60,
    },
    {
        "code": "maternity_allowance",
        "name": "生育津贴申领",
        "name_en": "Maternity allowance claim",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第二十条第三款",
        "time_limit_working_days": 10,
        "time_limit_source": f"{REG} 第二十条第三款：自收到申请之日起10个工作日内办理完毕",
        "channels": ALL_CHANNELS,
        "conditions": "参加生育保险的个人。",
        "conditions_en": "A person insured under maternity insurance.",
        "materials": [
            ID_CARD,
            _m(
                "medical_records",
                "病历资料",
                "Medical records",
                f"{REG} 第二十条第三款",
            ),
        ],
        "ordering": 70,
    },
    {
        "code": "unemployment_benefit",
        "name": "失业保险金申领",
        "name_en": "Unemployment benefit claim",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第二十四条第一款",
        "time_limit_working_days": 10,
        "time_limit_source": f"{REG} 第二十四条第一款：自收到申请之日起10个工作日内办理完毕",
        "channels": PERSON_CHANNELS,
        "conditions": "非因本人意愿中断就业、"
        "已办理失业登记并有求职要求，且失业前缴费满一年的失业人员。",
        "conditions_en": "An unemployed person who lost work involuntarily, registered as "
        "unemployed, is seeking work and contributed for at least one year.",
        "materials": [
            ID_CARD,
            _m(
                "termination_certificate",
                "终止或者解除劳动关系的证明",
                "Certificate of termination of the employment relationship",
                "中华人民共和国社会保险法 第五十条第一款",
            ),
            _fetched(
                "unemployment_registration",
                "失业登记信息",
                "Unemployment registration",
                "中华人民共和国社会保险法 第五十条第一款",
                "公共就业服务机构失业登记信息",
            ),
        ],
        "ordering": 80,
    },
    {
        "code": "training_subsidy",
        "name": "职业培训等补贴申领",
        "name_en": "Vocational training (and similar) subsidy claim",
        "owner_app": "benefits",
        "legal_basis": f"{REG} 第二十四条第三款",
        "time_limit_working_days": 10,
        "time_limit_source": f"{REG} 第二十四条第三款：10个工作日内办理完毕",
        "channels": ALL_CHANNELS,
        "conditions": "取得职业资格证书或者职业技能等级证书的参保职工。",
        "conditions_en": "An insured worker who obtained a vocational qualification or "
        "skill-level certificate.",
        "materials": [
            ID_CARD,
            _m(
                "skill_certificate",
                "职业资格证书或者职业技能等级证书",
                "Vocational qualification or skill-level certificate",
                f"{REG} 第二十四条第三款",
            ),
        ],
        "ordering": 90,
    },
    # Art. 16: transfers within the prescribed limits, per step. Pension: 国办发〔2009〕66号,
    # three steps of 15 WD (benefit-rules.md §f). Medical: 医保办发〔2021〕43号, out 10 WD and in
    # 5 WD (§g). The documents move between agencies; the person brings only an ID.
    {
        "code": "pension_transfer_accept",
        "name": "养老保险关系转移：转入地受理并发出联系函",
        "name_en": "Pension transfer, step 1: the new "
        "agency accepts and sends the acceptance letter",
        "owner_app": "transfers",
        "legal_basis": f"{REG} 第十二条、第十六条；"
        "城镇企业职工基本养老保险关系转移接续暂行办法（国办发〔2009〕66号）",
        "time_limit_working_days": 15,
        "time_limit_source": "国办发〔2009〕66号："
        "转入地自受理之日起15个工作日内审核并发出同意接收函",
        "channels": ALL_CHANNELS,
        "procedure": "pension_transfer",
        "step": 1,
        "conditions": "跨统筹区就业并在新就业地参保缴费、尚未领取养老金的参保人员。",
        "conditions_en": "An insured person who moved to work in another pooling region, "
        "contributes there and does not yet receive a pension.",
        "materials": [
            ID_CARD,
            _fetched(
                "contribution_certificate",
                "基本养老保险参保缴费凭证",
                "Pension contribution certificate",
                "国办发〔2009〕66号",
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 100,
    },
    {
        "code": "pension_transfer_out",
        "name": "养老保险关系转移：转出地转出关系和资金",
        "name_en": "Pension transfer, step 2: the old agency transfers the record and funds",
        "owner_app": "transfers",
        "legal_basis": f"{REG} 第十二条、第十六条；国办发〔2009〕66号",
        "time_limit_working_days": 15,
        "time_limit_source": "国办发〔2009〕66号："
        "转出地自收到同意接收函之日起15个工作日内办理转移手续",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "pension_transfer",
        "step": 2,
        "conditions": "转入地已发出同意接收函。",
        "conditions_en": "The new agency has sent its acceptance letter.",
        "materials": [
            _fetched(
                "acceptance_letter",
                "同意接收函",
                "Acceptance letter",
                "国办发〔2009〕66号",
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 110,
    },
    {
        "code": "pension_transfer_intake",
        "name": "养老保险关系转移：转入地接续并告知",
        "name_en": "Pension transfer, step 3: the new agency takes the record in and informs",
        "owner_app": "transfers",
        "legal_basis": f"{REG} 第十二条、第十六条；国办发〔2009〕66号",
        "time_limit_working_days": 15,
        "time_limit_source": "国办发〔2009〕66号："
        "转入地自收到关系和资金之日起15个工作日内办结并告知",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "pension_transfer",
        "step": 3,
        "conditions": "转出地已转出参保信息和资金。",
        "conditions_en": "The old agency has sent the record and the funds.",
        "materials": [
            _fetched(
                "transfer_information",
                "参保缴费信息表及转移资金",
                "Contribution information sheet and transferred funds",
                "国办发〔2009〕66号",
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 120,
    },
    {
        "code": "medical_transfer_out",
        "name": "基本医疗保险关系转出",
        "name_en": "Medical insurance transfer out",
        "owner_app": "transfers",
        "legal_basis": f"{REG} 第十三条、第十六条；"
        "基本医疗保险关系转移接续暂行办法（医保办发〔2021〕43号）",
        "time_limit_working_days": 10,
        "time_limit_source": "医保办发〔2021〕43号：转出地自受理之日起10个工作日内办结转出",
        "channels": ALL_CHANNELS,
        "procedure": "medical_transfer",
        "step": 1,
        "conditions": "跨统筹区流动就业或者变更户籍、常住地的参保人员（不含退休人员）。",
        "conditions_en": "An insured person (not retired) who moves for work, or changes "
        "household registration or habitual residence, across pooling regions.",
        "materials": [
            ID_CARD,
            _fetched(
                "medical_record_sheet",
                "参保人员基本医疗保险信息",
                "Medical insurance participation record",
                "医保办发〔2021〕43号",
                SHARED_MED_PLATFORM,
            ),
        ],
        "ordering": 130,
    },
    {
        "code": "medical_transfer_in",
        "name": "基本医疗保险关系转入",
        "name_en": "Medical insurance transfer in",
        "owner_app": "transfers",
        "legal_basis": f"{REG} 第十三条、第十六条；医保办发〔2021〕43号",
        "time_limit_working_days": 5,
        "time_limit_source": "医保办发〔2021〕43号：转入地自收到信息表之日起5个工作日内办结转入",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "medical_transfer",
        "step": 2,
        "conditions": "转出地已出具参保人员基本医疗保险信息表。",
        "conditions_en": "The old agency has issued the medical insurance information sheet.",
        "materials": [
            _fetched(
                "medical_information_sheet",
                "参保人员基本医疗保险信息表",
                "Medical insurance information sheet",
                "医保办发〔2021〕43号",
                SHARED_MED_PLATFORM,
            ),
        ],
        "ordering": 140,
    },
    # Art. 12 ¶2: public institution <-> enterprise. The same three steps as 66号 (the notice
    # applies its procedure); the regulation's Art. 16 sets no number of days itself, and the
    # notice's own limits are not in our sources, so each step is an internal target, marked so.
    {
        "code": "public_pension_transfer_accept",
        "name": "机关事业单位与企业间养老保险关系转移：转入地受理并发出联系函",
        "name_en": "Pension transfer between public institutions and enterprises, step 1: the "
        "new agency accepts and sends the acceptance letter",
        "owner_app": "transfers",
        "legal_basis": PUBLIC_PENSION_BASIS,
        "time_limit_working_days": 15,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限，参照国办发〔2009〕66号每步15个工作日）",
        "channels": ALL_CHANNELS,
        "procedure": "public_pension_transfer",
        "step": 1,
        "conditions": "在机关事业单位与企业等不同性质用人单位之间流动就业、"
        "尚未领取养老金的参保人员。",
        "conditions_en": "An insured person who moved between a public institution and an "
        "enterprise (or the reverse) and does not yet receive a pension.",
        "materials": [
            ID_CARD,
            _fetched(
                "contribution_certificate",
                "基本养老保险参保缴费凭证",
                "Pension contribution certificate",
                PUBLIC_PENSION_BASIS,
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 121,
    },
    {
        "code": "public_pension_transfer_out",
        "name": "机关事业单位与企业间养老保险关系转移：转出地转出关系和资金",
        "name_en": "Pension transfer between public institutions and enterprises, step 2: the "
        "old agency transfers the record and funds",
        "owner_app": "transfers",
        "legal_basis": PUBLIC_PENSION_BASIS,
        "time_limit_working_days": 15,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限：自收到联系函之日起15个工作日）",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "public_pension_transfer",
        "step": 2,
        "conditions": "转入地已发出同意接收函。",
        "conditions_en": "The new agency has sent its acceptance letter.",
        "materials": [
            _fetched(
                "acceptance_letter",
                "同意接收函",
                "Acceptance letter",
                PUBLIC_PENSION_BASIS,
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 122,
    },
    {
        "code": "public_pension_transfer_intake",
        "name": "机关事业单位与企业间养老保险关系转移：转入地接续并告知",
        "name_en": "Pension transfer between public institutions and enterprises, step 3: the "
        "new agency takes the record in and informs",
        "owner_app": "transfers",
        "legal_basis": PUBLIC_PENSION_BASIS,
        "time_limit_working_days": 15,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限：自收到关系和资金之日起15个工作日）",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "public_pension_transfer",
        "step": 3,
        "conditions": "转出地已转出参保信息和资金。",
        "conditions_en": "The old agency has sent the record and the funds.",
        "materials": [
            _fetched(
                "transfer_information",
                "参保缴费信息表及转移资金",
                "Contribution information sheet and transferred funds",
                PUBLIC_PENSION_BASIS,
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 123,
    },
    # Art. 12 ¶3: a resident who moves their household registration before drawing the resident
    # pension may take it along (the personal account moves). No number of days in our sources:
    # internal targets, marked so.
    {
        "code": "resident_pension_transfer_accept",
        "name": "城乡居民基本养老保险关系转移：转入地受理并发出联系函",
        "name_en": "Resident pension transfer, step 1: the new agency accepts and sends the "
        "acceptance letter",
        "owner_app": "transfers",
        "legal_basis": RESIDENT_PENSION_BASIS,
        "time_limit_working_days": 15,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限，参照国办发〔2009〕66号每步15个工作日）",
        "channels": ALL_CHANNELS,
        "procedure": "resident_pension_transfer",
        "step": 1,
        "conditions": "参加城乡居民基本养老保险、尚未享受待遇，跨统筹地区迁移户籍的个人。",
        "conditions_en": "A person insured under the resident pension who has not started "
        "drawing it and moved their household registration to another pooling region.",
        "materials": [
            ID_CARD,
            _fetched(
                "hukou_record",
                "户籍迁移信息",
                "Household registration transfer record",
                f"{REG} 第八条、第十二条第三款",
                SHARED_HUKOU,
            ),
        ],
        "ordering": 124,
    },
    {
        "code": "resident_pension_transfer_out",
        "name": "城乡居民基本养老保险关系转移：转出地转出关系和个人账户",
        "name_en": "Resident pension transfer, step 2: the old agency transfers the record and "
        "the personal account",
        "owner_app": "transfers",
        "legal_basis": RESIDENT_PENSION_BASIS,
        "time_limit_working_days": 15,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限：自收到联系函之日起15个工作日）",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "resident_pension_transfer",
        "step": 2,
        "conditions": "转入地已发出联系函，且参保人员未领取城乡居民养老保险待遇。",
        "conditions_en": "The new agency has sent its letter, and the person does not draw the "
        "resident pension.",
        "materials": [
            _fetched(
                "acceptance_letter",
                "同意接收函",
                "Acceptance letter",
                RESIDENT_PENSION_BASIS,
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 125,
    },
    {
        "code": "resident_pension_transfer_intake",
        "name": "城乡居民基本养老保险关系转移：转入地接续并告知",
        "name_en": "Resident pension transfer, step 3: the new agency takes the record in and "
        "informs",
        "owner_app": "transfers",
        "legal_basis": RESIDENT_PENSION_BASIS,
        "time_limit_working_days": 15,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限：自收到关系和个人账户储存额之日起15个工作日）",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "resident_pension_transfer",
        "step": 3,
        "conditions": "转出地已转出参保信息和个人账户储存额。",
        "conditions_en": "The old agency has sent the record and the account balance.",
        "materials": [
            _fetched(
                "transfer_information",
                "参保缴费信息表及个人账户储存额",
                "Contribution information sheet and the personal-account balance",
                RESIDENT_PENSION_BASIS,
                SHARED_PLATFORM,
            ),
        ],
        "ordering": 126,
    },
    # Art. 14: the unemployment-insurance relationship moves with cross-region employment, and
    # the contribution years add up (SIL Art. 52). Neither names a number of days: internal
    # targets, shaped like the medical transfer's two steps (43号: out 10, in 5), marked so.
    {
        "code": "unemployment_transfer_out",
        "name": "失业保险关系转出",
        "name_en": "Unemployment insurance transfer out",
        "owner_app": "transfers",
        "legal_basis": UNEMPLOYMENT_TRANSFER_BASIS,
        "time_limit_working_days": 10,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十四条、第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限：自受理之日起10个工作日内办结转出）",
        "channels": ALL_CHANNELS,
        "procedure": "unemployment_transfer",
        "step": 1,
        "conditions": "参加失业保险、跨统筹地区就业的个人。",
        "conditions_en": "A person insured against unemployment who moved to work in another "
        "pooling region.",
        "materials": [
            ID_CARD,
            _fetched(
                "contribution_history",
                "失业保险参保缴费记录",
                "Unemployment insurance contribution history",
                f"{REG} 第十一条",
                SHARED_CONTRIB,
            ),
        ],
        "ordering": 150,
    },
    {
        "code": "unemployment_transfer_in",
        "name": "失业保险关系转入",
        "name_en": "Unemployment insurance transfer in",
        "owner_app": "transfers",
        "legal_basis": UNEMPLOYMENT_TRANSFER_BASIS,
        "time_limit_working_days": 5,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第十四条、第十六条（规定时限，本条例未定天数；"
        "本机构服务承诺时限：自收到转出信息之日起5个工作日内办结转入）",
        "clock_starts": "previous_step",
        "channels": ["api", "counter"],
        "procedure": "unemployment_transfer",
        "step": 2,
        "conditions": "转出地已转出失业保险参保缴费信息。",
        "conditions_en": "The old agency has sent the unemployment insurance record.",
        "materials": [
            _fetched(
                "transfer_information",
                "失业保险关系转移信息（缴费记录及累计缴费时间）",
                "Unemployment insurance transfer record (contributions and cumulative time)",
                UNEMPLOYMENT_TRANSFER_BASIS,
                "转出地社会保险经办机构（第十四条）",
            ),
        ],
        "ordering": 160,
    },
    {
        "code": "home_visit",
        "name": "上门服务",
        "name_en": "Home visit",
        "owner_app": "cases",
        "legal_basis": f"{REG} 第三十条",
        # Art. 30 sets no number of days: the agency's own service commitment.
        "time_limit_working_days": 5,
        "time_limit_is_statutory": False,
        "time_limit_source": f"{REG} 第三十条（无法定天数；本机构服务承诺时限）",
        "clock_starts": "request",
        "clock_pauses_for_supplement": False,
        "channels": ["online", "counter", "api"],
        "conditions": "行动不便、需要协助的老年人、残疾人等特殊群体。",
        "conditions_en": "Elderly, disabled and other people who cannot easily come to a "
        "counter and need assistance.",
        "materials": [ID_CARD],
        "ordering": 200,
    },
]

ITEM_FIELDS = (
    "name",
    "name_en",
    "owner_app",
    "legal_basis",
    "time_limit_working_days",
    "time_limit_is_statutory",
    "time_limit_source",
    "clock_starts",
    "clock_pauses_for_supplement",
    "channels",
    "is_high_risk",
    "procedure",
    "step",
    "conditions",
    "conditions_en",
    "ordering",
)


def seed_catalogue(
    service_item_model: Any, item_material_model: Any, codes: frozenset[str] | None = None
) -> int:
    """Create the items and materials that are missing (only the items `codes` names, when
    given); returns how many items were created."""
    created = 0
    for spec in SERVICE_ITEMS:
        if codes is not None and spec["code"] not in codes:
            continue
        defaults = {name: spec[name] for name in ITEM_FIELDS if name in spec}
        defaults["valid_from"] = IN_FORCE
        item, was_created = service_item_model.objects.get_or_create(
            code=spec["code"], defaults=defaults
        )
        created += int(was_created)
        for order, material in enumerate(spec["materials"], start=1):
            values = {key: value for key, value in material.items() if key != "code"}
            values["ordering"] = order * 10
            item_material_model.objects.get_or_create(
                item=item, code=material["code"], defaults=values
            )
    return created


# Four-eyes thresholds (Art. 37): national defaults so the control works from day one; each
# pooling region sets its own figure as an effective-dated parameter.
POLICY_DEFAULTS = [
    ("four_eyes_reviewer_threshold", "5000.00"),
    ("four_eyes_supervisor_threshold", "50000.00"),
]
POLICY_SOURCE = "系统默认值，各统筹区应按本地内控制度设置 / system default; set the local figure"


def seed_policy_defaults(policy_parameter_model: Any) -> int:
    created = 0
    for key, value in POLICY_DEFAULTS:
        _row, was_created = policy_parameter_model.objects.get_or_create(
            key=key,
            region=None,
            valid_from=IN_FORCE,
            defaults={"value": value, "source": POLICY_SOURCE},
        )
        created += int(was_created)
    return created

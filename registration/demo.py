"""Demo employers (registration issue adds people, employments and contributions)."""

from core.demo import DemoContext, credit_code
from registration.models import Employer, EmployerType

DEMO_EMPLOYERS = [
    (
        "91110105MA01DEMX1",
        "北京示范科技有限公司",
        EmployerType.ENTERPRISE,
        "李明",
        "110105",
        "北京市朝阳区建国路88号",
    ),
    (
        "12110108MB0123456",
        "北京市海淀示范医院",
        EmployerType.PUBLIC_INSTITUTION,
        "王芳",
        "110108",
        "北京市海淀区中关村大街1号",
    ),
    (
        "91440106MA5CXY123",
        "广州示范制造有限公司",
        EmployerType.ENTERPRISE,
        "陈伟",
        "440106",
        "广州市天河区天河路385号",
    ),
]


def seed_employers(ctx: DemoContext) -> None:
    for base, name, kind, representative, region_code, address in DEMO_EMPLOYERS:
        employer, _created = Employer.objects.get_or_create(
            credit_code=credit_code(base),
            defaults={
                "name": name,
                "type": kind,
                "legal_representative": representative,
                "address": address,
                "region": ctx.regions[region_code],
                "bank_name": "中国工商银行",
                "bank_account": "6222020200112233"
                + base[-3:].replace("X", "0").replace("M", "1")[:3],
            },
        )
        ctx.extra.setdefault("employers", []).append(employer)


def seed_people(ctx: DemoContext) -> None:
    """Demo people employed by the demo employers (filled in below)."""

"""Identity numbers: the citizen ID number (GB 11643-1999), which is also the social security
number (Art. 6), and the unified social credit code (GB 32100-2015).

Messages name what is wrong in Chinese and English, because clerks, employers and integrators
all read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

# The province-level prefixes of GB/T 2260 (11 Beijing … 65 Xinjiang; 71 Taiwan, 81/82 HK/Macau).
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
EARLIEST_BIRTH = date(1900, 1, 1)


class Sex:
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: date
    sex: str  # Sex.MALE or Sex.FEMALE
    region_code: str


def _invalid(zh: str, en: str, code: str) -> ValidationError:
    return ValidationError(f"{zh} / {en}", code=code)


def parse_citizen_id(value: str) -> CitizenId:
    """Validate an 18-character citizen ID number and derive birth date, sex and region code."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise _invalid(
            f"身份证号码应为18位，实际为{len(number)}位",
            f"the ID number must have 18 characters, not {len(number)}",
            "id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise _invalid(
            "身份证号码前17位须为数字，最后一位为数字或X",
            "the first 17 characters must be digits and the last a digit or X",
            "id_format",
        )
    region = number[:6]
    if region[:2] not in PROVINCE_PREFIXES or region[2:] == "0000":
        raise _invalid(
            f"地址码{region}不是有效的县级行政区划代码",
            f"the region code {region} is not a county-level division code",
            "id_region",
        )
    birth = _birth_date(number)
    if number[17] != ric.calc_check_digit(number):
        raise _invalid(
            "身份证号码校验码错误",
            "the check character is wrong (GB 11643)",
            "id_checksum",
        )
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return CitizenId(number=number, birth_date=birth, sex=sex, region_code=region)


def _birth_date(number: str) -> date:
    text = number[6:14]
    try:
        birth = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _invalid(
            f"出生日期{text}不是真实的日期",
            f"the birth date {text} is not a real date",
            "id_birth_date",
        ) from None
    if birth > timezone.localdate():
        raise _invalid(
            f"出生日期{birth.isoformat()}晚于今天",
            f"the birth date {birth.isoformat()} is in the future",
            "id_birth_future",
        )
    if birth < EARLIEST_BIRTH:
        raise _invalid(
            f"出生日期{birth.isoformat()}早于1900年",
            f"the birth date {birth.isoformat()} is before 1900",
            "id_birth_date",
        )
    return birth


def validate_citizen_id(value: str) -> None:
    """Django validator form of parse_citizen_id."""
    parse_citizen_id(value)


def check_declared_identity(
    citizen_id: CitizenId, birth_date: date | None, sex: str | None
) -> None:
    """A birth date or sex given beside the ID number must agree with it (DESIGN.md)."""
    errors: dict[str, ValidationError] = {}
    if birth_date is not None and birth_date != citizen_id.birth_date:
        errors["birth_date"] = _invalid(
            f"出生日期与身份证号码不符（号码中为{citizen_id.birth_date.isoformat()}）",
            f"the birth date does not match the ID number ({citizen_id.birth_date.isoformat()})",
            "birth_date_mismatch",
        )
    if sex is not None and sex != citizen_id.sex:
        errors["sex"] = _invalid(
            "性别与身份证号码不符", "the sex does not match the ID number", "sex_mismatch"
        )
    if errors:
        raise ValidationError(errors)


def normalize_credit_code(value: str) -> str:
    """Validate a unified social credit code (GB 32100) and return it in canonical form."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise _invalid(
            f"统一社会信用代码应为18位，实际为{len(code)}位",
            f"the unified social credit code must have 18 characters, not {len(code)}",
            "uscc_length",
        )
    try:
        return str(uscc.validate(code))
    except StdnumError as exc:
        if "checksum" in type(exc).__name__.lower():
            raise _invalid(
                "统一社会信用代码校验码错误",
                "the check character of the unified social credit code is wrong (GB 32100)",
                "uscc_checksum",
            ) from None
        raise _invalid(
            "统一社会信用代码格式错误",
            "the unified social credit code has characters not allowed by GB 32100",
            "uscc_format",
        ) from None


def validate_credit_code(value: str) -> None:
    normalize_credit_code(value)

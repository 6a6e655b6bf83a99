"""Citizen ID numbers (GB 11643) and unified social credit codes (GB 32100)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.identity import (
    Sex,
    check_declared_identity,
    normalize_credit_code,
    parse_citizen_id,
)


def test_gb11643_example_number():
    citizen = parse_citizen_id("11010519491231002x")  # lower-case x is accepted and upper-cased
    assert citizen.number == "11010519491231002X"
    assert citizen.birth_date == date(1949, 12, 31)
    assert citizen.sex == Sex.FEMALE  # 17th digit 2 is even
    assert citizen.region_code == "110105"


def test_male_number():
    citizen = parse_citizen_id("110101199003074514")
    assert (citizen.birth_date, citizen.sex) == (date(1990, 3, 7), Sex.MALE)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "id_checksum"),  # wrong check character
        ("11010519490231002X", "id_birth_date"),  # 31 February... (check char aside)
        ("1101051949123100", "id_length"),  # 16 characters
        ("1101051949123100211", "id_length"),  # 19 characters
        ("11010519491231A02X", "id_format"),
        ("990105194912310021", "id_region"),  # no province 99
    ],
)
def test_invalid_numbers_name_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id(number)
    assert caught.value.code == code
    assert " / " in caught.value.message  # Chinese / English


def test_impossible_date_is_reported_before_the_check_character():
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id("110105199002300017")  # 30 February 1990
    assert caught.value.code == "id_birth_date"


def test_future_birth_date_is_refused():
    from stdnum.cn import ric

    base = "11010520991231001"
    number = base + ric.calc_check_digit(base)
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id(number)
    assert caught.value.code == "id_birth_future"


def test_declared_birth_date_and_sex_must_agree():
    citizen = parse_citizen_id("110101199003074514")
    check_declared_identity(citizen, date(1990, 3, 7), Sex.MALE)
    with pytest.raises(ValidationError) as caught:
        check_declared_identity(citizen, date(1990, 3, 8), Sex.FEMALE)
    assert set(caught.value.message_dict) == {"birth_date", "sex"}


def test_valid_credit_code():
    # A published code (GB 32100 check character L).
    assert normalize_credit_code(" 91110000600037341l ") == "91110000600037341L"


def test_invalid_credit_code():
    with pytest.raises(ValidationError) as caught:
        normalize_credit_code("91110000600037341M")
    assert caught.value.code == "uscc_checksum"
    with pytest.raises(ValidationError) as caught:
        normalize_credit_code("9111000060003734")
    assert caught.value.code == "uscc_length"

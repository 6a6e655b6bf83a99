"""The public estimators through their URLs: no login, worked examples, 400 naming the field."""

import pytest

pytestmark = pytest.mark.django_db

PENSION_EXAMPLE_1 = {
    "birth_date": "1964-12-01",  # a man born 1964-12 retires at 60y0m in 2024-12
    "category": "male",
    "contribution_months": 360,
    "average_contribution_index": "1.2",
    "local_average_monthly_wage": "8000.00",
    "personal_account_balance": "150000.00",
}


def _fields(response):
    body = response.json()
    assert response.status_code == 400, body
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid"
    return body["fields"]


# --- retirement ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "category", "age", "month", "minimum", "earliest", "latest"),
    [
        ("1970-05-20", "male", (61, 5), "2031-10", 192, "2030-05", "2034-10"),
        ("1978-03-10", "female_50", (51, 8), "2029-11", 180, "2028-03", "2032-11"),
        ("1972-12-01", "female_55", (55, 9), "2028-09", 180, "2027-12", "2031-09"),
        ("1964-12-31", "male", (60, 0), "2024-12", 180, "2024-12", "2024-12"),
        ("1976-09-01", "male", (63, 0), "2039-09", 240, "2036-09", "2042-09"),
    ],
)
def test_retirement(api_client, birth, category, age, month, minimum, earliest, latest):
    response = api_client.get("/api/v1/retirement", {"birth_date": birth, "category": category})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "statutory_age": {"years": age[0], "months": age[1]},
        "retirement_month": month,
        "min_contribution_months": minimum,
        "earliest_month": earliest,
        "latest_month": latest,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "male"}, "birth_date"),
        ({"birth_date": "20-05-1970", "category": "male"}, "birth_date"),
        ({"birth_date": "1970-02-30", "category": "male"}, "birth_date"),
        ({"birth_date": "2999-01-01", "category": "male"}, "birth_date"),
        ({"birth_date": "1970-05-20", "category": "female"}, "category"),
        ({"birth_date": "1970-05-20"}, "category"),
    ],
)
def test_retirement_bad_input_names_the_field(api_client, params, field):
    assert field in _fields(api_client.get("/api/v1/retirement", params))


# --- pension ------------------------------------------------------------------------------------


def test_pension_worked_example_1(api_client):
    response = api_client.post("/api/v1/estimates/pension", PENSION_EXAMPLE_1, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "eligible": True,
        "shortfall_months": 0,
        "retirement_month": "2024-12",
        "months_divisor": "139.0",
        "base_pension": "2640.00",
        "account_pension": "1079.14",
        "total": "3719.14",
    }


def test_pension_worked_example_1_with_30_years_5_months(api_client):
    body = {**PENSION_EXAMPLE_1, "contribution_months": 365}
    response = api_client.post("/api/v1/estimates/pension", body, format="json")
    assert response.json()["base_pension"] == "2676.67"


@pytest.mark.parametrize(
    ("birth", "category", "strategy", "divisor", "account"),
    [
        ("1969-06-01", "female_55", None, "170.0", "882.35"),
        ("1974-06-01", "female_50", None, "195.0", "769.23"),
        # Man born 1965-09 retires at 60y3m: the default reads the table by month.
        ("1965-09-15", "male", None, "137.3", "1092.50"),
        ("1965-09-15", "male", "INTERPOLATE_MONTHLY_1DP", "137.3", "1092.50"),
        ("1965-09-15", "male", "FLOOR_WHOLE_YEAR", "139.0", "1079.14"),
    ],
)
def test_pension_worked_example_2_divisors(api_client, birth, category, strategy, divisor, account):
    body = {**PENSION_EXAMPLE_1, "birth_date": birth, "category": category}
    if strategy:
        body["divisor_strategy"] = strategy
    response = api_client.post("/api/v1/estimates/pension", body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["months_divisor"], response.json()["account_pension"]) == (
        divisor,
        account,
    )


def test_pension_below_the_minimum_is_refused_with_the_shortfall(api_client):
    # Man born 1970-05 reaches statutory age in 2031: the minimum is 16 years (192 months).
    body = {**PENSION_EXAMPLE_1, "birth_date": "1970-05-20", "contribution_months": 180}
    response = api_client.post("/api/v1/estimates/pension", body, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "eligible": False,
        "shortfall_months": 12,
        "retirement_month": "2031-10",
        "months_divisor": "129.1",  # 61y5m: 132 − (132 − 125) × 5/12 = 129.08 -> 129.1
        "base_pension": None,
        "account_pension": None,
        "total": None,
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contribution_months": -1}, "contribution_months"),
        ({"contribution_months": "thirty"}, "contribution_months"),
        ({"contribution_months": 601}, "contribution_months"),
        ({"contribution_months": 600}, "contribution_months"),  # more than 16 to 60
        ({"average_contribution_index": "0"}, "average_contribution_index"),
        ({"average_contribution_index": "3.5"}, "average_contribution_index"),
        ({"local_average_monthly_wage": "0"}, "local_average_monthly_wage"),
        ({"local_average_monthly_wage": "8000.123"}, "local_average_monthly_wage"),
        ({"personal_account_balance": "-1"}, "personal_account_balance"),
        ({"category": "robot"}, "category"),
        ({"birth_date": "yesterday"}, "birth_date"),
        ({"divisor_strategy": "ROUND"}, "divisor_strategy"),
    ],
)
def test_pension_bad_input_names_the_field(api_client, change, field):
    body = {**PENSION_EXAMPLE_1, **change}
    assert field in _fields(api_client.post("/api/v1/estimates/pension", body, format="json"))


def test_pension_missing_fields_are_all_named(api_client):
    fields = _fields(api_client.post("/api/v1/estimates/pension", {}, format="json"))
    assert set(fields) == {
        "birth_date",
        "category",
        "contribution_months",
        "average_contribution_index",
        "local_average_monthly_wage",
        "personal_account_balance",
    }


# --- unemployment -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "eligible", "max_months"),
    [
        (11, False, 0),
        (12, True, 12),
        (59, True, 12),
        (60, True, 18),
        (119, True, 18),
        (120, True, 24),
    ],
)
def test_unemployment_boundaries(api_client, months, eligible, max_months):
    response = api_client.get("/api/v1/estimates/unemployment", {"contribution_months": months})
    assert response.status_code == 200
    assert response.json() == {"eligible": eligible, "max_months": max_months}


def test_unemployment_carry_over_is_capped(api_client):
    response = api_client.get(
        "/api/v1/estimates/unemployment", {"contribution_months": 60, "carried_over_months": 12}
    )
    assert response.json() == {"eligible": True, "max_months": 24}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "contribution_months"),
        ({"contribution_months": "-3"}, "contribution_months"),
        ({"contribution_months": "1.5"}, "contribution_months"),
        ({"contribution_months": 12, "carried_over_months": 25}, "carried_over_months"),
    ],
)
def test_unemployment_bad_input_names_the_field(api_client, params, field):
    assert field in _fields(api_client.get("/api/v1/estimates/unemployment", params))


# --- work injury --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "grant", "allowance", "payer"),
    [
        (1, "216000.00", "7200.00", "fund"),
        (3, "184000.00", "6400.00", "fund"),
        (5, "144000.00", "5600.00", "employer"),
        (6, "128000.00", "4800.00", "employer"),
        (7, "104000.00", None, None),
        (10, "56000.00", None, None),
    ],
)
def test_work_injury(api_client, level, grant, allowance, payer):
    body = {"level": level, "own_monthly_wage": "8000", "local_average_monthly_wage": "7000"}
    response = api_client.post("/api/v1/estimates/work-injury", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "wage_used": "8000.00",
        "one_off_grant": grant,
        "monthly_allowance": allowance,
        "allowance_payer": payer,
    }


def test_work_injury_floor_and_cap(api_client):
    low = {"level": 10, "own_monthly_wage": "1000", "local_average_monthly_wage": "7000"}
    high = {**low, "own_monthly_wage": "90000"}
    assert (
        api_client.post("/api/v1/estimates/work-injury", low, format="json").json()["wage_used"]
        == "4200.00"
    )
    assert (
        api_client.post("/api/v1/estimates/work-injury", high, format="json").json()["wage_used"]
        == "21000.00"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 11}, "level"),
        ({"level": "III"}, "level"),
        ({"own_monthly_wage": "-1"}, "own_monthly_wage"),
        ({"local_average_monthly_wage": "0"}, "local_average_monthly_wage"),
    ],
)
def test_work_injury_bad_input_names_the_field(api_client, change, field):
    body = {"level": 3, "own_monthly_wage": "8000", "local_average_monthly_wage": "7000", **change}
    assert field in _fields(api_client.post("/api/v1/estimates/work-injury", body, format="json"))


# --- maternity ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "extra", "days", "amount"),
    [
        ("normal", 0, 98, "29400.00"),
        ("difficult", 0, 113, "33900.00"),
        ("difficult", 1, 128, "38400.00"),
        ("miscarriage_early", 0, 15, "4500.00"),
        ("miscarriage_late", 0, 42, "12600.00"),
    ],
)
def test_maternity_table(api_client, case, extra, days, amount):
    body = {"employer_average_monthly_wage": "9000", "case": case, "extra_infants": extra}
    response = api_client.post("/api/v1/estimates/maternity", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"days": days, "amount": amount}


def test_maternity_extra_infants_defaults_to_none(api_client):
    body = {"employer_average_monthly_wage": "9000", "case": "normal"}
    response = api_client.post("/api/v1/estimates/maternity", body, format="json")
    assert response.json() == {"days": 98, "amount": "29400.00"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"case": "caesarean"}, "case"),
        ({"case": "miscarriage_late", "extra_infants": 1}, "extra_infants"),
        ({"extra_infants": -1}, "extra_infants"),
        ({"employer_average_monthly_wage": "abc"}, "employer_average_monthly_wage"),
    ],
)
def test_maternity_bad_input_names_the_field(api_client, change, field):
    body = {"employer_average_monthly_wage": "9000", "case": "normal", **change}
    assert field in _fields(api_client.post("/api/v1/estimates/maternity", body, format="json"))


# --- shared -------------------------------------------------------------------------------------


def test_estimators_need_no_login_even_with_a_bad_token(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api_client.get("/api/v1/estimates/unemployment", {"contribution_months": 12})
    assert response.status_code == 200


def test_estimators_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/retirement",
        "/api/v1/estimates/pension",
        "/api/v1/estimates/unemployment",
        "/api/v1/estimates/work-injury",
        "/api/v1/estimates/maternity",
    ):
        assert path in schema
    assert "INTERPOLATE_MONTHLY_1DP" in schema
    # Each view's nested serializers are their own components, not one merged "Output".
    for component in ("RetirementOutput", "PensionEstimateInputRequest", "PensionEstimateOutput"):
        assert f"{component}:" in schema or f'"{component}"' in schema


def test_refusals_speak_the_language_asked_for(api_client):
    body = {"employer_average_monthly_wage": "9000", "case": "miscarriage_late", "extra_infants": 1}
    english = api_client.post(
        "/api/v1/estimates/maternity", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    chinese = api_client.post(
        "/api/v1/estimates/maternity", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert english.json()["fields"]["extra_infants"] == ["must be 0 for a miscarriage"]
    assert chinese.json()["fields"]["extra_infants"] == ["流产时多胞胎增加的婴儿数必须为0"]

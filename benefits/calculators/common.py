"""Building blocks every calculator shares: months, ages, money, steps and input errors.

Calculators are pure: they read no database and no clock. Statutory tables live beside the rule
that makes them; regional figures come in as arguments (benefits.selectors reads them).
"""

from __future__ import annotations

import dataclasses
import enum
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from core.money import CENT as CENT  # re-exported: the calculators round with core's helper
from core.money import money as money

ZERO = Decimal("0.00")


def fmt_money(value: Decimal) -> str:
    """1036420 -> '1,036,420.00' for the calculation steps."""
    return f"{money(value):,.2f}"


def fmt_percent(rate: Decimal) -> str:
    """Decimal('0.8') -> '80%'."""
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True, order=True)
class YearMonth:
    """A calendar month: the law counts retirement ages and dates in months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")

    @classmethod
    def of(cls, day: date) -> YearMonth:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        year, month = text.split("-")
        return cls(int(year), int(month))

    @property
    def index(self) -> int:
        """Months since year 0, so two months can be subtracted."""
        return self.year * 12 + self.month - 1

    def plus(self, months: int) -> YearMonth:
        year, month0 = divmod(self.index + months, 12)
        return YearMonth(year, month0 + 1)

    def months_since(self, other: YearMonth) -> int:
        return self.index - other.index

    def on_day(self, day_of_month: int) -> date:
        """The given day in this month, clamped to the month's end (benefit-rules.md (b))."""
        last = monthrange(self.year, self.month)[1]
        return date(self.year, self.month, min(day_of_month, last))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Age:
    """An age in whole years and months, as the retirement reform states it (60岁3个月)."""

    years: int
    months: int = 0

    def __post_init__(self) -> None:
        if self.years < 0 or not 0 <= self.months <= 11:
            raise ValueError(f"not an age: {self.years}y{self.months}m")

    @classmethod
    def from_months(cls, total: int) -> Age:
        return cls(*divmod(total, 12))

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def zh(self) -> str:
        return f"{self.years}岁{self.months}个月" if self.months else f"{self.years}岁"

    def __str__(self) -> str:
        return f"{self.years}y{self.months}m" if self.months else f"{self.years}y"


def years_months_zh(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years}年{rest}个月" if rest else f"{years}年"


def years_months_en(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years}y{rest}m" if rest else f"{years}y"


@dataclass(frozen=True)
class Step:
    """One line of "the whole calculation, each step with its rule" on a decision page."""

    label_zh: str
    label_en: str
    value: str
    rule: str  # the legal basis, e.g. "国发〔2005〕38号 §6"
    formula: str = ""  # language-neutral arithmetic, e.g. "(8,000.00 + 9,600.00) / 2 × 30 × 1%"
    value_zh: str = ""  # when the value reads differently in Chinese (60岁3个月 for 60y3m)

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en

    def display_value(self, language: str) -> str:
        return self.value_zh if self.value_zh and language.startswith("zh") else self.value


class CalculationInputError(ValueError):
    """An input outside what the rule covers; `field` names it for a 400 or a form error."""

    def __init__(self, field: str, message_en: str, message_zh: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_en = message_en
        self.message_zh = message_zh

    def message(self, language: str) -> str:
        return self.message_zh if language.startswith("zh") else self.message_en


def snapshot(value: Any) -> Any:
    """JSON-ready copy of a calculator's input or result, for a decision to store with its amounts.

    Decimals become strings (exact), months and ages their text, enums their value.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, YearMonth | Age):
            return str(value)
        return {f.name: snapshot(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [snapshot(item) for item in value]
    if isinstance(value, dict):
        return {str(key): snapshot(item) for key, item in value.items()}
    return value

"""Labels the case templates need: SLA status in words (never colour alone), channels."""

from typing import Any

from django import template

from cases.models import Channel, SlaStatus

register = template.Library()


@register.filter
def sla_label(value: str) -> str:
    try:
        return str(SlaStatus(value).label)
    except ValueError:
        return ""


@register.filter
def channel_label(value: str) -> str:
    try:
        return str(Channel(value).label)
    except ValueError:
        return value


@register.filter
def count_of(counts: dict[str, int], key: str) -> Any:
    return counts.get(key, 0)

"""Show a calculation step in the language of the page."""

from django import template
from django.utils import translation

from benefits.calculators.common import Step

register = template.Library()


def _language() -> str:
    return translation.get_language() or "zh-hans"


@register.filter
def step_label(step: Step) -> str:
    return step.label(_language())


@register.filter
def step_value(step: Step) -> str:
    return step.display_value(_language())

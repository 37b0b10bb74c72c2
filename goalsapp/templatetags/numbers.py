"""Numbers as people read them: 60, not 60.00; 1,500.5, not 1.5E+3."""

from decimal import Decimal

from django import template

register = template.Library()


def plain_number(value, *, grouped: bool = True) -> str:
    """A decimal without trailing zeros or an exponent; other values unchanged."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    shown = f"{value.normalize():,f}" if grouped else f"{value.normalize():f}"
    return "0" if shown in ("-0", "0") else shown


@register.filter
def number(value) -> str:
    return plain_number(value)

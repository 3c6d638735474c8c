"""Free text on a page never shows a full ID number (IN2, DT4): every way in refuses one, and
records kept from before those checks show it masked."""

from __future__ import annotations

from django import template

from laborcredit.lib.masking import find_id_numbers, mask_id_number

register = template.Library()


@register.filter
def ids_masked(text: object) -> object:
    """`text` with each full ID number in it masked (410481********1236); anything else as given."""
    if not isinstance(text, str) or not text:
        return text
    for number in find_id_numbers(text):
        text = text.replace(number, mask_id_number(number))
    return text

"""Free text on a page never shows a full ID number (IN2, DT4): every way in refuses one, and
records kept from before those checks show it masked."""

from __future__ import annotations

from django import template

from laborcredit.lib.masking import mask_id_numbers_in

register = template.Library()


@register.filter
def ids_masked(text: object) -> object:
    """`text` with each full ID number in it masked (410481********1236); anything else as given."""
    return mask_id_numbers_in(text) if isinstance(text, str) and text else text

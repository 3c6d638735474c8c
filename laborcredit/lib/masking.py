"""Personal information masked for display and for the audit log (AU2, DT4).

Masking keeps the length, so a masked value is recognisably a name, an ID
number or a phone number, and masking a masked value changes nothing.
"""

from __future__ import annotations

import datetime
import re

from stdnum.cn import ric

# Eighteen characters standing alone: not part of a longer run of digits.
_ID_PATTERN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """410481199001011234 → 410481********1234: region kept, birth date and order hidden."""
    number = number.strip()
    if len(number) >= 11:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    if len(number) > 4:
        return "*" * (len(number) - 4) + number[-4:]
    return "*" * len(number)


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678."""
    phone = phone.strip()
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return "*" * (len(phone) - 2) + phone[-2:]
    return "*" * len(phone)


def is_id_number(candidate: str) -> bool:
    """GB 11643-1999: 18 characters, a real birth date and the right check character.

    The region code is only checked for its form: python-stdnum's full
    validation also checks the region against the codes' dates of creation,
    which refuses real residents of 舞钢市 (410481, created 1990) born before
    1990. The check character is stdnum's."""
    if len(candidate) != 18 or not candidate[:17].isascii() or not candidate[:17].isdigit():
        return False
    if candidate[0] not in "12345678":  # region codes begin with 1–8
        return False
    try:
        born = datetime.date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2099:
        return False
    return ric.calc_check_digit(candidate) == candidate[17].upper()


def find_id_numbers(text: str) -> list[str]:
    """The unmasked ID numbers that appear in `text`."""
    return [m.group() for m in _ID_PATTERN.finditer(text) if is_id_number(m.group())]


def mask_id_numbers_in(text: str) -> str:
    """`text` with every full ID number in it masked (410481********1236)."""
    for number in find_id_numbers(text):
        text = text.replace(number, mask_id_number(number))
    return text

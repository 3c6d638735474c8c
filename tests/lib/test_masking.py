"""Masking of personal information (AU2, DT4) and recognising an unmasked ID number."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from laborcredit.lib.masking import (
    find_id_numbers,
    is_id_number,
    mask_id_number,
    mask_name,
    mask_phone,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


id_numbers = st.builds(
    lambda region, born, order: with_check_character(f"{region}{born:%Y%m%d}{order:03d}"),
    st.integers(110000, 829999),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)),
    st.integers(0, 999),
)


def test_a_name_keeps_its_first_and_last_character():
    assert mask_name("张三明") == "张*明"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("张") == "*"
    assert mask_name("") == ""


def test_an_id_number_keeps_its_region_and_last_four():
    assert mask_id_number("410481199001011234") == "410481********1234"


def test_a_phone_number_keeps_its_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0375-2345678") == "037*****5678"


def test_the_check_character_of_gb_11643_is_checked():
    assert is_id_number("11010519491231002X")
    assert is_id_number("11010519491231002x".upper())
    assert not is_id_number("110105194912310021")
    assert not is_id_number("110105194913310028")  # no 13th month


def test_a_credit_code_is_not_taken_for_an_id_number():
    assert find_id_numbers("91410481317495821P 914104813174958210") == []


def test_an_id_number_inside_a_longer_run_of_digits_is_not_one():
    assert find_id_numbers("011010519491231002X") == []
    assert find_id_numbers("证号11010519491231002X。") == ["11010519491231002X"]


@given(id_numbers)
def test_every_valid_id_number_is_found_and_none_survives_masking(number):
    assert is_id_number(number)
    assert find_id_numbers(f"法定代表人身份证{number}") == [number]
    masked = mask_id_number(number)
    assert find_id_numbers(masked) == []
    assert len(masked) == len(number)


@given(st.text(max_size=30))
def test_masking_keeps_the_length_and_is_idempotent(text):
    for mask in (mask_name, mask_id_number, mask_phone):
        once = mask(text)
        assert len(once) == len(text.strip())
        assert mask(once) == once


@given(st.text(min_size=3, max_size=30).map(str.strip).filter(lambda t: len(t) >= 11))
def test_a_masked_id_number_shows_at_most_ten_characters(text):
    assert sum(ch != "*" for ch in mask_id_number(text)) <= 10


def test_every_id_number_in_a_text_is_masked_and_the_rest_kept():
    from laborcredit.lib.masking import mask_id_numbers_in

    text = "经办人 410481199001011236，复核人 410481199001011236；电话 13800000000"
    assert mask_id_numbers_in(text) == (
        "经办人 410481********1236，复核人 410481********1236；电话 13800000000"
    )
    assert mask_id_numbers_in("案号 12345678901234567X") == "案号 12345678901234567X"  # no check

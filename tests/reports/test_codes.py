"""Verification codes: a random serial plus a keyed check; typos and inventions are rejected."""

from __future__ import annotations

import random

from laborcredit.reports.codes import ALPHABET, code_for, new_serial, serial_of


def test_a_code_reads_in_five_groups_of_four_and_gives_back_its_serial():
    serial = new_serial()
    code = code_for(serial)
    assert len(code) == 24 and code.count("-") == 4
    assert serial_of(code) == serial


def test_a_code_typed_in_lower_case_without_hyphens_and_with_o_for_zero_is_accepted():
    serial = "0" * 8 + new_serial()[8:]
    code = code_for(serial)
    assert serial_of(code.lower().replace("-", " ").replace("0", "o")) == serial


def test_every_single_changed_character_is_rejected(settings):
    settings.SECRET_KEY = "fixed-key-so-that-the-outcome-is-the-same-on-every-run"
    code = code_for("7K2M9QXP4RT0VW3H").replace("-", "")
    for position in range(len(code)):
        for other in ALPHABET:
            if other != code[position]:
                changed = code[:position] + other + code[position + 1 :]
                assert serial_of(changed) is None, (position, other)


def test_random_codes_are_rejected(settings):
    settings.SECRET_KEY = "fixed-key-so-that-the-outcome-is-the-same-on-every-run"
    rng = random.Random(20261125)
    for _ in range(2000):
        typed = "".join(rng.choice(ALPHABET) for _ in range(20))
        assert serial_of(typed) is None


def test_a_code_is_bound_to_the_installation_key(settings):
    settings.SECRET_KEY = "fixed-key-so-that-the-outcome-is-the-same-on-every-run"
    code = code_for("7K2M9QXP4RT0VW3H")
    settings.SECRET_KEY = "another-installation"
    assert serial_of(code) is None


def test_malformed_codes_are_rejected():
    for typed in ("", "ABCD", "!" * 20, code_for(new_serial()) + "X", None):
        assert serial_of(typed) is None  # type: ignore[arg-type]


def test_a_code_printed_under_an_earlier_key_verifies_while_that_key_is_a_fallback(settings):
    settings.SECRET_KEY = "the-key-the-report-was-printed-under-0000000000000000"
    settings.SECRET_KEY_FALLBACKS = []
    code = code_for("7K2M9QXP4RT0VW3H")
    settings.SECRET_KEY = "the-new-key-after-rotation-11111111111111111111111111"
    assert serial_of(code) is None  # the key changed and the old one was dropped
    settings.SECRET_KEY_FALLBACKS = ["the-key-the-report-was-printed-under-0000000000000000"]
    assert serial_of(code) == "7K2M9QXP4RT0VW3H"
    assert serial_of(code_for("7K2M9QXP4RT0VW3H")) == "7K2M9QXP4RT0VW3H"  # new codes too

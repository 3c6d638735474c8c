"""GB/T 4754-2017 industry codes: a section, or a division inside its section's range."""

import pytest

from laborcredit.credit.reference import industry_name


@pytest.mark.parametrize(
    ("code", "name"),
    [("C", "制造业"), ("C31", "黑色金属冶炼和压延加工业"), ("c31", "黑色金属冶炼和压延加工业"),
     ("C41", "制造业"), ("E48", "土木工程建筑业"), ("K70", "房地产业")],
)  # fmt: skip
def test_a_known_section_or_division_has_its_chinese_name(code, name):
    assert industry_name(code) == name


@pytest.mark.parametrize("code", ["C99", "C12", "E51", "Z", "C3", "C311", "31", ""])
def test_a_division_outside_its_sections_range_is_unknown(code):
    assert industry_name(code) is None

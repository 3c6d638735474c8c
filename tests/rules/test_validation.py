"""Checks on records as they arrive: each problem names its place (`employers[0].records[1].date`)."""

import datetime

import pytest

from laborcredit.rules import Record, RecordType
from laborcredit.rules.validation import (
    Problem,
    check_record_sequence,
    check_uscc,
    parse_date,
    record_from_mapping,
)
from tests.rules.builders import listed, removed

PLACE = "employers[0].records[1]"
T = RecordType

EXAMPLES = {
    T.HARMONIOUS_CERTIFIED: (
        {"type": "harmonious_certified", "date": "2023-06-30"},
        Record(T.HARMONIOUS_CERTIFIED, datetime.date(2023, 6, 30)),
    ),
    T.HARMONIOUS_REVOKED: (
        {"type": "harmonious_revoked", "date": "2024-01-01"},
        Record(T.HARMONIOUS_REVOKED, datetime.date(2024, 1, 1)),
    ),
    T.LABOR_PRACTICE_ASSESSED: (
        {"type": "labor_practice_assessed", "date": "2026-06-18", "passed": False},
        Record(T.LABOR_PRACTICE_ASSESSED, datetime.date(2026, 6, 18), passed=False),
    ),
    T.VIOLATION_FOUND: (
        {
            "type": "violation_found",
            "date": "2026-03-01",
            "case": "舞人社监〔2026〕12号",
            "correction_deadline": "2026-03-31",
        },
        Record(
            T.VIOLATION_FOUND,
            datetime.date(2026, 3, 1),
            case="舞人社监〔2026〕12号",
            correction_deadline=datetime.date(2026, 3, 31),
        ),
    ),
    T.VIOLATION_CORRECTED: (
        {"type": "violation_corrected", "date": "2026-03-20", "case": "舞人社监〔2026〕12号"},
        Record(T.VIOLATION_CORRECTED, datetime.date(2026, 3, 20), case="舞人社监〔2026〕12号"),
    ),
    T.PENALTY_IMPOSED: (
        {
            "type": "penalty_imposed",
            "date": "2026-01-15",
            "case": "舞人社监〔2025〕88号",
            "document": "舞人社罚〔2026〕3号",
        },
        Record(
            T.PENALTY_IMPOSED,
            datetime.date(2026, 1, 15),
            case="舞人社监〔2025〕88号",
            document="舞人社罚〔2026〕3号",
        ),
    ),
    T.PENALTY_FULFILLED: (
        {"type": "penalty_fulfilled", "date": "2026-02-01", "case": "舞人社监〔2025〕88号"},
        Record(T.PENALTY_FULFILLED, datetime.date(2026, 2, 1), case="舞人社监〔2025〕88号"),
    ),
    T.BLACKLIST_LISTED: (
        {"type": "blacklist_listed", "date": "2025-05-01"},
        Record(T.BLACKLIST_LISTED, datetime.date(2025, 5, 1)),
    ),
    T.BLACKLIST_REMOVED: (
        {"type": "blacklist_removed", "date": "2025-09-01"},
        Record(T.BLACKLIST_REMOVED, datetime.date(2025, 9, 1)),
    ),
    T.ARBITRATION_LOST: (
        {"type": "arbitration_lost", "date": "2024-04-04", "case": "舞劳人仲案字〔2024〕5号"},
        Record(T.ARBITRATION_LOST, datetime.date(2024, 4, 4), case="舞劳人仲案字〔2024〕5号"),
    ),
    T.PROVINCIAL_CREDIT: (
        {"type": "provincial_credit", "date": "2026-01-01", "level": "D"},
        Record(T.PROVINCIAL_CREDIT, datetime.date(2026, 1, 1), level="D"),
    ),
    T.INTERVIEW_HELD: (
        {"type": "interview_held", "date": "2026-02-10", "case": "舞人社监〔2026〕7号"},
        Record(T.INTERVIEW_HELD, datetime.date(2026, 2, 10), case="舞人社监〔2026〕7号"),
    ),
}
CASE_BOUND = [t for t in RecordType if t.is_case_bound]


def places(problems: list[Problem]) -> list[str]:
    return [p.place for p in problems]


def test_there_is_an_example_for_every_record_type():
    assert set(EXAMPLES) == set(RecordType)


def test_case_bound_types_are_the_ones_the_spec_names():
    assert set(CASE_BOUND) == {
        T.VIOLATION_FOUND,
        T.VIOLATION_CORRECTED,
        T.PENALTY_IMPOSED,
        T.PENALTY_FULFILLED,
        T.ARBITRATION_LOST,
        T.INTERVIEW_HELD,  # 第十七条(三): the penalty's case
    }


@pytest.mark.parametrize("record_type", list(RecordType), ids=str)
def test_a_well_formed_mapping_of_every_type_becomes_its_record(record_type):
    data, expected = EXAMPLES[record_type]
    assert record_from_mapping(data, PLACE) == (expected, [])


def test_optional_fields_may_be_left_out():
    record, problems = record_from_mapping(
        {"type": "violation_found", "date": "2026-03-01", "case": "X"}, PLACE
    )
    assert problems == []
    assert record == Record(T.VIOLATION_FOUND, datetime.date(2026, 3, 1), case="X")


def test_optional_fields_may_be_null():
    record, problems = record_from_mapping(
        {"type": "penalty_imposed", "date": "2026-01-15", "case": "X", "document": None}, PLACE
    )
    assert problems == []
    assert record is not None and record.document is None


def test_case_is_stripped_of_surrounding_blanks():
    record, _ = record_from_mapping(
        {"type": "arbitration_lost", "date": "2024-04-04", "case": "  仲5 "}, PLACE
    )
    assert record is not None and record.case == "仲5"


def test_a_record_that_is_not_an_object_is_refused_at_its_place():
    record, problems = record_from_mapping(["violation_found"], PLACE)
    assert record is None
    assert places(problems) == [PLACE]


def test_a_record_without_type_is_refused_at_its_type():
    record, problems = record_from_mapping({"date": "2026-03-01"}, PLACE)
    assert record is None
    assert places(problems) == ["employers[0].records[1].type"]


@pytest.mark.parametrize("raw_type", ["violation", "Penalty_Imposed", "", 3, None])
def test_an_unknown_type_is_refused_at_its_type(raw_type):
    record, problems = record_from_mapping({"type": raw_type, "date": "2026-03-01"}, PLACE)
    assert record is None
    assert places(problems) == ["employers[0].records[1].type"]


def test_an_unknown_field_is_refused_at_that_field():
    record, problems = record_from_mapping(
        {"type": "blacklist_listed", "date": "2025-05-01", "case": "X"}, PLACE
    )
    assert record is None
    assert places(problems) == ["employers[0].records[1].case"]
    assert "案件编号" in problems[0].message  # the field as a page names it


@pytest.mark.parametrize("record_type", list(RecordType), ids=str)
def test_a_missing_date_is_refused_at_the_date(record_type):
    data = {k: v for k, v in EXAMPLES[record_type][0].items() if k != "date"}
    record, problems = record_from_mapping(data, PLACE)
    assert record is None
    assert places(problems) == ["employers[0].records[1].date"]


def test_a_missing_passed_is_refused_at_passed():
    _, problems = record_from_mapping(
        {"type": "labor_practice_assessed", "date": "2026-01-01"}, PLACE
    )
    assert places(problems) == ["employers[0].records[1].passed"]


def test_a_missing_level_is_refused_at_level():
    _, problems = record_from_mapping({"type": "provincial_credit", "date": "2026-01-01"}, PLACE)
    assert places(problems) == ["employers[0].records[1].level"]


@pytest.mark.parametrize(
    "bad",
    [
        "2026/03/01",
        "2026-02-30",
        "20260301",
        "2026-3-1",
        "2026-03-01T00:00",
        " 2026-03-01",
        "２０２６-03-01",  # full-width digits
        "",
        20260301,
        None,
    ],
)
def test_a_bad_date_is_refused_at_the_date(bad):
    record, problems = record_from_mapping({"type": "harmonious_certified", "date": bad}, PLACE)
    assert record is None
    assert places(problems) == ["employers[0].records[1].date"]


def test_a_bad_correction_deadline_is_refused_at_that_field():
    _, problems = record_from_mapping(
        {
            "type": "violation_found",
            "date": "2026-03-01",
            "case": "X",
            "correction_deadline": "2026-04-31",
        },
        PLACE,
    )
    assert places(problems) == ["employers[0].records[1].correction_deadline"]


@pytest.mark.parametrize("bad", ["true", 1, 0, "是"])
def test_passed_must_be_a_json_bool(bad):
    record, problems = record_from_mapping(
        {"type": "labor_practice_assessed", "date": "2026-01-01", "passed": bad}, PLACE
    )
    assert record is None
    assert places(problems) == ["employers[0].records[1].passed"]


@pytest.mark.parametrize("bad", ["E", "a", "A+", "", 1])
def test_a_level_other_than_a_b_c_d_is_refused(bad):
    record, problems = record_from_mapping(
        {"type": "provincial_credit", "date": "2026-01-01", "level": bad}, PLACE
    )
    assert record is None
    assert places(problems) == ["employers[0].records[1].level"]


@pytest.mark.parametrize("record_type", CASE_BOUND, ids=str)
def test_a_case_bound_record_without_case_is_refused_at_case(record_type):
    data = {k: v for k, v in EXAMPLES[record_type][0].items() if k != "case"}
    record, problems = record_from_mapping(data, PLACE)
    assert record is None
    assert places(problems) == ["employers[0].records[1].case"]


@pytest.mark.parametrize("empty", ["", "   "])
@pytest.mark.parametrize("record_type", CASE_BOUND, ids=str)
def test_a_case_bound_record_with_an_empty_case_is_refused_at_case(record_type, empty):
    data = {**EXAMPLES[record_type][0], "case": empty}
    record, problems = record_from_mapping(data, PLACE)
    assert record is None
    assert places(problems) == ["employers[0].records[1].case"]


def test_every_problem_of_a_record_is_reported_at_once():
    _, problems = record_from_mapping(
        {"type": "penalty_imposed", "date": "2026/01/15", "case": "", "fine": 5000}, PLACE
    )
    assert sorted(places(problems)) == [
        "employers[0].records[1].case",
        "employers[0].records[1].date",
        "employers[0].records[1].fine",
    ]


def test_a_problem_prints_as_place_colon_message():
    _, problems = record_from_mapping({"type": "blacklist_listed", "date": "2026/03/01"}, PLACE)
    assert str(problems[0]).startswith("employers[0].records[1].date: ")


def test_parse_date_reads_an_iso_date():
    assert parse_date("2028-02-29") == (datetime.date(2028, 2, 29), None)


def test_parse_date_refuses_29_february_of_a_common_year():
    value, message = parse_date("2027-02-29")
    assert value is None
    assert message


VALID_USCC = ["91410481MA9K3L5T2J", "91410481MA47Q8R0XT", "91410481317495821P"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_a_valid_uscc_is_accepted(code):
    assert check_uscc(code) == (code, None)


def test_a_lower_case_uscc_is_returned_in_standard_form():
    assert check_uscc("91410481ma9k3l5t2j") == ("91410481MA9K3L5T2J", None)


@pytest.mark.parametrize(
    "code",
    [
        "91410481MA9K3L5T2",  # 17 characters
        "91410481MA9K3L5T2JX",  # 19 characters
        "91410481MA9K3L5T2K",  # wrong check character
        "91410481MA9K3L5T2I",  # I is not a GB 32100 character
        "91410481MA9K3L5TOJ",  # O is not either
        "",
        "   ",
        None,
        914104813174958210,
    ],
)
def test_an_invalid_uscc_is_refused_with_a_reason(code):
    value, message = check_uscc(code)
    assert value is None
    assert message


def test_a_removal_with_no_listing_is_a_problem_at_the_removal_itself():
    problems = check_record_sequence([removed("2025-01-01")], "employers[0].records")
    assert places(problems) == ["employers[0].records[0]"]
    assert "2025-01-01" in problems[0].message


def test_a_removal_before_the_first_listing_is_a_problem():
    problems = check_record_sequence(
        [listed("2025-02-01"), removed("2025-01-01")], "employers[2].records"
    )
    assert places(problems) == ["employers[2].records[1]"]


def test_a_second_removal_after_one_listing_is_a_problem():
    problems = check_record_sequence(
        [listed("2025-01-01"), removed("2025-02-01"), removed("2025-03-01")], "r"
    )
    assert places(problems) == ["r[2]"]


def test_listing_and_removal_in_any_order_of_input_are_fine():
    assert check_record_sequence([removed("2025-02-01"), listed("2025-01-01")], "r") == []


def test_listing_and_removal_on_the_same_day_are_fine():
    assert check_record_sequence([removed("2025-01-01"), listed("2025-01-01")], "r") == []


def test_two_spells_one_still_open_are_fine():
    records = [listed("2024-01-01"), removed("2024-06-01"), listed("2025-01-01")]
    assert check_record_sequence(records, "r") == []


@pytest.mark.parametrize(
    ("data", "place", "code"),
    [
        ("not a record", PLACE, "record-invalid"),
        ({"date": "2026-03-01"}, f"{PLACE}.type", "field-missing"),
        ({"type": "", "date": "2026-03-01"}, f"{PLACE}.type", "field-missing"),
        ({"type": "fine", "date": "2026-03-01"}, f"{PLACE}.type", "type-unknown"),
        ({"type": "blacklist_listed", "date": "2026-03-01", "x": 1}, f"{PLACE}.x", "field-unknown"),
        ({"type": "blacklist_listed"}, f"{PLACE}.date", "field-missing"),
        ({"type": "blacklist_listed", "date": "2026/03/01"}, f"{PLACE}.date", "date-invalid"),
        (
            {"type": "arbitration_lost", "date": "2026-03-01", "case": " "},
            f"{PLACE}.case",
            "case-invalid",
        ),
        (
            {"type": "labor_practice_assessed", "date": "2026-03-01", "passed": "yes"},
            f"{PLACE}.passed",
            "bool-invalid",
        ),
        (
            {"type": "provincial_credit", "date": "2026-03-01", "level": "E"},
            f"{PLACE}.level",
            "level-invalid",
        ),
    ],
)
def test_every_refusal_has_a_stable_code(data, place, code):
    _, problems = record_from_mapping(data, PLACE)
    assert [(p.place, p.code) for p in problems] == [(place, code)]


def test_a_field_the_type_does_not_take_is_named_in_chinese():
    _, problems = record_from_mapping(
        {"type": "arbitration_lost", "date": "2026-03-01", "case": "仲裁1号",
         "correction_deadline": "2026-04-01", "x": 1},
        PLACE,
    )  # fmt: skip
    messages = {p.place: p.message for p in problems}
    assert messages[f"{PLACE}.correction_deadline"] == "“劳动人事争议仲裁败诉”记录不填写“整改期限”"
    assert messages[f"{PLACE}.x"] == "“劳动人事争议仲裁败诉”记录没有字段 x"


def test_a_removal_with_no_listing_has_its_own_code():
    (problem,) = check_record_sequence([removed("2025-01-01")], "employers[0].records")
    assert problem.code == "blacklist-removal-without-listing"

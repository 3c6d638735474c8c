"""The staff objection list's search (`selectors.objection_search`): part of the objection number,
part of the employer's name (current or former), or the start of its credit code."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from stdnum.cn import uscc as stdnum_uscc

from laborcredit.credit.services import employer_update
from laborcredit.objections import selectors
from laborcredit.objections.selectors import objection_list
from laborcredit.objections.services import objection_accept
from tests.factories import EmployerFactory
from tests.objections.helpers import file_paper

pytestmark = pytest.mark.django_db
D = datetime.date


def uscc(body: str) -> str:
    return body + stdnum_uscc.calc_check_digit(body)


@pytest.fixture
def steel():
    return EmployerFactory(name="舞钢市钢铁冶炼有限公司", uscc=uscc("91410481MA47X5Q1A"))


@pytest.fixture
def school():
    return EmployerFactory(name="舞钢市第一实验学校", uscc=uscc("12410481417460007"))


def found(text: str, **filters) -> list[str]:
    return [view.objection.number for view in objection_list(search=text, **filters)]


def test_the_last_digits_of_a_number_find_that_objection_only(steel, school):
    first = file_paper(steel, subject="grade")
    second = file_paper(school, subject="grade")
    assert (first.number, second.number) == ("异议〔2025〕0001", "异议〔2025〕0002")
    assert found("0002") == [second.number]
    assert found("2") == [second.number, first.number]  # 2025 is in both


def test_the_year_part_finds_that_years_objections(steel):
    earlier = file_paper(steel, subject="grade", received_on=D(2024, 11, 4))
    later = file_paper(steel, subject="grade")
    assert found("〔2024〕") == [earlier.number]
    assert found("2025") == [later.number]


@pytest.mark.parametrize("typed", ["(2024)0001", "（2024）", "[2024]0001", "【2024】", "异议(2024"])
def test_a_number_typed_with_keyboard_brackets_is_found(steel, typed):
    objection = file_paper(steel, subject="grade", received_on=D(2024, 11, 4))
    assert found(typed) == [objection.number]


def test_the_whole_number_still_finds_it(steel, school):
    objection = file_paper(steel, subject="grade")
    file_paper(school, subject="grade")
    assert found(f"  {objection.number} ") == [objection.number]


def test_part_of_the_employers_name_finds_its_objections(steel, school):
    objection = file_paper(steel, subject="grade")
    file_paper(school, subject="grade")
    assert found("钢铁冶炼") == [objection.number]
    assert len(found("舞钢市")) == 2


def test_a_former_name_finds_a_renamed_employers_objections(steel, school):
    objection = file_paper(steel, subject="grade")
    file_paper(school, subject="grade")
    employer_update(employer=steel, actor="officer", name="舞钢市新材料集团有限公司")
    assert found("钢铁冶炼") == [objection.number]
    assert found("新材料") == [objection.number]


def test_the_start_of_the_credit_code_finds_the_employers_objections(steel, school):
    objection = file_paper(steel, subject="grade")
    other = file_paper(school, subject="grade")
    assert found("91410481") == [objection.number]
    assert found("12410481") == [other.number]
    assert found(steel.uscc.lower()) == [objection.number]


def test_the_middle_of_a_credit_code_does_not_match(steel):
    file_paper(steel, subject="grade")
    assert found("47X5Q1") == []


def test_like_wildcards_are_taken_literally(steel):
    file_paper(steel, subject="grade")
    assert found("%") == [] and found("_") == [] and found("异议%2025") == []


def test_a_blank_search_lists_everything(steel, school):
    file_paper(steel, subject="grade")
    file_paper(school, subject="grade")
    assert len(found("   ")) == 2 and len(found("")) == 2


def test_the_search_combines_with_the_state(steel):
    received = file_paper(steel, subject="grade")
    accepted = objection_accept(
        objection=file_paper(steel, subject="grade"), handling="self", actor="li"
    )
    assert found("钢铁", state="accepted") == [accepted.number]
    assert found("钢铁", state="received") == [received.number]


def test_the_search_costs_the_same_queries_however_many_match(steel, school):
    for employer in (steel, school, steel):
        file_paper(employer, subject="grade")

    def objection_queries(text: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            listed = objection_list(search=text)
        sql = [q["sql"] for q in captured.captured_queries if "objections_objection" in q["sql"]]
        return len(sql), len(listed)

    assert objection_queries("0001") == (2, 1)
    assert objection_queries("舞钢市") == (2, 3)


def test_a_search_matching_more_than_the_cap_is_listed_by_its_condition(steel, school, monkeypatch):
    for employer in (steel, school, steel):
        file_paper(employer, subject="grade")
    by_id = {text: found(text) for text in ("0002", "舞钢市", "钢铁", "12410481")}
    monkeypatch.setattr(selectors, "SEARCH_IDS_CAP", 1)
    assert {text: found(text) for text in by_id} == by_id
    assert len(by_id["舞钢市"]) == 3 and len(by_id["钢铁"]) == 2

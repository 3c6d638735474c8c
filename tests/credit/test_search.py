import datetime

import pytest

from laborcredit.credit.demo import id_check_digit
from laborcredit.credit.models import Employer
from laborcredit.credit.selectors import ORDERS, employer_search
from laborcredit.credit.services import employer_update, record_create
from laborcredit.lib.errors import Refused
from laborcredit.rules.vocabulary import Grade
from tests.factories import EmployerFactory, make_uscc

pytestmark = pytest.mark.django_db

ID_NUMBER = "41048119950312123" + id_check_digit("41048119950312123")


def _recently(days: int = 30) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


def _found(**search) -> list[str]:
    return [e.name for e in employer_search(**search).employers]


@pytest.fixture
def steelworks():
    return EmployerFactory(
        uscc=make_uscc(4811),
        name="舞钢市华瑞特钢有限公司",
        legal_rep_name="王建国",
        legal_rep_id_number=ID_NUMBER,
        township="院岭街道",
        industry_code="C31",
    )


@pytest.fixture
def builder():
    employer = EmployerFactory(
        uscc=make_uscc(4812),
        name="舞钢市宏达建筑工程有限公司",
        legal_rep_name="李志强",
        township="八台镇",
        industry_code="E47",
    )
    # 第十一条: a violation found this year, not yet corrected: B, for an officer to review
    record_create(
        employer=employer, type="violation_found", date=_recently(), case="舞人社监〔2026〕1号",
        actor="officer",
    )  # fmt: skip
    return employer


def test_the_id_number_check_digit_in_these_tests_is_right():
    from laborcredit.credit.services import check_id_number

    assert check_id_number(ID_NUMBER) is None


def test_an_employer_is_found_by_part_of_its_current_name(steelworks, builder):
    assert _found(query="华瑞") == ["舞钢市华瑞特钢有限公司"]
    assert sorted(_found(query="有限公司")) == sorted([steelworks.name, builder.name])


def test_a_renamed_employer_is_still_found_by_its_former_name(steelworks):
    employer_update(employer=steelworks, actor="officer", name="河南华瑞钢铁集团有限公司")
    assert _found(query="舞钢市华瑞特钢") == ["河南华瑞钢铁集团有限公司"]
    assert _found(query="钢铁集团") == ["河南华瑞钢铁集团有限公司"]


def test_an_employer_is_found_by_its_whole_code_or_a_prefix_in_any_case(steelworks, builder):
    code = steelworks.uscc
    assert _found(query=code) == [steelworks.name]
    assert _found(query=code.lower()) == [steelworks.name]
    assert sorted(_found(query=code[:10].lower())) == sorted([steelworks.name, builder.name])
    assert _found(query="91410482") == []


def test_an_employer_is_found_by_its_legal_representative(steelworks, builder):
    assert _found(query="王建国") == [steelworks.name]
    assert _found(query="李志") == [builder.name]


def test_an_employer_is_found_by_the_full_id_number_of_its_legal_representative(steelworks):
    assert _found(query=ID_NUMBER) == [steelworks.name]
    wrong = "0" if ID_NUMBER[-1] != "0" else "1"
    assert _found(query=ID_NUMBER[:-1] + wrong) == []  # a wrong check digit is no ID number
    assert _found(query=ID_NUMBER[:14]) == []  # part of an ID number finds nothing


def test_the_id_number_is_not_stored_in_the_clear(steelworks):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_rep_id_number FROM credit_employer")
        stored = [row[0] for row in cursor.fetchall()]
    assert ID_NUMBER not in " ".join(stored)


def test_filters_by_grade_township_industry_and_needs_review(steelworks, builder):
    assert _found(grade="B") == [builder.name]
    assert _found(grade="A") == [steelworks.name]
    assert _found(grade="C") == []
    assert _found(township="八台镇") == [builder.name]
    assert _found(industry="C31") == [steelworks.name]
    assert _found(industry="E") == [builder.name]
    assert _found(needs_review=True) == [builder.name]
    assert _found(needs_review=False) == [steelworks.name]
    assert _found(query="有限公司", grade="A", township="院岭街道") == [steelworks.name]


def test_the_grade_is_loaded_with_each_employer(steelworks, builder):
    page = employer_search(order="-grade")
    assert [(e.name, e.current_grade.official_grade) for e in page.employers] == [
        (steelworks.name, "A"),
        (builder.name, "B"),
    ]
    assert page.total == 2 and page.total_exact and page.next_cursor is None


def _city():
    """23 employers, some with the same name, over all four grades."""
    names = ["舞钢市甲公司", "舞钢市乙公司", "舞钢市丙公司"] * 5 + [
        f"舞钢市公司{i}" for i in range(8)
    ]
    employers = [
        EmployerFactory(uscc=make_uscc(6000 + i), name=name, legal_rep_name=f"张{i}")
        for i, name in enumerate(names)
    ]
    for i, employer in enumerate(employers[:9]):
        case = f"舞人社监〔2026〕{i + 10}号"
        day = _recently(40)
        record_create(employer=employer, type="violation_found", date=day, case=case,
                      actor="officer")  # fmt: skip
        if i % 3 == 0:
            record_create(employer=employer, type="penalty_imposed", date=day, case=case,
                          actor="officer", document_number=f"舞人社罚〔2026〕{i}号")  # fmt: skip
        else:
            record_create(employer=employer, type="violation_corrected", date=day, case=case,
                          actor="officer")  # fmt: skip
    for employer in employers[-3:]:
        day = _recently(100)
        record_create(employer=employer, type="harmonious_certified", date=day, actor="officer")
        record_create(employer=employer, type="labor_practice_assessed", date=day, passed=True,
                      actor="officer")  # fmt: skip
    return employers


def _all_pages(order: str, limit: int, **filters) -> list[int]:
    seen, cursor, pages = [], None, 0
    while True:
        page = employer_search(order=order, after=cursor, limit=limit, **filters)
        seen += [e.pk for e in page.employers]
        pages += 1
        assert len(page.employers) <= limit
        cursor = page.next_cursor
        if cursor is None:
            return seen
        assert pages < 100


def _expected(order: str) -> list[int]:
    employers = list(Employer.objects.select_related("current_grade"))
    if order in ("grade", "-grade"):
        sign = -1 if order == "-grade" else 1
        rank = {g.value: g.rank for g in Grade}
        ordered = sorted(employers, key=lambda e: (sign * rank[e.current_grade.grade], e.pk))
        return [e.pk for e in ordered]
    field = order.lstrip("-")
    sign = "-" if order.startswith("-") else ""
    # the database's own collation decides the order of names
    return list(
        Employer.objects.order_by(f"{sign}{field}", f"{sign}id").values_list("pk", flat=True)
    )


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("limit", [1, 4, 7, 50])
def test_keyset_pages_return_every_employer_once_in_order(order, limit):
    employers = _city()
    assert {e.current_grade.grade for e in Employer.objects.select_related("current_grade")} == {
        "A+", "A", "B", "C"
    }  # fmt: skip
    seen = _all_pages(order, limit)
    assert len(seen) == len(set(seen)) == len(employers)
    assert seen == _expected(order)


def test_keyset_pages_of_a_filtered_search(builder, steelworks):
    _city()
    seen = _all_pages("name", 2, query="舞钢市甲")
    assert len(seen) == 5
    assert all(Employer.objects.get(pk=pk).name == "舞钢市甲公司" for pk in seen)
    assert _all_pages("-grade", 3, grade="B") == sorted(
        e.pk for e in Employer.objects.filter(current_grade__grade="B")
    )


def test_the_count_is_capped(monkeypatch):
    import laborcredit.credit.selectors as selectors

    _city()
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    page = employer_search(limit=5)
    assert (page.total, page.total_exact, page.total_display) == (10, False, "10 以上")
    page = employer_search(query="舞钢市甲", limit=5)
    assert (page.total, page.total_exact) == (5, True)


def test_a_cursor_of_another_order_or_a_forged_one_is_refused(steelworks, builder):
    cursor = employer_search(order="name", limit=1).next_cursor
    with pytest.raises(Refused) as refused:
        employer_search(order="-name", after=cursor)
    assert refused.value.codes == ["cursor-invalid"]
    with pytest.raises(Refused):
        employer_search(after="not-a-cursor")
    with pytest.raises(Refused):
        employer_search(order="founded")
    with pytest.raises(Refused) as refused:
        employer_search(grade="D")
    assert refused.value.codes == ["value-invalid"]


def test_a_broad_text_still_pages_through_every_match_once(monkeypatch):
    import laborcredit.credit.selectors as selectors

    employers = _city()
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    page = employer_search(query="舞钢市", limit=5)
    assert (page.total, page.total_exact) == (3, False)
    for order in ORDERS:
        assert _all_pages(order, 4, query="舞钢市") == _expected(order)
    assert len(_all_pages("name", 4, query="张1")) == len(
        [e for e in employers if e.legal_rep_name.startswith("张1")]
    )

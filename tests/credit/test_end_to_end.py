import datetime

import pytest

from laborcredit.audit.chain import verify
from laborcredit.credit.services import record_correct, record_create, record_void
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_a_penalty_moves_an_employer_to_c_at_once_and_voiding_it_moves_it_back():
    e = EmployerFactory(legal_rep_id_number="11010519491231002X", legal_rep_name="张三明")
    assert EmployerGrade.objects.get(employer=e).grade == "A"
    d = datetime.date.today() - datetime.timedelta(days=30)
    v = record_create(employer=e, type="violation_found", date=d, case="X1", actor="officer")
    assert EmployerGrade.objects.get(employer=e).grade == "B"
    p = record_create(
        employer=e,
        type="penalty_imposed",
        date=d,
        case="X1",
        actor="officer",
        document_number="罚1",
    )
    assert EmployerGrade.objects.get(employer=e).grade == "C"
    record_void(record=p, reason="录错", actor="officer")
    assert EmployerGrade.objects.get(employer=e).grade == "B"
    record_correct(
        record=v, reason="日期错", actor="officer", date=d - datetime.timedelta(days=400)
    )
    assert EmployerGrade.objects.get(employer=e).grade == "A"
    assert list(GradeChange.objects.order_by("id").values_list("from_grade", "to_grade")) == [
        ("", "A"),
        ("A", "B"),
        ("B", "C"),
        ("C", "B"),
        ("B", "A"),
    ]
    r = verify()
    assert r.ok, r.problem


def test_importing_the_same_rows_twice_adds_nothing_the_second_time():
    from laborcredit.credit.services import credit_file_import
    from tests.factories import make_uscc

    d = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    u = make_uscc(999)
    emps = [("第2行", {"uscc": u, "name": "甲公司", "township": "八台镇"})]
    recs = [
        ("第2行", {"uscc": u, "type": "violation_found", "date": d, "case": "K"}),
        ("第3行", {"uscc": u, "type": "penalty_imposed", "date": d, "case": "K"}),
    ]
    s = credit_file_import(employers=emps, records=recs, actor="officer", source_name="a.xlsx")
    assert s.records_created == 2 and s.employers_created == 1
    assert EmployerGrade.objects.get(employer__uscc=u).grade == "C"
    s = credit_file_import(employers=emps, records=recs, actor="officer", source_name="a.xlsx")
    assert s.records_created == 0 and s.records_skipped == 2
    assert verify().ok, verify().problem

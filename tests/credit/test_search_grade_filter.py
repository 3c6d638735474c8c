"""The list filtered by grade finds the grade in force: an officer's decision overrides the computed one."""

import datetime

import pytest

from laborcredit.credit.selectors import employer_filter, employer_search
from laborcredit.credit.services import record_create
from laborcredit.rating.services import review_decide
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date.today() - datetime.timedelta(days=30)


def _violation(employer, case: str, *, penalty: bool = False) -> None:
    record_create(employer=employer, type="violation_found", date=DAY, case=case, actor="officer")
    if penalty:  # 第十二条(一): C
        record_create(
            employer=employer, type="penalty_imposed", date=DAY, case=case, actor="officer"
        )


@pytest.fixture
def city():
    clean = EmployerFactory(name="舞钢市甲有限公司")
    penalised = EmployerFactory(name="舞钢市乙有限公司", township="八台镇")
    _violation(penalised, "舞人社监〔2026〕1号", penalty=True)
    decided_c = EmployerFactory(name="舞钢市丙有限公司")
    _violation(decided_c, "舞人社监〔2026〕2号")  # B, to review
    review_decide(employer=decided_c, decided_grade="C", reason="逾期未整改", actor="officer")
    decided_a_plus = EmployerFactory(name="舞钢市丁有限公司")
    record_create(  # 第九条(二): an A+ candidate not assessed, A to review
        employer=decided_a_plus, type="harmonious_certified", date=DAY, actor="officer"
    )
    review_decide(employer=decided_a_plus, decided_grade="A+", reason="评估通过", actor="officer")
    return clean, penalised, decided_c, decided_a_plus


def _found(**filters) -> set[str]:
    return {e.name for e in employer_search(**filters).employers}


def test_grade_c_is_the_computed_c_and_the_decided_c(city):
    assert _found(grade="C") == {"舞钢市乙有限公司", "舞钢市丙有限公司"}
    assert employer_filter(grade="C").count() == 2


def test_a_decision_takes_the_employer_out_of_its_computed_grade(city):
    assert "舞钢市丙有限公司" not in _found(grade="B")
    assert "舞钢市丁有限公司" not in _found(grade="A")
    assert _found(grade="A") == {"舞钢市甲有限公司"}
    assert _found(grade="A+") == {"舞钢市丁有限公司"}


def test_grade_and_township_together(city):
    assert _found(grade="C", township="垭口街道") == {"舞钢市丙有限公司"}
    assert _found(grade="C", township="八台镇") == {"舞钢市乙有限公司"}
    page = employer_search(grade="C", township="垭口街道")
    assert (page.total, page.total_exact) == (1, True)


def test_without_any_decision_the_filter_is_the_computed_grade():
    EmployerFactory(name="舞钢市戊有限公司")
    penalised = EmployerFactory(name="舞钢市己有限公司")
    _violation(penalised, "舞人社监〔2026〕4号", penalty=True)
    assert _found(grade="C") == {"舞钢市己有限公司"}
    assert _found(grade="A") == {"舞钢市戊有限公司"}

"""employer_create (第五条 基础信息): audited once, graded A, refusals write nothing, PII masked."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from laborcredit.credit.models import Employer
from laborcredit.credit.services import employer_create
from laborcredit.lib.errors import Refused
from laborcredit.lib.masking import mask_id_number, mask_phone
from laborcredit.rating.models import EmployerGrade, GradeChange
from tests.credit.helpers import ID_NUMBER, PHONE, audit_entries, row_counts
from tests.factories import EmployerFactory, make_uscc

pytestmark = pytest.mark.django_db


def test_a_valid_employer_is_audited_exactly_once_and_graded_a():
    employer = EmployerFactory(legal_rep_name="张三明", legal_rep_id_number=ID_NUMBER)
    entries = audit_entries("employer_create", employer.uscc)
    assert len(entries) == 1
    assert entries[0].data["after"]["uscc"] == employer.uscc
    assert EmployerGrade.objects.get(employer=employer).grade == "A"
    change = GradeChange.objects.get(employer=employer)
    assert (change.from_grade, change.to_grade, change.cause) == ("", "A", "initial")


def test_the_first_name_starts_the_name_history():
    employer = EmployerFactory(name="舞钢市甲有限公司")
    assert list(employer.names.values_list("name", flat=True)) == ["舞钢市甲有限公司"]


def test_a_lower_case_code_is_stored_in_upper_case():
    code = make_uscc()
    employer = employer_create(uscc=code.lower(), name="乙公司", actor="officer")
    assert employer.uscc == code


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"uscc": "91410481MA00000010"}, "uscc-invalid"),
        ({"legal_rep_id_number": "110105194912310021"}, "id-number-invalid"),
        ({"township": "朝阳街道"}, "township-unknown"),
        ({"industry_code": "Z99"}, "industry-unknown"),
        ({"name": "  "}, "field-missing"),
    ],
)
def test_invalid_basic_information_is_refused_and_nothing_is_written(overrides, code):
    before = row_counts()
    fields = {"uscc": make_uscc(), "name": "丙公司", "township": "八台镇", "industry_code": "C31"}
    fields.update(overrides)
    with pytest.raises(Refused) as refused:
        employer_create(actor="officer", **fields)
    assert code in refused.value.codes
    assert row_counts() == before


def test_every_problem_is_named_at_once():
    with pytest.raises(Refused) as refused:
        employer_create(
            uscc="123",
            name="丁公司",
            township="朝阳街道",
            industry_code="Z99",
            legal_rep_id_number="110105194912310021",
            actor="officer",
        )
    assert set(refused.value.codes) == {
        "uscc-invalid",
        "township-unknown",
        "industry-unknown",
        "id-number-invalid",
    }


def test_a_code_already_registered_is_refused():
    employer = EmployerFactory()
    before = row_counts()
    with pytest.raises(Refused) as refused:
        employer_create(uscc=employer.uscc, name="另一家", actor="officer")
    assert refused.value.codes == ["employer-exists"]
    assert row_counts() == before


def test_the_audit_entry_holds_the_id_number_and_phone_masked_never_in_plain():
    employer = EmployerFactory(
        legal_rep_name="张三明", legal_rep_id_number=ID_NUMBER, contact_phone=PHONE
    )
    (entry,) = audit_entries("employer_create", employer.uscc)
    text = json.dumps(entry.data, ensure_ascii=False)
    assert ID_NUMBER not in text
    assert PHONE not in text
    assert "张三明" not in text
    assert entry.data["after"]["legal_rep_id_number"] == mask_id_number(ID_NUMBER)
    assert entry.data["after"]["contact_phone"] == mask_phone(PHONE)


def test_a_raw_dump_of_the_employer_table_holds_no_plaintext_id_number_or_phone():
    employer = EmployerFactory(legal_rep_id_number=ID_NUMBER, contact_phone=PHONE)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{Employer._meta.db_table}"')
        dump = repr(cursor.fetchall())
    assert employer.uscc in dump  # the dump is of the right rows
    assert ID_NUMBER not in dump
    assert ID_NUMBER.lower() not in dump
    assert PHONE not in dump
    stored = Employer.objects.get(pk=employer.pk)
    assert (stored.legal_rep_id_number, stored.contact_phone) == (ID_NUMBER, PHONE)


def test_a_wugang_id_number_of_someone_born_before_1990_is_accepted():
    # 410481 (舞钢市) dates from 1990; residents born earlier carry it all the same.
    body = "41048119620314203"
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    employer = EmployerFactory(legal_rep_id_number=number)
    assert employer.legal_rep_id_number == number

"""employer_update: a rename keeps the old name in the history; changes audited, PII masked."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection

from laborcredit.credit.models import Employer
from laborcredit.credit.services import employer_update
from laborcredit.lib.errors import Refused
from tests.credit.helpers import ID_NUMBER, PHONE, audit_entries, row_counts
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

OTHER_ID_NUMBER = "110105199003071239"  # a second valid GB 11643 number


def test_a_rename_keeps_the_old_name_in_the_name_history():
    employer = EmployerFactory(name="舞钢市旧名有限公司")
    renamed_on = datetime.date(2025, 3, 1)
    employer_update(
        employer=employer, name="舞钢市新名有限公司", renamed_on=renamed_on, actor="officer"
    )
    names = list(employer.names.order_by("id").values_list("name", "used_from", "used_until"))
    assert names == [
        ("舞钢市旧名有限公司", None, renamed_on),
        ("舞钢市新名有限公司", renamed_on, None),
    ]
    assert Employer.objects.get(pk=employer.pk).name == "舞钢市新名有限公司"
    assert Employer.objects.filter(names__name="舞钢市旧名有限公司").get() == employer


def test_an_update_is_audited_once_with_before_and_after():
    employer = EmployerFactory(name="甲公司", employees=10)
    employer_update(employer=employer, name="乙公司", employees=12, actor="officer")
    (entry,) = audit_entries("employer_update", employer.uscc)
    assert entry.data["before"] == {"name": "甲公司", "employees": 10}
    assert entry.data["after"] == {"name": "乙公司", "employees": 12}


def test_an_update_that_changes_nothing_writes_nothing():
    employer = EmployerFactory(name="甲公司")
    before = row_counts()
    employer_update(employer=employer, name="甲公司", actor="officer")
    assert row_counts() == before


def test_the_audit_entry_of_an_update_masks_the_old_and_new_id_number_and_phone():
    employer = EmployerFactory(legal_rep_id_number=ID_NUMBER, contact_phone=PHONE)
    employer_update(
        employer=employer,
        legal_rep_id_number=OTHER_ID_NUMBER,
        contact_phone="13900001111",
        actor="officer",
    )
    (entry,) = audit_entries("employer_update", employer.uscc)
    text = json.dumps(entry.data, ensure_ascii=False)
    for plain in (ID_NUMBER, OTHER_ID_NUMBER, PHONE, "13900001111"):
        assert plain not in text
    assert entry.data["after"]["legal_rep_id_number"] == "110105********1239"
    assert "legal_rep_id_index" not in entry.data["after"]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{Employer._meta.db_table}"')
        dump = repr(cursor.fetchall())
    assert OTHER_ID_NUMBER not in dump and "13900001111" not in dump


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"legal_rep_id_number": "110105199003071238"}, "id-number-invalid"),
        ({"township": "朝阳街道"}, "township-unknown"),
        ({"industry_code": "C3"}, "industry-unknown"),
        ({"name": ""}, "field-missing"),
        ({"uscc": "91410481MA0000001X"}, "field-unknown"),
    ],
)
def test_invalid_changes_are_refused_and_nothing_is_written(fields, code):
    employer = EmployerFactory(name="甲公司")
    before = row_counts()
    with pytest.raises(Refused) as refused:
        employer_update(employer=employer, actor="officer", **fields)
    assert code in refused.value.codes
    assert row_counts() == before
    assert Employer.objects.get(pk=employer.pk).name == "甲公司"

"""`audit_held`: a long operation's entries are linked and written when its block ends, so the
chain's head is not held while the operation runs (AU3 one chain, AU4 fail closed)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection, transaction

from laborcredit.audit.chain import verify
from laborcredit.audit.context import acting_as
from laborcredit.audit.models import AuditEntry
from laborcredit.audit.services import (
    AuditError,
    audit_append,
    audit_append_alone,
    audit_append_many,
    audit_held,
)
from laborcredit.credit.models import Employer
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

TRICKY = {"text": '引号"与反斜杠\\、制表\t换行\n', "list": [1, None, True], "nested": {"a": "b"}}


def _appended(number: int) -> None:
    audit_append(event="record_create", object_type="sample", object_id=str(number), data=TRICKY)


def test_entries_are_written_in_order_when_the_block_ends_and_the_chain_verifies():
    with acting_as(actor="张三", role="credit_officer", address="10.0.0.8"):
        _appended(1)
        with audit_held():
            _appended(2)
            audit_append_many(
                [{"event": "grade_change", "object_type": "sample", "object_id": str(n)}
                 for n in (3, 4, 5)]
            )  # fmt: skip
            with audit_held():  # nested: joins the outer block
                audit_append_alone(event="api_call", object_type="sample", object_id="6")
            written_inside = AuditEntry.objects.count()
        _appended(7)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.object_id for e in entries] == [str(n) for n in range(1, 8)]
    assert entries[1].data == TRICKY and entries[1].actor == "张三"
    assert all(e.prev_hash == before.hash for before, e in itertools.pairwise(entries))
    result = verify()
    assert result.ok, result.problem
    # PostgreSQL holds them back; SQLite's transaction holds the whole database from its start,
    # so there they are written as they come.
    assert written_inside == (1 if connection.vendor == "postgresql" else 6)


def test_a_refused_entry_is_refused_at_once_inside_the_block():
    with pytest.raises(AuditError), audit_held():
        audit_append(event="no_such_event")
        pytest.fail("the append above should have raised")  # pragma: no cover


def test_a_failing_block_undoes_its_changes_even_when_the_caller_goes_on():
    before = Employer.objects.count()
    with transaction.atomic():
        try:
            with audit_held():
                EmployerFactory()
                _appended(1)
                raise RuntimeError("中途出错")
        except RuntimeError:
            pass
        _appended(2)  # the caller's transaction goes on and commits
    assert Employer.objects.count() == before
    assert list(AuditEntry.objects.values_list("object_id", flat=True)) == ["2"]

"""audit_append: AU2 fields, masking, the one list of events, and AU4 fail closed."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from laborcredit.audit.context import acting_as
from laborcredit.audit.events import EVENTS, render
from laborcredit.audit.models import GENESIS, AuditEntry
from laborcredit.audit.services import AuditError, audit_append
from laborcredit.lib.masking import find_id_numbers, mask_id_number
from tests.audit.helpers import refusing_audit_inserts

ID_NUMBER = "410481199001011236"  # passes the GB 11643 check


def test_the_sample_id_number_is_a_real_one():
    assert find_id_numbers(ID_NUMBER) == [ID_NUMBER]


@pytest.mark.django_db
def test_every_entry_has_every_field_of_au2():
    with acting_as(actor="zhangsan", role="credit_officer", address="10.1.2.3"):
        with transaction.atomic():
            audit_append(event="record_create", object_type="sample", object_id=17)
    with transaction.atomic():
        audit_append(event="audit_verify", object_type="audit_log", outcome="failure")
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 2
    for entry in entries:
        assert entry.ts.utcoffset() == datetime.timedelta(0)
        assert entry.event in EVENTS
        assert entry.outcome in ("success", "failure", "denied")
        assert entry.request_id
        assert entry.address
        assert entry.actor
        assert len(entry.hash) == 64
        assert entry.object_type
    first = entries[0]
    assert (first.actor, first.role, first.address) == ("zhangsan", "credit_officer", "10.1.2.3")
    assert first.object_id == "17"
    assert entries[1].actor.startswith("cli:")
    assert entries[1].address == "local"


@pytest.mark.django_db
def test_the_first_entry_links_to_64_zeros_and_each_next_to_the_one_before():
    with transaction.atomic():
        first = audit_append(event="login", object_type="user", object_id="a")
        second = audit_append(event="logout", object_type="user", object_id="a")
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    stored = AuditEntry.objects.get(seq=second.seq)
    assert stored.compute_hash() == stored.hash


@pytest.mark.django_db
def test_timestamps_are_stored_in_utc_with_microseconds():
    with transaction.atomic():
        entry = audit_append(event="login")
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.ts == entry.ts
    assert stored.ts.tzinfo is not None


@pytest.mark.django_db
def test_an_unknown_event_is_refused():
    with pytest.raises(AuditError) as refused, transaction.atomic():
        audit_append(event="record_delete")
    assert refused.value.code == "unknown-event"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_outcome_is_refused():
    with pytest.raises(AuditError) as refused, transaction.atomic():
        audit_append(event="login", outcome="maybe")
    assert refused.value.code == "unknown-outcome"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"legal_rep_id_number": ID_NUMBER},
        {"after": {"note": f"身份证{ID_NUMBER}已核实"}},
        {"list": ["a", ID_NUMBER.lower()]},
        {ID_NUMBER: "as a key"},
    ],
)
def test_an_unmasked_id_number_is_refused_anywhere_in_the_data(data):
    with pytest.raises(AuditError) as refused, transaction.atomic():
        audit_append(event="employer_update", object_type="employer", data=data)
    assert refused.value.code == "unmasked-id-number"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_texts_are_scanned_each_on_its_own():
    """The texts are scanned together, a line each: digits split between two values are no
    number, and a number ending one value and beginning the next is still found."""
    with transaction.atomic():
        audit_append(
            event="employer_update",
            object_type="employer",
            data={"head": ID_NUMBER[:9], "tail": ID_NUMBER[9:], "long": "9" + ID_NUMBER},
        )
    assert AuditEntry.objects.count() == 1
    for data in ({"before": "123", "after": ID_NUMBER}, {"first": ID_NUMBER, "then": "456"}):
        with pytest.raises(AuditError) as refused, transaction.atomic():
            audit_append(event="employer_update", object_type="employer", data=data)
        assert refused.value.code == "unmasked-id-number"
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_an_unmasked_id_number_as_the_object_is_refused():
    with pytest.raises(AuditError), transaction.atomic():
        audit_append(event="personal_info_view", object_type="person", object_id=ID_NUMBER)


@pytest.mark.django_db
def test_a_masked_id_number_and_an_eighteen_digit_number_that_fails_the_check_are_kept():
    wrong_check = ID_NUMBER[:17] + "7"
    with transaction.atomic():
        entry = audit_append(
            event="employer_update",
            data={
                "id": mask_id_number(ID_NUMBER),
                "other": wrong_check,
                "uscc": "91410481317495821P",
            },
        )
    assert entry.data["id"] == "410481********1236"


@pytest.mark.django_db
def test_no_id_number_pattern_is_stored_in_any_entry():
    with transaction.atomic():
        audit_append(
            event="employer_create", data={"legal_rep_id_number": mask_id_number(ID_NUMBER)}
        )
        with pytest.raises(AuditError), transaction.atomic():
            audit_append(event="employer_create", data={"legal_rep_id_number": ID_NUMBER})
    for entry in AuditEntry.objects.all():
        text = " ".join(str(getattr(entry, f.name)) for f in AuditEntry._meta.fields)
        assert find_id_numbers(text) == []


@pytest.mark.django_db
def test_newlines_are_stored_as_given_and_rendered_on_one_line():
    with acting_as(actor="li\nsi", role="", address="10.0.0.1"):
        with transaction.atomic():
            entry = audit_append(
                event="personal_info_view",
                object_type="employer",
                object_id="91410481317495821P",
                data={"reason": "核查\n第二行\r\n第三行\u2028第四行"},
            )
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.data["reason"] == "核查\n第二行\r\n第三行\u2028第四行"
    line = render(stored)
    assert len(line.splitlines()) == 1
    assert "核查⏎第二行⏎第三行⏎第四行" in line


@pytest.mark.django_db
def test_dates_decimals_and_uuids_in_data_are_stored_as_strings():
    ident = uuid.uuid4()
    with transaction.atomic():
        entry = audit_append(
            event="grade_change",
            data={"as_of": datetime.date(2026, 3, 1), "score": Decimal("1.50"), "lineage": ident},
        )
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.data == {"as_of": "2026-03-01", "score": "1.50", "lineage": str(ident)}
    assert stored.compute_hash() == stored.hash


@pytest.mark.django_db
def test_a_value_json_cannot_hold_is_refused():
    with pytest.raises(AuditError) as refused, transaction.atomic():
        audit_append(event="login", data={"x": {1, 2}})
    assert refused.value.code == "not-json"
    with pytest.raises(AuditError), transaction.atomic():
        audit_append(event="login", data={"x": float("nan")})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_any_json_data_reads_back_with_the_hash_it_was_written_with(data):
    if find_id_numbers(repr(data)):
        return
    with transaction.atomic():
        entry = audit_append(event="import_run", object_type="import", data=data)
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.compute_hash() == stored.hash


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_an_entry():
    from laborcredit.lib.appendonly import AppendOnlyError

    with transaction.atomic():
        entry = audit_append(event="login")
    entry.actor = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).update(actor="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry()])
    assert AuditEntry.objects.get(seq=entry.seq).actor != "someone else"


# ---------------------------------------------------------------- AU4 fail closed


@pytest.mark.django_db
def test_the_business_change_rolls_back_when_its_audit_entry_is_refused():
    with pytest.raises(AuditError), transaction.atomic():
        Group.objects.create(name="稽查员")
        audit_append(event="no_such_event", object_type="group", object_id="稽查员")
    assert not Group.objects.filter(name="稽查员").exists()
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_caller_that_swallows_the_audit_error_still_cannot_commit_its_change():
    with transaction.atomic():
        Group.objects.create(name="稽查员")
        try:
            audit_append(event="no_such_event")
        except AuditError:
            pass
    assert not Group.objects.filter(name="稽查员").exists()


@pytest.mark.django_db
def test_the_business_change_rolls_back_when_the_database_refuses_the_entry():
    with pytest.raises(DatabaseError), connection.execute_wrapper(refusing_audit_inserts):
        with transaction.atomic():
            Group.objects.create(name="稽查员")
            audit_append(event="role_change", object_type="group", object_id="稽查员")
    assert not Group.objects.filter(name="稽查员").exists()
    assert AuditEntry.objects.count() == 0


def test_business_change_and_entry_commit_together_or_not_at_all(transactional_db):
    Group.objects.all().delete()  # the roles' groups (accounts migration)
    with transaction.atomic():
        Group.objects.create(name="已审计")
        audit_append(event="role_change", object_type="group", object_id="已审计")
    with pytest.raises(DatabaseError), connection.execute_wrapper(refusing_audit_inserts):
        with transaction.atomic():
            Group.objects.create(name="未审计")
            audit_append(event="role_change", object_type="group", object_id="未审计")
    assert list(Group.objects.values_list("name", flat=True)) == ["已审计"]
    assert AuditEntry.objects.count() == 1


def test_audit_append_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(AuditError) as refused:
        audit_append(event="login")
    assert refused.value.code == "outside-transaction"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_numbers_the_databases_would_rewrite_still_verify():
    data = {"big": 1e20, "huge": 1.2345678901234567e25, "negative_zero": -0.0, "small": 1.5e-7,
            "wide": 2**70, "plain": 1e15, "half": 0.5}  # fmt: skip
    with transaction.atomic():
        entry = audit_append(event="import_run", data=data)
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.compute_hash() == stored.hash
    assert stored.data["big"] == 10**20
    assert stored.data["negative_zero"] == 0.0


@pytest.mark.django_db
def test_nul_characters_are_made_visible_so_both_databases_keep_the_entry():
    with acting_as(actor="a\x00b"):
        with transaction.atomic():
            entry = audit_append(event="login", object_id="x\x00", data={"k\x00": "v\x00"})
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert (stored.actor, stored.object_id, stored.data) == ("a␀b", "x␀", {"k␀": "v␀"})
    assert stored.compute_hash() == stored.hash


@pytest.mark.django_db
def test_an_overlong_field_is_refused_rather_than_cut():
    with pytest.raises(AuditError) as refused, transaction.atomic():
        audit_append(event="login", object_id="x" * 201)
    assert refused.value.code == "too-long"


@pytest.mark.django_db
def test_enum_members_are_stored_as_their_values():
    from django.db import models

    class Kind(models.TextChoices):
        WAGE = "wage_arrears", "拖欠工资"

    with transaction.atomic():
        entry = audit_append(event="record_create", object_type=Kind.WAGE, data={"type": Kind.WAGE})
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.object_type == "wage_arrears" and stored.data == {"type": "wage_arrears"}

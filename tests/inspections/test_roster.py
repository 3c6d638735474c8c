"""The roster (监察员名册) and 回避 declarations: who may be drawn, audited, append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from laborcredit.inspections.models import ConflictDeclaration, Inspector
from laborcredit.inspections.services import (
    conflict_declare,
    inspector_add,
    inspector_candidates,
    inspector_set_active,
)
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.lib.errors import Refused
from tests.accounts.helpers import entries
from tests.inspections.helpers import drawn_plan, graded, pool, role_user, roster

pytestmark = pytest.mark.django_db


def test_a_user_in_the_inspector_role_is_added_to_the_roster_and_audited():
    user = role_user("zhao", "inspector")
    assert list(inspector_candidates()) == [user]
    inspector = inspector_add(user=user, actor="officer")
    assert inspector.active and inspector.added_by == "officer"
    assert list(inspector_candidates()) == []
    [entry] = entries("inspector_add")
    assert entry.object_id == str(inspector.pk)


def test_a_user_without_the_inspector_role_is_refused():
    with pytest.raises(Refused) as refused:
        inspector_add(user=role_user("qian", "licensing_window"), actor="officer")
    assert refused.value.codes == ["not-inspector"]
    assert Inspector.objects.count() == 0


def test_an_inspector_already_on_the_roster_is_refused():
    [inspector] = roster(1)
    with pytest.raises(Refused) as refused:
        inspector_add(user=inspector.user, actor="officer")
    assert refused.value.codes == ["inspector-exists"]


def test_an_inspector_taken_out_of_draws_is_not_drawn():
    pool(1)
    inspectors = roster(5)
    inspector_set_active(inspector=inspectors[0], active=False, actor="officer")
    plan = drawn_plan()
    assert "jc1" not in plan.inputs["inspectors"]
    assert not plan.inspections.filter(inspector_1=inspectors[0]).exists()
    assert not plan.inspections.filter(inspector_2=inspectors[0]).exists()
    assert entries("inspector_status_change")[0].data["status"] == "停止参加抽取"


def test_setting_the_same_state_again_is_refused():
    [inspector] = roster(1)
    with pytest.raises(Refused) as refused:
        inspector_set_active(inspector=inspector, active=True, actor="officer")
    assert refused.value.codes == ["inspector-unchanged"]


def test_a_conflict_needs_a_reason_and_is_declared_once():
    [inspector] = roster(1)
    employer = graded("B")
    with pytest.raises(Refused) as refused:
        conflict_declare(inspector=inspector, employer=employer, reason=" ", actor="officer")
    assert refused.value.codes == ["reason-missing"]
    conflict_declare(inspector=inspector, employer=employer, reason="配偶在该单位任职",
                     actor="officer")  # fmt: skip
    with pytest.raises(Refused) as refused:
        conflict_declare(inspector=inspector, employer=employer, reason="再次", actor="officer")
    assert refused.value.codes == ["conflict-exists"]
    [entry] = entries("conflict_declare")
    assert entry.data["employer"] == employer.uscc


def test_a_conflict_declaration_cannot_be_changed_or_deleted():
    [inspector] = roster(1)
    declaration = conflict_declare(inspector=inspector, employer=graded("B"), reason="亲属",
                                   actor="officer")  # fmt: skip
    with pytest.raises(AppendOnlyError):
        declaration.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ConflictDeclaration.objects.filter(pk=declaration.pk).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConflictDeclaration.objects.filter(pk=declaration.pk).delete()
    assert ConflictDeclaration.objects.get(pk=declaration.pk).reason == "亲属"

"""Two officers acting at once on one objection (第二十条): exactly one wins, the others are told."""

from __future__ import annotations

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from laborcredit.audit.chain import verify
from laborcredit.credit.models import CreditRecord
from laborcredit.lib.errors import Refused
from laborcredit.objections.models import Objection, ObjectionEvent
from laborcredit.objections.services import objection_accept, objection_decide
from tests.objections.helpers import file_paper, penalised_employer


def _run(act, page, outcomes, barrier):
    try:
        barrier.wait()
        outcomes.append(act(page))
    except Refused as refused:
        outcomes.append(refused)
    except BaseException as error:  # pragma: no cover - reported by the assertion below
        outcomes.append(error)
    finally:
        connections[DEFAULT_DB_ALIAS].close()


def _at_once(act, pk, writers=4):
    pages = [Objection.objects.get(pk=pk) for _ in range(writers)]
    outcomes: list[object] = []
    barrier = threading.Barrier(writers)
    threads = [threading.Thread(target=_run, args=(act, p, outcomes, barrier)) for p in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [o for o in outcomes if isinstance(o, Objection)]
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(won) == 1 and len(refused) == writers - 1, outcomes
    assert all(r.codes == ["objection-conflict"] for r in refused)
    return won[0]


@pytest.fixture
def postgresql_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the stale-page tests cover it there")


def test_concurrent_acceptances_on_postgresql_exactly_one_wins(postgresql_only):
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    _at_once(
        lambda page: objection_accept(objection=page, handling="self", actor="li"), objection.pk
    )
    assert Objection.objects.get().version == 2
    assert ObjectionEvent.objects.filter(to_state="accepted").count() == 1
    assert verify().ok


def test_concurrent_upheld_decisions_on_postgresql_void_the_record_once(postgresql_only):
    employer, _, penalty = penalised_employer()
    objection = objection_accept(
        objection=file_paper(employer, [penalty]), handling="self", actor="li"
    )

    def decide(page):
        return objection_decide(
            objection=page, outcome="upheld", reason="成立", actor="li",
            corrections=[{"record": penalty, "action": "void"}],
        )  # fmt: skip

    _at_once(decide, objection.pk)
    assert CreditRecord.objects.filter(lineage=penalty.lineage).count() == 2
    assert ObjectionEvent.objects.filter(to_state="decided").count() == 1
    assert verify().ok

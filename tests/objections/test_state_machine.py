"""第二十条 as a state machine: from each state exactly one step is allowed, the others are refused."""

from __future__ import annotations

import pytest

from laborcredit.lib.errors import Refused
from laborcredit.objections.models import Objection, ObjectionEvent
from laborcredit.objections.services import (
    objection_accept,
    objection_decide,
    objection_notify,
    objection_push_record,
)
from tests.objections.helpers import file_paper, penalised_employer

pytestmark = pytest.mark.django_db

STEPS = {
    "accept": lambda o: objection_accept(objection=o, handling="self", actor="li"),
    "decide": lambda o: objection_decide(objection=o, outcome="rejected", reason="x", actor="li"),
    "notify": lambda o: objection_notify(objection=o, actor="li"),
    "push": lambda o: objection_push_record(objection=o, actor="li", reference="R"),
}
ORDER = ["received", "accepted", "decided", "notified", "pushed"]
ALLOWED = dict(zip(ORDER, ["accept", "decide", "notify", "push", None], strict=True))


def at_state(state: str) -> Objection:
    employer, _, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    for step in list(STEPS)[: ORDER.index(state)]:
        objection = STEPS[step](objection)
    assert objection.state == state
    return objection


@pytest.mark.parametrize("state", ORDER)
@pytest.mark.parametrize("step", list(STEPS))
def test_only_the_next_step_is_allowed(state, step):
    objection = at_state(state)
    events = ObjectionEvent.objects.filter(objection=objection).count()
    if ALLOWED[state] == step:
        moved = STEPS[step](objection)
        assert moved.state == ORDER[ORDER.index(state) + 1]
        assert moved.version == objection.version + 1
        last = ObjectionEvent.objects.filter(objection=objection).last()
        assert (last.from_state, last.to_state, last.actor) == (state, moved.state, "li")
    else:
        with pytest.raises(Refused) as refused:
            STEPS[step](objection)
        assert refused.value.codes == ["objection-state"]
        assert Objection.objects.get(pk=objection.pk).state == state
        assert ObjectionEvent.objects.filter(objection=objection).count() == events

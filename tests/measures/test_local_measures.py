"""第十四条(三)、第十五条(三): local incentives added, retired once, and applied on a date."""

from __future__ import annotations

import datetime

import pytest

from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.lib.errors import Refused
from laborcredit.measures.models import LocalMeasure
from laborcredit.measures.selectors import measures_on
from laborcredit.measures.services import local_measure_add, local_measure_retire
from laborcredit.rules.measures import measures_for
from laborcredit.rules.vocabulary import Grade
from tests.accounts.helpers import entries

pytestmark = pytest.mark.django_db

D = datetime.date


def _add(**overrides):
    values = {
        "item": "第十五条（三）",
        "title": "社会保险补贴优先审核",
        "description": "申请社会保险补贴时优先审核",
        "legal_basis": "《平顶山市就业补助资金管理办法》（平人社〔2024〕9号）",
        "in_force_from": D(2025, 1, 1),
        "actor": "officer",
    }
    return local_measure_add(**{**values, **overrides})


def test_adding_a_measure_keeps_its_basis_and_is_audited():
    measure = _add()
    assert measure.retired_from is None and measure.created_by == "officer"
    (entry,) = entries("local_measure_add")
    assert entry.object_id == str(measure.pk)
    assert (
        entry.data["legal_basis"].startswith("《平顶山市")
        and entry.data["item"] == "第十五条（三）"
    )


def test_a_measure_without_legal_basis_or_under_another_item_is_refused_whole():
    with pytest.raises(Refused) as refused:
        _add(item="第十六条", legal_basis="  ", title="")
    assert sorted(refused.value.codes) == ["field-missing", "field-missing", "item-invalid"]
    assert not LocalMeasure.objects.exists() and not entries("local_measure_add")


def test_a_measure_dated_before_the_labour_law_is_a_slip_and_refused():
    with pytest.raises(Refused) as refused:
        _add(in_force_from=D(1900, 1, 1))
    assert refused.value.codes == ["date-too-early"]
    assert "1995-01-01" in refused.value.problems[0].message
    assert not LocalMeasure.objects.exists()


def test_retiring_sets_the_date_once_and_is_audited():
    measure = local_measure_retire(
        measure=_add(), retired_from=D(2026, 7, 1), reason="文件废止", actor="officer2"
    )
    assert measure.retired_from == D(2026, 7, 1) and measure.retired_by == "officer2"
    assert entries("local_measure_retire")[0].data["reason"] == "文件废止"
    with pytest.raises(Refused) as again:
        local_measure_retire(measure=measure, retired_from=D(2026, 8, 1), reason="再次", actor="x")
    assert again.value.codes == ["measure-retired"]
    measure.refresh_from_db()
    assert measure.retired_from == D(2026, 7, 1)


def test_retiring_needs_a_reason_and_a_date_after_entry_into_force():
    measure = _add()
    with pytest.raises(Refused) as early:
        local_measure_retire(measure=measure, retired_from=D(2025, 1, 1), reason="x", actor="o")
    assert early.value.codes == ["retired-before-in-force"]
    with pytest.raises(Refused) as bare:
        local_measure_retire(measure=measure, retired_from=D(2026, 1, 1), reason=" ", actor="o")
    assert bare.value.codes == ["field-missing"]
    assert LocalMeasure.objects.get().retired_from is None


def test_a_measure_is_never_changed_in_place():
    measure = _add()
    measure.title = "改过的名称"
    with pytest.raises(AppendOnlyError):
        measure.save()
    with pytest.raises(AppendOnlyError):
        measure.delete()


def test_an_a_employer_gets_the_local_measure_right_after_item_3_of_article_15():
    measure = _add()
    lines = measures_on(grade=Grade.A, on=D(2026, 3, 1))
    assert [m["citation"] for m in lines] == [
        "第十五条（一）", "第十五条（二）", "第十五条（三）", "第十五条（三）",
    ]  # fmt: skip
    local = lines[3]
    assert local["local"] and local["code"] == f"local-{measure.pk}"
    assert local["text"] == "社会保险补贴优先审核：申请社会保险补贴时优先审核"
    assert "A级（良好）" in local["why"] and "平人社〔2024〕9号" in local["why"]
    assert "2025-01-01起施行" in local["why"]


def test_a_measure_applies_from_its_first_day_up_to_the_day_before_retirement():
    measure = _add(in_force_from=D(2025, 1, 1))
    local_measure_retire(measure=measure, retired_from=D(2026, 7, 1), reason="废止", actor="o")

    def has(day):
        return any(m["local"] for m in measures_on(grade=Grade.A, on=day))

    assert [has(D(2024, 12, 31)), has(D(2025, 1, 1)), has(D(2026, 6, 30)), has(D(2026, 7, 1))] == [
        False, True, True, False,
    ]  # fmt: skip


def test_a_measure_of_article_14_goes_to_a_plus_and_not_to_a():
    _add(item="第十四条（三）", title="评优评先优先推荐")
    assert [m["title"] for m in measures_on(grade="A+", on=D(2026, 1, 1)) if m["local"]] == [
        "评优评先优先推荐"
    ]
    assert not any(m["local"] for m in measures_on(grade="A", on=D(2026, 1, 1)))


@pytest.mark.parametrize(
    ("grade", "rules"),
    [("B", []), ("C", ["c_penalty_in_last_year"]), ("C", ["c_blacklisted_in_last_year"])],
)
def test_without_local_items_the_measures_are_the_statutory_ones(grade, rules):
    _add()
    lines = measures_on(grade=grade, rules=rules, on=D(2026, 1, 1))
    assert [m["citation"] for m in lines] == [
        a.measure.citation for a in measures_for(Grade(grade), rules)
    ]

import datetime
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from stdnum.cn import ric

from laborcredit.audit.chain import verify
from laborcredit.cli import main
from laborcredit.credit.demo import generate, id_check_digit
from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.credit.reference import TOWNSHIPS
from laborcredit.credit.services import (
    check_id_number,
    employer_problems,
    record_problems,
    rule_mapping,
)
from laborcredit.rating.models import EmployerGrade
from laborcredit.rules import grade
from laborcredit.rules.validation import check_uscc, record_from_mapping
from laborcredit.rules.vocabulary import NEGATIVE_TYPES, RecordType

AS_OF = datetime.date(2026, 11, 24)


@pytest.fixture(scope="module")
def city():
    employers, records = generate(20221215, 3000, 6, AS_OF)
    by_uscc = defaultdict(list)
    for row in records:
        by_uscc[row["uscc"]].append(row)
    return employers, records, by_uscc


def _rule_records(rows):
    out = []
    for row in rows:
        record, problems = record_from_mapping(rule_mapping(row["type"], row), "r")
        assert not problems, (problems, row)
        out.append(record)
    return out


# ---------------------------------------------------------------- determinism


def test_the_same_seed_gives_the_same_employers_and_records():
    assert generate(5, 300, 6, AS_OF) == generate(5, 300, 6, AS_OF)


def test_another_seed_gives_another_city():
    first, first_records = generate(5, 300, 6, AS_OF)
    second, second_records = generate(6, 300, 6, AS_OF)
    assert {e["uscc"] for e in first}.isdisjoint({e["uscc"] for e in second})
    assert first_records != second_records


def test_generation_needs_a_date_and_never_reads_the_clock():
    with pytest.raises(ValueError):
        generate(5, 10, 6, None)


# ---------------------------------------------------------------- a believable Wugang


def test_every_code_and_id_number_is_valid_and_unique(city):
    employers, _, _ = city
    assert all(check_uscc(e["uscc"])[1] is None for e in employers)
    assert len({e["uscc"] for e in employers}) == len(employers)
    assert all(check_id_number(e["legal_rep_id_number"]) is None for e in employers)
    assert all(e["uscc"][2:8] == "410481" for e in employers)
    codes = Counter(e["uscc"][:2] for e in employers)
    assert codes["91"] > 2000 and 100 < codes["92"] < 600  # a few individual businesses


def test_the_id_check_digit_is_the_gb_11643_one():
    assert id_check_digit("11010519491231002") == "X"
    assert ric.is_valid("41048119950312123" + id_check_digit("41048119950312123"))


def test_legal_representatives_are_adults_born_here(city):
    employers, _, _ = city
    for e in employers:
        born = ric.get_birth_date(e["legal_rep_id_number"])
        assert 23 <= (AS_OF - born).days // 365 <= 66
        assert ric.get_birth_place(e["legal_rep_id_number"])["province"] == "河南省"


def test_every_employer_passes_the_services_checks(city):
    employers, _, _ = city
    for number, e in enumerate(employers):
        assert employer_problems(e, f"employers[{number}]") == []


def test_every_employer_s_records_pass_the_services_checks(city):
    employers, _, by_uscc = city
    for e in employers:
        rows = [(f"{e['uscc']}[{i}]", r) for i, r in enumerate(by_uscc[e["uscc"]])]
        if not rows:
            continue
        _, problems = record_problems([], rows, today=AS_OF)
        assert problems == [], e["uscc"]


def test_all_dates_lie_within_the_six_years_up_to_the_date(city):
    _, records, _ = city
    first = datetime.date(AS_OF.year - 6, AS_OF.month, AS_OF.day)
    for r in records:
        assert first < datetime.date.fromisoformat(r["date"]) <= AS_OF


def test_the_city_spreads_over_every_township_and_steel_and_building_lead(city):
    employers, _, _ = city
    assert {e["township"] for e in employers} == set(TOWNSHIPS)
    industries = Counter(e["industry_code"] for e in employers)
    assert industries.most_common(1)[0][0] == "C31"
    assert industries["E47"] + industries["E48"] > 200
    sizes = sorted(e["employees"] for e in employers)
    assert sizes[len(sizes) // 2] < 40 < sizes[-1] and sizes[-1] > 500


def test_most_employers_are_clean_and_the_rates_are_believable(city):
    employers, _, by_uscc = city
    having = Counter()
    for e in employers:
        for t in {r["type"] for r in by_uscc[e["uscc"]]}:
            having[t] += 1
    clean = sum(
        1
        for e in employers
        if not any(RecordType(r["type"]) in NEGATIVE_TYPES for r in by_uscc[e["uscc"]])
    )
    n = len(employers)
    assert 0.70 < clean / n < 0.95
    assert 0.08 < having["violation_found"] / n < 0.16
    assert 0.015 < having["penalty_imposed"] / n < 0.05
    assert 0.004 < having["blacklist_listed"] / n < 0.02
    assert 0.01 < having["arbitration_lost"] / n < 0.035
    assert 0.015 < having["harmonious_certified"] / n < 0.05
    assert having["harmonious_revoked"] > 0 and having["blacklist_removed"] > 0
    assert having["provincial_credit"] / n > 0.4


def test_the_grades_include_every_grade_and_some_a_plus_candidates(city):
    employers, _, by_uscc = city
    results = [grade(_rule_records(by_uscc[e["uscc"]]), AS_OF) for e in employers]
    grades = Counter(r.grade.value for r in results)
    assert grades["C"] > 10 and grades["B"] > 10 and grades["A+"] > 10
    assert grades["A"] > 0.8 * len(employers)
    assert any(r.needs_review for r in results)


def test_cases_are_numbered_like_the_bureau_s_documents(city):
    _, records, _ = city
    penalties = [r for r in records if r["type"] == "penalty_imposed"]
    assert all(r["case"].startswith("舞人社监〔") and r["case"].endswith("号") for r in penalties)
    assert all(r["document_number"].startswith("舞人社罚〔") for r in penalties)
    assert all(r["issuing_body"] == "舞钢市人力资源和社会保障局" for r in penalties)
    cases = [r["case"] for r in records if r["type"] == "violation_found"]
    assert len(cases) == len(set(cases))


# ---------------------------------------------------------------- the command


@pytest.mark.django_db
def test_the_command_imports_grades_everyone_and_keeps_the_audit_log_intact():
    out = StringIO()
    call_command("demo_data", employers=120, seed=7, stdout=out)
    _, records = generate(7, 120, 6, timezone.localdate())
    assert Employer.objects.count() == 120
    assert EmployerGrade.objects.count() == 120
    assert CreditRecord.objects.count() == len(records)
    assert set(CreditRecord.objects.values_list("source_ref", flat=True)) == {"演示数据（种子 7）"}
    assert "信用等级分布" in out.getvalue()
    result = verify()
    assert result.ok, result.problem


@pytest.mark.django_db
def test_if_empty_does_nothing_the_second_time():
    call_command("demo_data", employers=30, seed=7, if_empty=True, stdout=StringIO())
    before = CreditRecord.objects.count()
    out = StringIO()
    call_command("demo_data", employers=30, seed=8, if_empty=True, stdout=out)
    assert "已有用人单位" in out.getvalue()
    assert Employer.objects.count() == 30 and CreditRecord.objects.count() == before
    assert verify().ok


@pytest.mark.django_db
def test_the_command_grades_as_of_a_past_date():
    call_command("demo_data", employers=40, seed=3, as_of="2025-06-30", stdout=StringIO())
    assert set(EmployerGrade.objects.values_list("as_of", flat=True)) == {
        datetime.date(2025, 6, 30)
    }
    assert CreditRecord.objects.filter(date__gt=datetime.date(2025, 6, 30)).count() == 0


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused():
    with pytest.raises(CommandError, match="晚于今天"):
        call_command("demo_data", employers=5, as_of="2999-01-01", stdout=StringIO())
    assert not Employer.objects.exists()


@pytest.mark.django_db
def test_production_gets_no_demo_data(settings):
    settings.PRODUCTION = True
    out = StringIO()
    call_command("demo_data", employers=5, if_empty=True, stdout=out)
    assert "生产环境" in out.getvalue()
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo_data", employers=5, stdout=StringIO())
    assert not Employer.objects.exists()


def test_laborcredit_demo_data_is_the_demo_data_command(monkeypatch):
    # Django's own argv path closes the database connection at its end, so only the mapping is
    # checked here; the command itself is tested above through call_command.
    import django.core.management

    passed = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", passed.append)
    assert main(["demo-data", "--employers", "3"]) == 0
    assert passed == [["laborcredit", "demo_data", "--employers", "3"]]


def test_a_records_only_city_has_the_full_city_s_record_mix_without_drawing_employers():
    """`generate(records_only=True)` (the benchmark dataset's extra histories) draws employers
    only as far as their records depend on them; its records are as many and as mixed."""
    holders, records = generate(7, 3000, 6, AS_OF, records_only=True)
    assert holders == [{"uscc": f"#{n}"} for n in range(3000)]
    assert generate(7, 3000, 6, AS_OF, records_only=True) == (holders, records)
    _, full = generate(7, 3000, 6, AS_OF)
    kinds, full_kinds = Counter(r["type"] for r in records), Counter(r["type"] for r in full)
    assert kinds.keys() == full_kinds.keys()
    for kind, count in full_kinds.items():  # two independent draws: within five deviations
        assert abs(kinds[kind] - count) <= 5 * (2 * count) ** 0.5, kind
    assert {r["uscc"] for r in records} <= {h["uscc"] for h in holders}
    assert set(records[0]) >= {"uscc", "type", "date", "disclosure"}

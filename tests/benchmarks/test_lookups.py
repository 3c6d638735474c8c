"""benchmarks/lookups.py: gunicorn really serves the grade lookup under load, every call is
answered from the database and audited once; figures are checked for sense, never for speed."""

from __future__ import annotations

import pytest
from django.db import connection

from laborcredit.api.models import ApiKey
from tests.benchmarks.loading import benchmark_module
from tests.measures.helpers import graded_a, penalised

lookups = benchmark_module("lookups")


def test_the_percentile_is_a_value_that_occurred_by_nearest_rank():
    values = [float(n) for n in range(100, 0, -1)]  # 100 … 1, unsorted on purpose

    assert lookups.percentile(values, 50) == 50.0
    assert lookups.percentile(values, 99) == 99.0
    assert lookups.percentile(values, 100) == 100.0
    assert lookups.percentile([7.0], 99) == 7.0


@pytest.fixture
def postgresql_only(transactional_db):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn serves the benchmark on PostgreSQL only (SQLite: one writer)")


def test_a_short_run_serves_every_lookup_right_and_audits_each_call(postgresql_only):
    employers = [graded_a(9201), graded_a(9202), penalised(9203), penalised(9204)]
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

    figures = lookups.measure(url, seconds=1.5, concurrency=4)

    assert figures["errors"] == 0, figures
    assert figures["requests"] > 0 and figures["baseline"]["requests_per_second"] > 0
    assert figures["ratio"] == pytest.approx(
        figures["baseline"]["requests_per_second"] / figures["requests_per_second"], rel=0.01
    )
    assert figures["p50_ms"] <= figures["p99_ms"]
    assert figures["answers_checked"] == len(employers) and figures["answer_problems"] == []
    assert figures["audit_entries"] == figures["calls"] >= figures["requests"]
    assert figures["audit_chain_linked"]
    assert ApiKey.objects.get(department=lookups.DEPARTMENT).revoked_at is not None

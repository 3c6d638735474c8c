"""Fuzzing the OpenAPI description with schemathesis, in-process over WSGI: no 5xx and no
response that breaks the description, with a valid key, with a read-only key and with none."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
)

from tests.api.helpers import make_key
from tests.measures.helpers import graded_a, penalised

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance, negative_data_rejection, ignored_auth]


def _fuzz(headers: dict[str, str], examples: int) -> list[int]:
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _fuzz_calls(headers, examples)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_calls(headers: dict[str, str], examples: int) -> list[int]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    strategy = st.one_of(
        schema.as_strategy(GenerationMode.POSITIVE, headers=headers),
        schema.as_strategy(GenerationMode.NEGATIVE, headers=headers),
    )
    seen: list[int] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):  # type: ignore[no-untyped-def]
        response = case.call()
        seen.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    run()
    return seen


def test_fuzzing_with_a_key_of_every_scope_finds_no_server_error_and_no_schema_break():
    graded_a(), penalised()
    statuses = _fuzz({"Authorization": f"Bearer {make_key(rate=100_000)}"}, 300)
    assert not [s for s in statuses if s >= 500]
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)


def test_fuzzing_with_a_read_only_key_and_with_no_key_is_refused_cleanly():
    statuses = _fuzz({"Authorization": f"Bearer {make_key('read_grades', rate=100_000)}"}, 60)
    assert not [s for s in statuses if s >= 500]
    anonymous = _fuzz({}, 60)
    assert set(anonymous) <= {400, 401, 404, 405, 413, 422}
    assert 401 in anonymous

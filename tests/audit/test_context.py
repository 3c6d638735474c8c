"""Who is acting: acting_as, the command-line default and the web middleware (AU2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from laborcredit.audit.context import acting_as, command_line_actor, current_context
from laborcredit.audit.middleware import AuditContextMiddleware
from laborcredit.audit.models import AuditEntry
from laborcredit.audit.services import audit_append


def test_the_command_line_actor_is_the_os_user_prefixed_cli(monkeypatch):
    monkeypatch.delenv("LABORCREDIT_ACTOR", raising=False)
    monkeypatch.delenv("SUDO_USER", raising=False)
    monkeypatch.setenv("USER", "wangwu")
    monkeypatch.setenv("LOGNAME", "wangwu")
    assert command_line_actor() == "cli:wangwu"
    monkeypatch.setenv("SUDO_USER", "zhaoliu")
    assert command_line_actor() == "cli:zhaoliu"
    monkeypatch.setenv("LABORCREDIT_ACTOR", "ops")
    assert command_line_actor() == "cli:ops"


def test_without_a_context_the_command_line_is_acting():
    context = current_context()
    assert context.actor.startswith("cli:")
    assert context.address == "local"
    assert context.request_id


def test_acting_as_sets_the_actor_for_the_block_only():
    with acting_as(actor="zhangsan", role="credit_officer", address="10.0.0.2") as context:
        assert current_context() == context
        assert len(context.request_id) == 32
    assert current_context().actor.startswith("cli:")


def test_acting_as_inside_another_keeps_its_request_id_unless_given_one():
    with acting_as(actor="a", request_id="req-1"):
        with acting_as(actor="b") as inner:
            assert inner.request_id == "req-1"
        with acting_as(actor="c", request_id="req-2") as other:
            assert other.request_id == "req-2"


def test_separate_acting_as_blocks_get_separate_request_ids():
    with acting_as(actor="a") as first:
        pass
    with acting_as(actor="a") as second:
        pass
    assert first.request_id != second.request_id


def _view_that_audits(request):
    with transaction.atomic():
        audit_append(event="audit_query", object_type="audit_log")
    return HttpResponse("ok")


@pytest.mark.django_db
def test_the_middleware_names_the_user_their_first_group_the_address_and_the_request_id():
    user = User.objects.create_user("zhangsan", password="x" * 12)
    user.groups.add(Group.objects.create(name="稽查员"), Group.objects.create(name="审计管理员"))
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.8.7", HTTP_X_REQUEST_ID="abc-123")
    request.user = user
    response = AuditContextMiddleware(_view_that_audits)(request)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.role, entry.address, entry.request_id) == (
        "zhangsan",
        "审计管理员",
        "10.9.8.7",
        "abc-123",
    )
    assert response["X-Request-ID"] == "abc-123"
    assert current_context().actor.startswith("cli:")


@pytest.mark.django_db
def test_the_middleware_makes_a_request_id_when_the_header_is_missing_or_unsafe():
    for header in ({}, {"HTTP_X_REQUEST_ID": "bad\nid"}, {"HTTP_X_REQUEST_ID": "x" * 65}):
        request = RequestFactory().get("/", **header)
        request.user = AnonymousUser()
        response = AuditContextMiddleware(_view_that_audits)(request)
        assert len(response["X-Request-ID"]) == 32
    assert {e.actor for e in AuditEntry.objects.all()} == {""}
    assert len({e.request_id for e in AuditEntry.objects.all()}) == 3


@pytest.mark.django_db
def test_the_middleware_sees_a_login_made_during_the_request():
    user = User.objects.create_user("lisi", password="x" * 12)

    def login_view(request):
        request.user = user
        return _view_that_audits(request)

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    AuditContextMiddleware(login_view)(request)
    assert AuditEntry.objects.get().actor == "lisi"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_is_the_client_the_proxy_saw(settings):
    settings.LABORCREDIT_AUDIT_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40"
    )
    request.user = AnonymousUser()
    AuditContextMiddleware(_view_that_audits)(request)
    assert AuditEntry.objects.get().address == "10.20.30.40"

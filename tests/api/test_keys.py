"""API keys: the system administrator's page /apikeys/ and `laborcredit apikeys` (第六条)."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core.management import CommandError, call_command

from laborcredit.api.models import ApiKey
from laborcredit.audit.models import AuditEntry
from tests.accounts.helpers import make_user
from tests.api.helpers import call
from tests.measures.helpers import graded_a

pytestmark = pytest.mark.django_db

NEXT_YEAR = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


@pytest.fixture
def sysadmin(client):
    client.force_login(make_user("xitong", "system_admin"))
    return client


def _create(client, **fields):  # type: ignore[no-untyped-def]
    data = {"department": "舞钢市市场监督管理局", "scopes": ["read_grades"], "expires": NEXT_YEAR,
            "rate": "30", **fields}  # fmt: skip
    return client.post("/apikeys/", data)


def test_the_system_administrator_creates_a_key_shown_once_and_stored_hashed(sysadmin, client):
    response = _create(sysadmin)
    assert response.status_code == 200
    token = re.search(r'<code id="token">([^<]+)</code>', response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert (key.department, key.scopes, key.rate_limit_per_minute) == (
        "舞钢市市场监督管理局",
        ["read_grades"],
        30,
    )
    assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiKey.objects.values()))
    assert response["Cache-Control"] == "private, no-store"
    listing = sysadmin.get("/apikeys/").content.decode()
    assert key.prefix in listing and token not in listing
    entry = AuditEntry.objects.filter(event="api_key_create").get()
    assert (entry.actor, entry.object_id) == ("xitong", key.prefix)
    assert token not in str(entry.data)
    employer = graded_a()
    assert call(client, "GET", f"/api/v1/employers/{employer.uscc}/grade", token).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"scopes": []},
        {"expires": "2001-01-01"},
        {"department": ""},
        {"rate": "0"},
        {"scopes": ["root"]},
    ],
    ids=["no-scope", "past", "no-department", "zero-rate", "unknown-scope"],
)
def test_a_bad_key_form_is_refused_and_creates_nothing(sysadmin, fields):
    response = _create(sysadmin, **fields)
    assert response.status_code == 400
    assert (
        'class="field-error"' in response.content.decode()
        or "problems" in response.content.decode()
    )
    assert not ApiKey.objects.exists()


def test_a_revoked_key_is_refused_at_once(sysadmin, client):
    token = re.search(r'<code id="token">([^<]+)</code>', _create(sysadmin).content.decode()).group(
        1
    )
    key = ApiKey.objects.get()
    sysadmin.post(f"/apikeys/{key.prefix}/revoke")  # without the confirmation: nothing happens
    key.refresh_from_db()
    assert key.revoked_at is None
    response = sysadmin.post(f"/apikeys/{key.prefix}/revoke", {"confirm": "yes"})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == "xitong"
    assert AuditEntry.objects.filter(event="api_key_revoke", object_id=key.prefix).count() == 1
    employer = graded_a()
    response = call(client, "GET", f"/api/v1/employers/{employer.uscc}/grade", token)
    assert response.json()["code"] == "api-key-revoked"
    assert sysadmin.post(f"/apikeys/{key.prefix}/revoke", {"confirm": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(event="api_key_revoke").count() == 1


@pytest.mark.parametrize("role", ["credit_officer", "security_admin", "audit_admin"])
def test_other_roles_may_not_see_or_create_keys(client, role):
    client.force_login(make_user("other", role))
    assert client.get("/apikeys/").status_code == 403
    assert _create(client).status_code == 403
    assert not ApiKey.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/apikeys/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_command_creates_lists_and_revokes_keys(capsys):
    call_command("apikeys", "create", "--department", "市住建局", "--scopes", "read_grades,read_records",
                 "--expires", NEXT_YEAR, "--rate", "10")  # fmt: skip
    out = capsys.readouterr().out
    token = re.search(r"lc_[0-9a-f]{12}_\S+", out).group()
    key = ApiKey.objects.get()
    assert key.scopes == ["read_grades", "read_records"] and key.rate_limit_per_minute == 10
    assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    call_command("apikeys", "list")
    listing = capsys.readouterr().out
    assert key.prefix in listing and "有效" in listing and token not in listing
    assert f"有效至 {NEXT_YEAR}" in listing
    call_command("apikeys", "revoke", key.prefix)
    assert "已吊销" in capsys.readouterr().out
    call_command("apikeys", "list")
    assert "已吊销" in capsys.readouterr().out


def test_the_command_refuses_bad_input_in_chinese():
    with pytest.raises(CommandError, match="未知的权限范围"):
        call_command(
            "apikeys", "create", "--department", "x", "--scopes", "all", "--expires", NEXT_YEAR
        )
    with pytest.raises(CommandError, match="有效期须晚于今天"):
        call_command("apikeys", "create", "--department", "x", "--scopes", "read_grades",
                     "--expires", "2020-01-01")  # fmt: skip
    with pytest.raises(CommandError, match="日期格式"):
        call_command(
            "apikeys", "create", "--department", "x", "--scopes", "read_grades", "--expires", "明年"
        )
    with pytest.raises(CommandError, match="没有前缀"):
        call_command("apikeys", "revoke", "nosuchprefix")
    assert not ApiKey.objects.exists()

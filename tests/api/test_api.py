"""第六条: the department API — keys, scopes, every endpoint, errors as JSON, audit."""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

import pytest

from laborcredit.api.models import ApiRecordRequest
from laborcredit.api.services import apikey_revoke
from laborcredit.audit.models import AuditEntry
from laborcredit.credit.models import CreditRecord
from laborcredit.credit.services import record_create
from tests.api.helpers import call, expire, make_key
from tests.factories import EmployerFactory, make_uscc
from tests.measures.helpers import CASE, graded_a, penalised
from tests.web.helpers import penalise

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _objection_number() -> tuple[str, str]:
    from tests.objections.helpers import file_paper, penalised_employer

    employer, _found, penalty = penalised_employer()
    objection = file_paper(employer, [penalty])
    return objection.number, employer.uscc


def _record_body(caller_id: str = "JC-2026-0001", **fields):  # type: ignore[no-untyped-def]
    return {
        "caller_id": caller_id,
        "type": "violation_found",
        "date": (TODAY() - datetime.timedelta(days=3)).isoformat(),
        "case": "舞人社监〔2026〕88号",
        **fields,
    }


# Every endpoint: (method, url maker, body maker, scope).
def _endpoints():  # type: ignore[no-untyped-def]
    return [
        ("GET", lambda u: f"/api/v1/employers/{u}/grade", None, "read_grades"),
        ("POST", lambda u: "/api/v1/grades/batch", lambda u: {"codes": [u]}, "read_grades"),
        ("GET", lambda u: f"/api/v1/employers/{u}/measures", None, "read_grades"),
        ("GET", lambda u: f"/api/v1/employers/{u}/credit-file", None, "read_records"),
        (
            "POST",
            lambda u: f"/api/v1/employers/{u}/records",
            lambda u: _record_body(),
            "write_records",
        ),
        ("GET", lambda u: "/api/v1/objections/" + quote(u), None, "read_records"),
        ("GET", lambda c: f"/api/v1/reports/{c}/verification", None, "read_grades"),
    ]


ENDPOINT_IDS = ["grade", "batch", "measures", "credit-file", "records", "objection", "report"]


@pytest.fixture
def target():  # type: ignore[no-untyped-def]
    """An employer and, for the objection endpoint, an objection number."""
    from laborcredit.credit.models import Employer
    from laborcredit.reports.services import report_issue

    number, uscc = _objection_number()
    report = report_issue(employer=Employer.objects.get(uscc=uscc), actor="officer")
    return {"uscc": uscc, "number": number, "code": report.code}


def _url_body(index, target):  # type: ignore[no-untyped-def]
    method, url, body, scope = _endpoints()[index]
    key = {"objection": target["number"], "report": target["code"]}.get(
        ENDPOINT_IDS[index], target["uscc"]
    )
    return method, url(key), body(key) if body else None, scope


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
def test_every_endpoint_refuses_a_call_without_a_key(client, target, index):
    method, url, body, _ = _url_body(index, target)
    response = call(client, method, url, None, body)
    assert response.status_code == 401
    assert response.json()["code"] == "api-key-missing"
    assert "接口密钥" in response.json()["message"]


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
def test_every_endpoint_refuses_an_expired_a_revoked_and_a_forged_key(client, target, index):
    method, url, body, _ = _url_body(index, target)
    expired, revoked = make_key(), make_key()
    expire(expired)
    apikey_revoke(prefix=revoked.split("_")[1], actor="sysadmin")
    forged = revoked[:-4] + ("AAAA" if not revoked.endswith("AAAA") else "BBBB")
    for token, code in ((expired, "api-key-expired"), (revoked, "api-key-revoked"),
                        (forged, "api-key-invalid"), ("not-a-key", "api-key-invalid")):  # fmt: skip
        response = call(client, method, url, token, body)
        assert (response.status_code, response.json()["code"]) == (401, code)
    assert not CreditRecord.objects.filter(source="api").exists()


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
def test_every_endpoint_refuses_a_key_without_its_scope(client, target, index):
    method, url, body, scope = _url_body(index, target)
    others = [s for s in ("read_grades", "read_records", "write_records") if s != scope]
    response = call(client, method, url, make_key(*others), body)
    assert response.status_code == 403
    assert response.json()["code"] == "scope-missing"
    assert scope in response.json()["message"]
    assert not CreditRecord.objects.filter(source="api").exists()


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
def test_every_endpoint_answers_a_key_with_its_scope(client, target, index):
    method, url, body, scope = _url_body(index, target)
    response = call(client, method, url, make_key(scope), body)
    assert response.status_code in (200, 201), response.content
    assert response["Content-Type"].startswith("application/json")


def test_the_grade_of_one_employer(client):
    employer = penalised(name="舞钢市某某建筑有限公司")
    body = call(
        client, "GET", f"/api/v1/employers/{employer.uscc}/grade", make_key("read_grades")
    ).json()
    assert body == {
        "uscc": employer.uscc,
        "name": "舞钢市某某建筑有限公司",
        "grade": "C",
        "grade_label": body["grade_label"],
        "as_of": TODAY().isoformat(),
        "pending_review": False,
    }
    assert body["grade_label"]


def test_a_lower_case_code_is_read_as_upper_case(client):
    employer = graded_a()
    response = call(client, "GET", f"/api/v1/employers/{employer.uscc.lower()}/grade", make_key())
    assert response.json()["uscc"] == employer.uscc


def test_an_invalid_code_is_a_400_and_an_unknown_one_a_404(client):
    token = make_key()
    bad = make_uscc(1)[:-1] + ("0" if make_uscc(1)[-1] != "0" else "1")
    response = call(client, "GET", f"/api/v1/employers/{bad}/grade", token)
    assert (response.status_code, response.json()["code"]) == (400, "uscc-invalid")
    response = call(client, "GET", f"/api/v1/employers/{make_uscc(4242)}/grade", token)
    assert (response.status_code, response.json()["code"]) == (404, "employer-unknown")
    assert make_uscc(4242) in response.json()["message"]


def test_the_batch_answers_each_code_in_order(client):
    a, c = graded_a(), penalised()
    codes = [c.uscc, "garbage", make_uscc(4243), a.uscc.lower()]
    body = call(client, "POST", "/api/v1/grades/batch", make_key(), {"codes": codes}).json()
    assert body["count"] == 4
    first, second, third, fourth = body["results"]
    assert (first["found"], first["grade"]["grade"]) == (True, "C")
    assert (second["found"], second["code"]) == (False, "uscc-invalid")
    assert (third["found"], third["code"]) == (False, "employer-unknown")
    assert (fourth["uscc"], fourth["grade"]["grade"]) == (a.uscc, "A")


def test_a_batch_of_1000_codes_is_answered_and_1001_refused_with_422(client):
    token = make_key()
    employer = graded_a()
    codes = [employer.uscc] * 1000
    response = call(client, "POST", "/api/v1/grades/batch", token, {"codes": codes})
    assert response.status_code == 200 and response.json()["count"] == 1000
    response = call(
        client, "POST", "/api/v1/grades/batch", token, {"codes": [*codes, employer.uscc]}
    )
    assert (response.status_code, response.json()["code"]) == (422, "batch-too-large")


@pytest.mark.parametrize(
    "body, status, code",
    [
        ("{not json", 400, "malformed-json"),
        ({"codes": "91410481"}, 422, "invalid-body"),
        ({"codes": [1, 2]}, 422, "invalid-body"),
        ({"codes": [], "extra": 1}, 422, "invalid-body"),
        ([1, 2, 3], 422, "invalid-body"),
        ({"codes": ["a\x00b"]}, 422, "invalid-body"),
    ],
    ids=["malformed", "string", "numbers", "extra-field", "array", "nul"],
)
def test_a_bad_body_is_a_4xx_json_error_in_chinese(client, body, status, code):
    response = call(client, "POST", "/api/v1/grades/batch", make_key(), body)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


def test_an_oversize_body_is_a_413_before_it_is_read(client):
    response = call(
        client,
        "POST",
        "/api/v1/grades/batch",
        make_key(),
        '{"codes": ["' + "x" * (1024 * 1024) + '"]}',
    )
    assert (response.status_code, response.json()["code"]) == (413, "body-too-large")


def test_an_unknown_path_and_a_wrong_method_are_json_errors(client):
    token = make_key()
    response = call(client, "GET", "/api/v1/no-such-thing", token)
    assert (response.status_code, response.json()["code"]) == (404, "not-found")
    response = call(client, "DELETE", f"/api/v1/employers/{graded_a().uscc}/grade", token)
    assert (response.status_code, response.json()["code"]) == (405, "method-not-allowed")


def test_the_measures_that_apply_to_a_c_employer(client):
    employer = penalised()
    body = call(
        client, "GET", f"/api/v1/employers/{employer.uscc}/measures", make_key("read_grades")
    ).json()
    assert body["grade"] == "C"
    assert body["priority_handling"] is False and body["commitment_approval_narrowed"] is True
    assert body["measures"] and all(m["citation"].startswith("第十七条") for m in body["measures"])
    assert body["blacklist_listed_on"] is None and body["blacklist_removed_on"] is None


def test_the_measures_of_a_blacklisted_employer_carry_its_listing_and_removal(client):
    employer = EmployerFactory()
    listed = TODAY() - datetime.timedelta(days=400)
    removed = TODAY() - datetime.timedelta(days=30)
    record_create(employer=employer, type="blacklist_listed", date=listed, actor="officer")
    record_create(employer=employer, type="blacklist_removed", date=removed, actor="officer")
    body = call(
        client, "GET", f"/api/v1/employers/{employer.uscc}/measures", make_key("read_grades")
    ).json()
    assert body["grade"] == "C" and body["joint_punishment"] is True
    assert body["blacklist_listed_on"] == listed.isoformat()
    assert body["blacklist_removed_on"] == removed.isoformat()


def test_the_credit_file_shows_public_and_shared_records_never_internal(client):
    employer = EmployerFactory(legal_rep_name="张三明")
    day = TODAY() - datetime.timedelta(days=10)
    for disclosure, description in (("public", "公开"), ("shared", "共享 410481199001011236"),
                                    ("internal", "内部线索")):  # fmt: skip
        record_create(employer=employer, type="harmonious_certified", date=day,
                      disclosure=disclosure, description=description, actor="officer")  # fmt: skip
    response = call(
        client, "GET", f"/api/v1/employers/{employer.uscc}/credit-file", make_key("read_records")
    )
    body = response.json()
    assert [r["disclosure"] for r in body["records"]] == ["public", "shared"]
    assert "内部线索" not in response.content.decode()
    assert "410481199001011236" not in response.content.decode()
    assert body["records"][1]["description"] == "共享 410481********1236"
    assert body["employer"]["legal_rep_name"] == "张*明"


def test_a_department_files_a_record_and_the_employer_is_regraded(client):
    employer = graded_a()
    token = make_key("write_records", department="市人社局劳动保障监察支队")
    body = _record_body(caller_id="JC-1")
    response = call(client, "POST", f"/api/v1/employers/{employer.uscc}/records", token, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["created"] is True and answer["record"]["type"] == "violation_found"
    record = CreditRecord.objects.get(pk=answer["record"]["id"])
    assert (record.source, record.source_ref) == ("api", "市人社局劳动保障监察支队:JC-1")
    penalty = _record_body(caller_id="JC-2", type="penalty_imposed")
    response = call(client, "POST", f"/api/v1/employers/{employer.uscc}/records", token, penalty)
    assert response.status_code == 201 and response.json()["grade"]["grade"] == "C"


def test_a_penalty_is_filed_with_its_shuang_gong_shi_details_and_answered_with_them(client):
    employer = graded_a()
    token = make_key("write_records")
    url = f"/api/v1/employers/{employer.uscc}/records"
    assert call(client, "POST", url, token, _record_body(caller_id="SG-1")).status_code == 201
    penalty = _record_body(
        caller_id="SG-2", type="penalty_imposed", document_number="舞人社罚〔2026〕88号",
        violation_type="未按时足额支付劳动报酬", penalty_category="罚款", fine_amount=2000.5,
        penalty_basis="《劳动保障监察条例》第二十六条", penalty_content="罚款人民币贰仟元伍角",
    )  # fmt: skip
    response = call(client, "POST", url, token, penalty)
    assert response.status_code == 201, response.content
    answer = response.json()["record"]
    assert (answer["penalty_category"], answer["fine_amount"]) == ("罚款", "2000.50")
    assert answer["violation_type"] == "未按时足额支付劳动报酬"
    record = CreditRecord.objects.get(pk=answer["id"])
    assert record.penalty_basis == "《劳动保障监察条例》第二十六条"


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"fine_amount": "2000"}, 422, "field-not-applicable"),  # on a violation
        ({"type": "penalty_imposed", "fine_amount": "abc"}, 422, "invalid-body"),
        ({"type": "penalty_imposed", "penalty_category": "罚金"}, 422, "value-invalid"),
        ({"type": "penalty_imposed", "fine_amount": -1, "penalty_category": "罚款"}, 422,
         "value-invalid"),
    ],
)  # fmt: skip
def test_bad_penalty_details_are_refused_with_a_stable_code_and_nothing_is_filed(
    client, fields, status, code
):
    employer = graded_a()
    token = make_key("write_records")
    url = f"/api/v1/employers/{employer.uscc}/records"
    before = CreditRecord.objects.count()
    response = call(client, "POST", url, token, _record_body(caller_id="SG-9", **fields))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert CreditRecord.objects.count() == before


def test_a_retry_with_the_same_caller_id_returns_the_same_record(client):
    employer = graded_a()
    token = make_key("write_records")
    url = f"/api/v1/employers/{employer.uscc}/records"
    first = call(client, "POST", url, token, _record_body())
    again = call(client, "POST", url, token, _record_body())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert again.json()["record"]["id"] == first.json()["record"]["id"]
    assert CreditRecord.objects.filter(employer=employer).count() == 1


def test_the_same_caller_id_with_another_body_is_a_409_and_files_nothing(client):
    employer = graded_a()
    token = make_key("write_records")
    url = f"/api/v1/employers/{employer.uscc}/records"
    assert call(client, "POST", url, token, _record_body()).status_code == 201
    response = call(client, "POST", url, token, _record_body(case="舞人社监〔2026〕99号"))
    assert (response.status_code, response.json()["code"]) == (409, "idempotency-conflict")
    assert CreditRecord.objects.filter(employer=employer).count() == 1


def test_a_refused_record_is_a_422_with_its_problems_and_the_caller_id_stays_free(client):
    employer = graded_a()
    token = make_key("write_records")
    url = f"/api/v1/employers/{employer.uscc}/records"
    future = _record_body(date=(TODAY() + datetime.timedelta(days=2)).isoformat())
    response = call(client, "POST", url, token, future)
    assert (response.status_code, response.json()["code"]) == (422, "date-in-future")
    assert response.json()["problems"][0]["place"].endswith("date")
    assert not ApiRecordRequest.objects.exists()
    assert call(client, "POST", url, token, _record_body()).status_code == 201


def test_a_full_id_number_in_a_record_s_text_is_refused_as_the_form_refuses_it(client):
    employer = graded_a()
    url = f"/api/v1/employers/{employer.uscc}/records"
    body = _record_body(issuing_body="经办人 410481199001011236")
    response = call(client, "POST", url, make_key("write_records"), body)
    answer = response.json()
    assert (response.status_code, answer["code"]) == (422, "id-number-in-text")
    assert [p["place"] for p in answer["problems"]] == ["record.issuing_body"]
    assert (
        "身份证号码" in answer["message"] and "410481199001011236" not in response.content.decode()
    )
    assert not CreditRecord.objects.filter(employer=employer).exists()
    assert not ApiRecordRequest.objects.exists()


def test_every_text_of_a_record_is_masked_in_the_credit_file(client):
    """Records filed before such text was refused (imports still take it) show no full number."""
    employer = EmployerFactory()
    record_create(
        employer=employer, type="violation_found", date=TODAY() - datetime.timedelta(days=5),
        case="舞人社监〔2026〕410481199001011236号", issuing_body="经办人 410481199001011236",
        document_number="410481199001011236", actor="officer",
    )  # fmt: skip
    response = call(
        client, "GET", f"/api/v1/employers/{employer.uscc}/credit-file", make_key("read_records")
    )
    assert response.status_code == 200
    assert "410481199001011236" not in response.content.decode()
    assert response.json()["records"][0]["issuing_body"] == "经办人 410481********1236"


def test_a_penalty_without_its_violation_is_refused(client):
    employer = graded_a()
    body = _record_body(type="penalty_imposed", case=CASE + "不存在")
    response = call(client, "POST", f"/api/v1/employers/{employer.uscc}/records", make_key(), body)
    assert (response.status_code, response.json()["code"]) == (422, "case-unknown")
    assert not CreditRecord.objects.filter(employer=employer).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"type": "no_such_type"},
        {"date": "2026-13-01"},
        {"passed": "maybe"},
        {"caller_id": ""},
        {"unknown": 1},
        {"case": "x" * 101},
        {"description": "a\x00b"},
    ],
    ids=["type", "date", "bool", "caller-id", "unknown-field", "long-case", "nul"],
)
def test_a_record_of_the_wrong_shape_is_a_422(client, change):
    employer = graded_a()
    body = {**_record_body(), **change}
    response = call(client, "POST", f"/api/v1/employers/{employer.uscc}/records", make_key(), body)
    assert (response.status_code, response.json()["code"]) == (422, "invalid-body")
    assert not CreditRecord.objects.filter(employer=employer).exists()


def test_an_objections_status_by_its_number(client):
    number, uscc = _objection_number()
    response = call(client, "GET", "/api/v1/objections/" + quote(number), make_key("read_records"))
    body = response.json()
    assert (body["number"], body["uscc"], body["state"]) == (number, uscc, "received")
    assert body["deadline_tentative"] is True
    assert "受理时确定处理方式" in body["deadline_note"]
    assert "reasons" not in body
    response = call(client, "GET", "/api/v1/objections/" + quote("异议〔2099〕9999"), make_key())
    assert (response.status_code, response.json()["code"]) == (404, "objection-unknown")


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(client):
    employer = graded_a()
    token = make_key(rate=3)
    url = f"/api/v1/employers/{employer.uscc}/grade"
    assert [call(client, "GET", url, token).status_code for _ in range(3)] == [200] * 3
    response = call(client, "GET", url, token)
    assert (response.status_code, response.json()["code"]) == (429, "rate-limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    other = make_key(rate=3)
    assert call(client, "GET", url, other).status_code == 200  # counted per key


def test_every_call_is_audited_with_who_what_and_which_employers(client):
    employer = graded_a()
    token = make_key(department="市住建局")
    prefix = token.split("_")[1]
    before = AuditEntry.objects.filter(event="api_call").count()
    call(client, "GET", f"/api/v1/employers/{employer.uscc}/grade", token)
    call(client, "GET", f"/api/v1/employers/{employer.uscc}/credit-file", make_key("read_grades"))
    call(client, "GET", f"/api/v1/employers/{employer.uscc}/grade")
    entries = list(AuditEntry.objects.filter(event="api_call").order_by("seq"))[before:]
    assert len(entries) == 3
    ok, denied, anonymous = entries
    assert (ok.object_id, ok.actor, ok.outcome) == (prefix, "api:市住建局", "success")
    assert ok.data["employers"] == [employer.uscc] and ok.data["department"] == "市住建局"
    assert ok.data["endpoint"] == "employer-grade"
    assert (denied.outcome, denied.data["status"], denied.data["code"]) == (
        "denied",
        403,
        "scope-missing",
    )
    assert (anonymous.outcome, anonymous.data["code"]) == ("denied", "api-key-missing")


def test_a_batch_call_audits_the_count_and_the_first_codes(client):
    employers = [graded_a(n) for n in range(9200, 9230)]
    call(client, "POST", "/api/v1/grades/batch", make_key(), {"codes": [e.uscc for e in employers]})
    entry = AuditEntry.objects.filter(event="api_call").order_by("-seq").first()
    assert entry.data["employer_count"] == 30
    assert entry.data["employers"] == [e.uscc for e in employers[:20]]


def test_a_record_filed_through_the_api_is_audited_as_the_department(client):
    employer = graded_a()
    call(
        client,
        "POST",
        f"/api/v1/employers/{employer.uscc}/records",
        make_key(department="市应急局"),
        _record_body(),
    )
    entry = AuditEntry.objects.filter(event="record_create").order_by("-seq").first()
    assert entry.actor == "api:市应急局"
    assert entry.data["uscc"] == employer.uscc


def test_the_docs_and_the_description_are_served_by_the_application_itself(client):
    import re

    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert not re.search(r"(?:https?:)?//(?!testserver)[a-z0-9.-]+", page)
    for asset in re.findall(r'(?:src|href)="(/[^"#]+)"', page):
        assert client.get(asset).status_code in (200, 302), asset
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/employers/{uscc}/records" in schema["paths"]
    assert client.get("/api/v1/docs/assets/swagger-ui-bundle.js").status_code == 404


def test_the_docs_describe_every_endpoint_and_field_in_chinese(client):
    page = client.get("/api/v1/docs").content.decode()
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert path in page and operation["summary"] in page
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, parameter["name"])
    for name, component in schema["components"]["schemas"].items():
        assert f'id="schema-{name}"' in page
        for field, spec in component.get("properties", {}).items():
            assert re.search(r"[\u4e00-\u9fff]", spec.get("description", "")), (name, field)
            assert spec["description"] in page
    assert "日期（YYYY-MM-DD）" in page and "统一社会信用代码" in page
    from laborcredit.api.docs import ERROR_CODES, STATUS_NAMES

    assert all(str(status) in STATUS_NAMES for status, _, _ in ERROR_CODES)  # every row named
    assert "系统管理员为每个部门系统分别开具" in page
    for english in ("Try it out", "Authorize", "Schemas", "Expand all", "Bad Request"):
        assert english not in page


def test_the_docs_list_every_error_code_the_interface_answers():
    from pathlib import Path

    import laborcredit.api.urls as urls
    import laborcredit.api.v1 as v1
    from laborcredit.api.docs import ERROR_CODES

    listed = {(status, code) for status, code, _ in ERROR_CODES}
    source = Path(v1.__file__).read_text() + Path(urls.__file__).read_text()
    raised = set(re.findall(r'ApiError\(\s*(\d+),\s*"([a-z-]+)"', source))
    raised |= {("401", code) for code in v1.KEY_MESSAGES}
    raised |= {(str(status), code) for status, (code, _) in urls._STATUS_CODES.items()}
    raised.add(("429", "rate-limited"))
    assert raised and {(int(s), c) for s, c in raised} <= listed


def test_the_root_of_the_api_points_to_its_docs_in_json(client):
    response = client.get("/api/v1/")
    assert response.status_code == 404
    assert response.json()["code"] == "not-found" and "/api/v1/docs" in response.json()["message"]


def test_a_credit_reports_code_verifies_through_the_api_and_an_altered_one_does_not(client):
    from laborcredit.reports.services import report_issue

    employer = graded_a()
    code = report_issue(employer=employer, actor="officer").code
    token = make_key("read_grades")
    body = call(client, "GET", f"/api/v1/reports/{code}/verification", token).json()
    assert body["authentic"] and body["employer_uscc"] == employer.uscc
    assert body["still_current"] and body["grade"] == "A"
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = call(client, "GET", f"/api/v1/reports/{altered}/verification", token)
    assert response.status_code == 200 and response.json()["authentic"] is False
    penalise(employer)
    body = call(client, "GET", f"/api/v1/reports/{code}/verification", token).json()
    assert body["authentic"] and not body["still_current"] and body["current_grade"] == "C"


def test_a_correction_dated_before_its_violation_is_refused_with_date_order(client):
    employer = graded_a()
    token = make_key()
    url = f"/api/v1/employers/{employer.uscc}/records"
    found = _record_body(date=(TODAY() - datetime.timedelta(days=3)).isoformat())
    assert call(client, "POST", url, token, found).status_code == 201
    early = (TODAY() - datetime.timedelta(days=10)).isoformat()
    body = _record_body("JC-2026-0002", type="violation_corrected", date=early)
    response = call(client, "POST", url, token, body)
    assert (response.status_code, response.json()["code"]) == (422, "date-order")
    assert early in response.json()["message"]
    assert CreditRecord.objects.filter(employer=employer).count() == 1

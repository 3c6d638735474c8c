"""AC2: an employer sees only itself — never another employer, never an internal-only record.

Employer A, logged in, tries everything: B's objection and attachment ids, B's and
internal record ids in the objection form, codes in the URL and the form, every
portal page; every answer is searched for B's name, code and case numbers.
"""

from __future__ import annotations

import datetime
import random

import pytest

from laborcredit.credit.services import record_create
from laborcredit.objections.models import Objection, ObjectionAttachment
from laborcredit.objections.services import objection_file
from tests.objections.helpers import PDF, upload
from tests.portal.helpers import activated, logged_in_as, open_account

pytestmark = pytest.mark.django_db

B_CASE = "舞人社监〔2026〕乙字99号"
B_DOCUMENT = "舞人社罚字〔2026〕乙99号"
A_INTERNAL_CASE = "舞人社监〔2026〕内部77号"
A_INTERNAL_NOTE = "仅供内部参考的线索甲"

PAGES = (
    "/portal/",
    "/portal/records/",
    "/portal/history/",
    "/portal/objections/",
    "/portal/objections/new/",
    "/portal/repair/",
)


def days_ago(n: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=n)


@pytest.fixture
def world():
    """A with a public violation and an internal one; B penalised, with an objection and a file."""
    a, _ = open_account(name="舞钢市甲单位有限公司")
    b, _ = open_account(name="舞钢市乙单位有限公司")
    a_public = record_create(employer=a.employer, type="violation_found", date=days_ago(40),
                             case="舞人社监〔2026〕甲1号", actor="officer")  # fmt: skip
    a_internal = record_create(employer=a.employer, type="violation_found", date=days_ago(20),
                               case=A_INTERNAL_CASE, description=A_INTERNAL_NOTE,
                               disclosure="internal", actor="officer")  # fmt: skip
    record_create(employer=b.employer, type="violation_found", date=days_ago(30), case=B_CASE,
                  actor="officer")  # fmt: skip
    b_penalty = record_create(employer=b.employer, type="penalty_imposed", date=days_ago(30),
                              case=B_CASE, document_number=B_DOCUMENT, actor="officer")  # fmt: skip
    b_objection = objection_file(employer=b.employer, subject="records", records=[b_penalty],
                                 reasons="乙单位的异议理由", attachments=[upload("乙证明.pdf", PDF)],
                                 actor=b.user.username)  # fmt: skip
    a_objection = objection_file(employer=a.employer, subject="grade", records=[],
                                 reasons="甲单位的异议理由", attachments=[upload("甲证明.pdf", PDF)],
                                 actor=a.user.username)  # fmt: skip
    return {
        "a": a, "b": b, "a_public": a_public, "a_internal": a_internal, "b_penalty": b_penalty,
        "b_objection": b_objection, "a_objection": a_objection,
        "b_attachment": ObjectionAttachment.objects.get(objection=b_objection),
        "a_attachment": ObjectionAttachment.objects.get(objection=a_objection),
    }  # fmt: skip


def b_strings(world) -> list[str]:
    b = world["b"].employer
    return [b.name, b.uscc, B_CASE, B_DOCUMENT, "乙单位的异议理由", "乙证明.pdf",
            world["b_objection"].number]  # fmt: skip


def assert_nothing_of_b(world, response) -> None:
    body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
    for text in b_strings(world):
        assert text not in body, (response.request["PATH_INFO"], text)


def test_no_portal_page_shows_anything_of_another_employer_or_an_internal_record(client, world):
    logged_in_as(client, world["a"])
    for path in (*PAGES, f"/portal/objections/{world['a_objection'].pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_nothing_of_b(world, response)
        body = response.content.decode()
        assert A_INTERNAL_CASE not in body and A_INTERNAL_NOTE not in body, path
    assert "舞人社监〔2026〕甲1号" in client.get("/portal/records/").content.decode()


def test_codes_and_ids_in_the_url_change_nothing(client, world):
    logged_in_as(client, world["a"])
    b = world["b"].employer
    for path in ("/portal/", "/portal/records/", "/portal/history/", "/portal/repair/",
                 "/portal/objections/"):  # fmt: skip
        for query in (f"?code={b.uscc}", f"?uscc={b.uscc}", f"?employer={b.pk}",
                      f"?employer_id={b.pk}"):  # fmt: skip
            response = client.get(path + query)
            assert response.status_code == 200
            assert_nothing_of_b(world, response)
            assert world["a"].employer.name in response.content.decode()
    prefilled = client.get(f"/portal/objections/new/?record={world['b_penalty'].pk}")
    assert prefilled.status_code == 200
    assert f'value="{world["b_penalty"].pk}"' not in prefilled.content.decode()
    assert_nothing_of_b(world, prefilled)


def test_another_employers_objection_is_not_found(client, world):
    logged_in_as(client, world["a"])
    b_pk = world["b_objection"].pk
    for path in (f"/portal/objections/{b_pk}/",
                 f"/portal/objections/{b_pk}/attachments/{world['b_attachment'].pk}/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert_nothing_of_b(world, response)


def test_guessing_ids_never_reaches_another_employers_data(client, world):
    logged_in_as(client, world["a"])
    top = max(Objection.objects.values_list("pk", flat=True)) + 3
    own = world["a_objection"].pk
    for pk in range(0, top):
        response = client.get(f"/portal/objections/{pk}/")
        assert response.status_code == (200 if pk == own else 404)
        assert_nothing_of_b(world, response)


def test_another_employers_attachment_is_not_served_under_ones_own_objection(client, world):
    logged_in_as(client, world["a"])
    own = world["a_objection"].pk
    response = client.get(f"/portal/objections/{own}/attachments/{world['b_attachment'].pk}/")
    assert response.status_code == 404
    mine = client.get(f"/portal/objections/{own}/attachments/{world['a_attachment'].pk}/")
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF
    assert "attachment" in mine["Content-Disposition"]


def test_b_cannot_download_as_anyone_but_itself(client, world):
    logged_in_as(client, world["b"])
    url = f"/portal/objections/{world['b_objection'].pk}/attachments/{world['b_attachment'].pk}/"
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def objection_post(client, **fields):
    data = {"subject": "records", "reasons": "记录有误", **fields}
    return client.post("/portal/objections/new/", data)


def test_another_employers_record_in_the_objection_form_is_an_invalid_choice(client, world):
    logged_in_as(client, world["a"])
    before = Objection.objects.count()
    response = objection_post(client, records=[world["b_penalty"].pk])
    assert response.status_code == 400
    assert "所选记录不在本单位可查看的信用记录中" in response.content.decode()
    assert_nothing_of_b(world, response)
    assert Objection.objects.count() == before


def test_an_internal_record_in_the_objection_form_is_an_invalid_choice(client, world):
    logged_in_as(client, world["a"])
    before = Objection.objects.count()
    for bad in (world["a_internal"].pk, "abc", "-1", "99999999"):
        response = objection_post(client, records=[bad])
        assert response.status_code == 400, bad
        assert A_INTERNAL_CASE not in response.content.decode()
    assert Objection.objects.count() == before


def test_an_employer_field_in_the_form_is_ignored(client, world):
    logged_in_as(client, world["a"])
    b = world["b"].employer
    response = objection_post(
        client, records=[world["a_public"].pk], employer=b.pk, uscc=b.uscc, code=b.uscc
    )
    assert response.status_code == 302
    newest = Objection.objects.order_by("-id").first()
    assert newest.employer_id == world["a"].employer.pk
    assert list(newest.disputed.values_list("record_id", flat=True)) == [world["a_public"].pk]


@pytest.mark.parametrize("seed", range(6))
def test_internal_records_never_appear_whatever_the_disclosures(client, seed):
    """Property: with disclosures drawn at random, no string that only an internal record
    carries (case, document number, description) is on any portal page."""
    rng = random.Random(seed)
    account, _ = open_account()
    employer = account.employer
    secret, shown = [], []
    for n in range(rng.randint(2, 5)):
        disclosure = rng.choice(["public", "shared", "internal"])
        case = f"舞人社监〔2026〕随机{seed}-{n}号"
        document = f"舞人社罚字〔2026〕随机{seed}-{n}号"
        note = f"说明文字{seed}-{n}"
        on = days_ago(rng.randint(5, 300))
        record_create(employer=employer, type="violation_found", date=on, case=case,
                      description=note, disclosure=disclosure, actor="officer")  # fmt: skip
        if rng.random() < 0.5:
            record_create(employer=employer, type="penalty_imposed", date=on, case=case,
                          document_number=document, disclosure=disclosure,
                          actor="officer")  # fmt: skip
        elif rng.random() < 0.5:
            record_create(employer=employer, type="violation_corrected", date=on, case=case,
                          disclosure=disclosure, actor="officer")  # fmt: skip
        (secret if disclosure == "internal" else shown).append((case, document, note))
    logged_in_as(client, account)
    pages = {path: client.get(path).content.decode() for path in PAGES}
    for case, document, note in secret:
        for path, body in pages.items():
            assert case not in body and document not in body and note not in body, (path, case)
    for case, _, note in shown:
        assert case in pages["/portal/records/"] and note in pages["/portal/records/"]


def test_an_employer_verifying_a_report_sees_the_portal_s_header_not_the_staff_s(client):
    logged_in_as(client, activated())
    page = client.get("/reports/verify/").content.decode()
    assert "信用报告验证" in page
    assert "舞钢市用人单位劳动保障信用查询" in page  # the portal's brand
    assert "/accounts/password/" not in page and "/accounts/logout/" not in page

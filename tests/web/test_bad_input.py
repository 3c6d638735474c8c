"""Bad input on any page is a clear answer, never a 500 (IN1): unknown ids, malformed cursors and
parameters, out-of-range values, and NUL characters, which PostgreSQL text cannot hold."""

import pytest

from tests.accounts.helpers import make_user

pytestmark = pytest.mark.django_db

GETS = [
    "/inspections/999999/", "/inspections/999999/plan.xlsx", "/inspections/results/99999/",
    "/runs/999999/", "/runs/999999/approve/", "/runs/jobs/99999/", "/imports/999999/",
    "/imports/999999/report/", "/imports/templates/nope.xlsx", "/imports/templates/records.pdf",
    "/measures/interviews/new/bad/", "/measures/interviews/99999/", "/window/?code=" + "9" * 500,
    "/api/v1/window/" + "x" * 300, "/employers/?after=garbage", "/employers/?grade=Z&order=bogus",
    "/runs/review/?after=abc", "/audit/?before=zzz", "/inspections/?page=abc",
    "/measures/joint-punishment/?format=exe",
]  # fmt: skip
POSTS = [
    ("/runs/", {"as_of": "2026-02-30"}), ("/runs/", {"as_of": "x" * 1000}),
    ("/imports/", {"kind": "bogus"}),
    ("/runs/review/decide/", {"uscc": "bad", "decided_grade": "Z", "reason": ""}),
    ("/inspections/", {"period": "abc", "kind": "decade", "seed": "-1"}),
    ("/measures/local/", {"item": "第九十条", "title": ""}),
    ("/inspections/roster/add/", {"user": "999999"}),
    ("/inspections/roster/conflicts/", {"inspector": "x", "employer": "y"}),
]  # fmt: skip
NUL_GETS = ["/employers/?q=%00", "/employers/?q=a%00b&township=%00", "/window/?code=%00",
            "/api/v1/window/%00", "/runs/review/?q=%00"]  # fmt: skip


@pytest.mark.parametrize("role", ["credit_officer", "leadership", "inspector"])
def test_no_page_answers_bad_input_with_a_server_error(client, role):
    client.force_login(make_user(f"u_{role}", role))
    answers = [(url, client.get(url).status_code) for url in GETS + NUL_GETS]
    answers += [(url, client.post(url, data).status_code) for url, data in POSTS]
    assert [(url, status) for url, status in answers if status >= 500] == []


def test_a_nul_character_is_refused_in_chinese_before_it_reaches_the_database(client):
    client.force_login(make_user("xinyong", "credit_officer"))
    response = client.get("/employers/", {"q": "舞钢\x00"})
    assert response.status_code == 400
    assert "不允许的控制字符" in response.content.decode()
    response = client.post("/runs/", {"as_of": "2026\x00-01-01"})
    assert response.status_code == 400


def test_under_the_api_the_refusal_is_json_with_a_stable_code(client):
    client.force_login(make_user("chuangkou", "licensing_window"))
    response = client.get("/api/v1/window/91410481MA%00")
    assert response.status_code == 400
    assert response.json()["code"] == "null-character"


def test_a_get_on_a_post_only_action_says_why_in_chinese(client):
    from laborcredit.web.middleware import NOT_ALLOWED
    from tests.accounts.helpers import make_user

    client.force_login(make_user("xinyong_405", "credit_officer"))
    response = client.get("/repair/91410481MA00000017/adjust/")
    assert response.status_code == 405
    assert NOT_ALLOWED in response.content.decode() and response["Allow"] == "POST"

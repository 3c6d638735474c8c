"""CF1: error pages in Chinese, never a traceback — a forced exception, and a form refused by
the CSRF check (a page opened before logging in again)."""

import pytest
from django.test import Client
from django.urls import path

from laborcredit.urls import urlpatterns as site_urls
from tests.web.helpers import log_in, user_with

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("forced failure with a secret path /srv/secret.py")


urlpatterns = [path("boom/", _boom), *site_urls]


@pytest.mark.urls(__name__)
def test_an_exception_gets_the_chinese_500_page_without_a_traceback(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in page and "请联系系统管理员" in page
    for leak in ("Traceback", "RuntimeError", "secret", "Server Error"):
        assert leak not in page


def test_a_stale_form_is_refused_in_chinese_and_changes_nothing():
    client = Client(enforce_csrf_checks=True)
    user = user_with("credit.view_employer")
    log_in(client, user)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": "stale"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page and "没有保存任何内容" in page
    assert "officer" in page  # the page of the site, its header with the user (not a bare page)
    for english in ("Forbidden", "CSRF", "DEBUG"):
        assert english not in page
    assert client.get("/").wsgi_request.user.is_authenticated  # the logout did not happen

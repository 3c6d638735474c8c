"""Users for the page tests, holding exactly the permissions a test names."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User


def user_with(*perms: str, username: str = "officer") -> User:
    user = User.objects.create_user(username=username, password="x-Strong-Pass-2026")
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def log_in(client, user: User):  # type: ignore[no-untyped-def]
    """The one place the page tests sign a user in."""
    client.force_login(user)
    return client


def assert_no_outside_assets(page: str) -> None:
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page


def penalise(employer, case: str = "舞人社监〔2026〕7号", days_ago: int = 30):  # type: ignore[no-untyped-def]
    """第十二条(一): a violation found and an administrative penalty on it, `days_ago` days back."""
    import datetime

    from laborcredit.credit.services import record_create

    day = datetime.date.today() - datetime.timedelta(days=days_ago)
    found = record_create(
        employer=employer, type="violation_found", date=day, case=case, actor="officer"
    )
    penalty = record_create(
        employer=employer, type="penalty_imposed", date=day, case=case, actor="officer"
    )
    return found, penalty


def assert_described(page: str) -> None:
    """Every aria-describedby on the page names an element that is there: an error or a help
    text a screen reader can read out beside its field (WCAG 1.3.1, 3.3.1)."""
    import re

    described = [i for ids in re.findall(r'aria-describedby="([^"]+)"', page) for i in ids.split()]
    missing = [i for i in described if f'id="{i}"' not in page]
    assert not missing, missing

"""IA1: password rules, with Chinese messages; long passwords are kept whole."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from laborcredit.accounts.validators import CharacterClassesValidator, character_classes

pytestmark = pytest.mark.django_db


def refusal(password, user=None):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value


def test_a_password_of_three_classes_and_eight_characters_is_accepted():
    validate_password("Wugang26")


def test_seven_characters_are_too_few():
    error = refusal("Wgang2!")
    assert "password_too_short" in [e.code for e in error.error_list]
    assert "密码太短，至少需要 8 个字符" in error.messages


def test_two_classes_are_refused_in_chinese():
    error = refusal("wugangcredit")
    assert "password_too_few_classes" in [e.code for e in error.error_list]
    assert any("至少包含" in m for m in error.messages)


def test_the_number_of_classes_is_configurable(settings):
    settings.LABORCREDIT_PASSWORD_MIN_CLASSES = 4
    with pytest.raises(ValidationError):
        CharacterClassesValidator().validate("Wugang2026")
    CharacterClassesValidator().validate("Wugang-2026")


def test_common_passwords_are_refused():
    error = refusal("Password1")
    assert "password_too_common" in [e.code for e in error.error_list]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in error.messages)


def test_admin_admin_is_refused():
    with pytest.raises(ValidationError):
        validate_password("admin")


def test_a_password_like_the_user_name_is_refused():
    user = get_user_model()(username="wanglaoshi", first_name="王老师")
    error = refusal("Wanglaoshi1", user)
    assert "password_too_similar" in [e.code for e in error.error_list]


def test_symbols_count_as_a_class():
    assert character_classes("aB1!") == 4
    assert character_classes("中文密码ab") == 2


def test_a_100_character_password_is_kept_whole():
    user = get_user_model().objects.create_user("long")
    password = "Aa1-" + "x" * 95 + "Z"
    assert len(password) == 100
    validate_password(password, user)
    user.set_password(password)
    user.save()
    assert user.check_password(password)
    assert not user.check_password(password[:-1] + "Y")
    assert not user.check_password(password[:72])


def test_no_account_has_an_empty_or_unusable_hash_from_the_services():
    from laborcredit.accounts.services import user_create

    user = user_create(username="lisi", password="Wugang-2026", actor=None)
    assert user.has_usable_password()
    assert user.password.startswith("pbkdf2_sha256$")

"""IA1: the password's composition, configurable because ASVS and MLPS assessors disagree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    # Anything else, Chinese characters included, counts as a symbol.
    ("符号", lambda ch: not (ch.isupper() or ch.islower() or ch.isdigit())),
)


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(any(test(ch) for ch in password) for _, test in CLASSES)


class CharacterClassesValidator:
    """At least `min_classes` of the four classes (LABORCREDIT_PASSWORD_MIN_CLASSES, default 3)."""

    def __init__(self, min_classes: int | None = None) -> None:
        self._min_classes = min_classes

    @property
    def min_classes(self) -> int:
        if self._min_classes is not None:
            return self._min_classes
        return int(getattr(settings, "LABORCREDIT_PASSWORD_MIN_CLASSES", 3))

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类",
                code="password_too_few_classes",
            )

    def get_help_text(self) -> str:
        return f"至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类"


# Django's own checks, with Chinese messages that do not depend on its translation catalogue
# (whose zh_Hans entry for the length message no longer matches Django 5.2's text).


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符"

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这是常见密码，容易被猜中，请换一个"

    def get_help_text(self) -> str:
        return "不能是常见密码"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "密码与账号信息（%(verbose_name)s）过于相似"

    def get_help_text(self) -> str:
        return "不能与账号、姓名等信息相近"


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字"

    def get_help_text(self) -> str:
        return "不能全是数字"

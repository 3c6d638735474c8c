"""The base of every form: labels end in a full-width colon, as Chinese text does, and free text
never carries a full ID number (IN2: personal information only in its own, encrypted field)."""

from __future__ import annotations

from typing import Any

from django import forms

from laborcredit.lib.masking import find_id_numbers

ID_NUMBER_IN_TEXT = (
    "请勿在此填写完整的身份证号码（个人信息只在专门字段中加密保存）；可写后四位或脱敏后的号码"
)


PLAIN_MESSAGES = {
    "max_length": "不能超过 %(limit_value)d 个字符（现为 %(show_value)d 个）",
    "min_length": "不能少于 %(limit_value)d 个字符（现为 %(show_value)d 个）",
    "max_value": "不能大于 %(limit_value)s",
    "min_value": "不能小于 %(limit_value)s",
    "invalid_choice": "所选项不在可选范围内，请重新选择",
    "max_digits": "数字总共不能超过 %(max)s 位",
    "max_decimal_places": "小数不能超过 %(max)s 位",
    "max_whole_digits": "整数部分不能超过 %(max)s 位",
}
# Raised by a field's validators (codes Field.run_validators maps to the field's messages).
_BY_VALIDATOR = frozenset(
    {"max_length", "min_length", "max_value", "min_value", "max_digits", "max_decimal_places",
     "max_whole_digits"}
)  # fmt: skip
ISO_DATE = "%Y-%m-%d"
"""What an `<input type="date">` reads and gives: the zh-hans locale would write 2026/11/01,
which a browser does not accept, so the box would come up empty and the date be lost."""


def _default_messages(field: forms.Field) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django's zh_Hans catalogue keeps ":" ASCII; Chinese punctuation wants "：".
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                widget.format = ISO_DATE
            # Django's zh_Hans catalogue reads like a translation ("确保该变量包含不超过…"); say it
            # plainly — unless the form gave the field a message of its own.
            defaults = _default_messages(field)
            for code, message in PLAIN_MESSAGES.items():
                if code in _BY_VALIDATOR or code in defaults:
                    if field.error_messages.get(code, defaults.get(code)) == defaults.get(code):
                        field.error_messages[code] = message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if "id_number" in name or not isinstance(value, str):
                continue  # the ID number's own field is encrypted, not free text
            if isinstance(self.fields[name].widget, forms.PasswordInput):
                continue  # a password is never shown or logged
            if find_id_numbers(value):
                self.add_error(name, ID_NUMBER_IN_TEXT)
        return cleaned

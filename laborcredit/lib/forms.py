"""The base of every form: labels end in a full-width colon, as Chinese text does, and free text
never carries a full ID number (IN2: personal information only in its own, encrypted field)."""

from __future__ import annotations

from typing import Any

from django import forms

from laborcredit.lib.masking import find_id_numbers

ID_NUMBER_IN_TEXT = (
    "请勿在此填写完整的身份证号码（个人信息只在专门字段中加密保存）；可写后四位或脱敏后的号码"
)


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django's zh_Hans catalogue keeps ":" ASCII; Chinese punctuation wants "：".
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)

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

"""The portal's forms: fields and Chinese labels only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from laborcredit.lib.forms import Form


class LoginForm(Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=40)
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)


class ActivateForm(Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=40)
    code = forms.CharField(label="激活码", max_length=40)
    password = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    password_again = forms.CharField(
        label="再次输入新密码", strip=False, widget=forms.PasswordInput
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", "两次输入的新密码不一致")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ObjectionForm(Form):
    """第十九条: what the employer objects to, why, and its evidence."""

    subject = forms.ChoiceField(
        label="异议事项",
        choices=[("grade", "信用等级评价"), ("records", "信用记录")],
        widget=forms.RadioSelect,
    )
    records = forms.TypedMultipleChoiceField(
        label="有异议的信用记录",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选记录不在本单位可查看的信用记录中：%(value)s"},
    )
    reasons = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label="证明材料", required=False)

    def __init__(self, *args: Any, record_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The employer's own visible records only: any other id is an invalid choice.
        self.fields["records"].choices = record_choices

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("subject") == "records" and not data.get("records"):
            self.add_error("records", "请选择有异议的信用记录")
        return data


class AccountCreateForm(Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=40)

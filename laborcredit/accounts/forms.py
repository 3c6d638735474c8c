"""The account pages' forms: fields and Chinese labels only; the services decide."""

from __future__ import annotations

from django import forms

from laborcredit.accounts.roles import ROLES
from laborcredit.lib.forms import Form


class LoginForm(Form):
    username = forms.CharField(label="账号", max_length=150)
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)


class TokenForm(Form):
    token = forms.RegexField(
        label="动态验证码",
        regex=r"^\d{6}$",
        error_messages={"invalid": "请输入 6 位数字验证码"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(Form):
    old_password = forms.CharField(label="原密码", strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(
        label="再次输入新密码", strip=False, widget=forms.PasswordInput
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致")
        return data


class UserCreateForm(Form):
    username = forms.CharField(label="账号", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150, required=False)
    password = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput)


class RoleForm(Form):
    role = forms.ChoiceField(label="角色", choices=[(r.code, r.label) for r in ROLES.values()])
    action = forms.ChoiceField(choices=[("assign", "分配"), ("revoke", "撤销")])

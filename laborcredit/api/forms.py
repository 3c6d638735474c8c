"""The key form: it only shapes input; `apikey_create` decides."""

from __future__ import annotations

from django import forms

from laborcredit.api.models import Scope
from laborcredit.api.services import DEPARTMENT_MAX, RATE_MAX
from laborcredit.lib.forms import Form


class ApiKeyForm(Form):
    department = forms.CharField(
        label="部门（系统）",
        max_length=DEPARTMENT_MAX,
        help_text="如：舞钢市市场监督管理局 企业登记系统",
    )
    scopes = forms.MultipleChoiceField(
        label="权限范围", choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires = forms.DateField(label="有效期至（含当日）", help_text="YYYY-MM-DD")
    rate = forms.IntegerField(label="每分钟调用上限", min_value=1, max_value=RATE_MAX, initial=60)

    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        for problem in problems:
            self.add_error(problem.place if problem.place in self.fields else None, problem.message)

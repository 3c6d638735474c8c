"""The arrangement form: it only shapes input; `arrangement_enter` decides."""

from __future__ import annotations

import datetime

from django import forms

from laborcredit.lib.forms import Form
from laborcredit.rules.workdays import WorkdaysInputError, parse_days

_DAYS_HELP = "日期 YYYY-MM-DD，以逗号、顿号或换行分隔；连续日期可写作 2027-10-01..2027-10-07"


class DaysField(forms.CharField):
    def clean(self, value: str) -> list[datetime.date]:  # type: ignore[override]
        text = super().clean(value)
        try:
            return parse_days(text or "")
        except WorkdaysInputError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class ArrangementForm(Form):
    year = forms.IntegerField(label="年份", min_value=1901, max_value=9998)
    holidays = DaysField(
        label="放假日期", help_text=_DAYS_HELP, widget=forms.Textarea(attrs={"rows": 3})
    )
    workdays = DaysField(
        label="调休上班日期（周六、周日）",
        required=False,
        help_text=_DAYS_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.CharField(
        label="依据文件（通知名称及文号）",
        max_length=300,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）",
    )

    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        """Each refusal next to its field; one without a field above the form."""
        for problem in problems:
            self.add_error(problem.place if problem.place in self.fields else None, problem.message)

"""The repair pages' one input: the date the due list or the file is read on."""

from __future__ import annotations

import datetime

from django import forms

from laborcredit.lib.forms import Form
from laborcredit.rules.repair import as_of_problem
from laborcredit.rules.validation import parse_date


class AsOfForm(Form):
    as_of = forms.CharField(
        label="日期",
        required=False,
        max_length=20,
        help_text="YYYY-MM-DD，默认今天",
        widget=forms.TextInput(attrs={"type": "date"}),
    )

    def clean_as_of(self) -> datetime.date | None:
        text = (self.cleaned_data.get("as_of") or "").strip()
        if not text:
            return None
        day, message = parse_date(text)
        if day is None:
            raise forms.ValidationError(message or "日期无效", code="date-invalid")
        problem = as_of_problem(day)
        if problem:
            raise forms.ValidationError(problem, code="date-out-of-range")
        return day

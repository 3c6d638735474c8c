from __future__ import annotations

import datetime

from django import forms

from laborcredit.lib.forms import Form
from laborcredit.reports.selectors import PERIOD_LABELS


def _this_year() -> int:
    return datetime.date.today().year


class PeriodForm(Form):
    """第六条: which month, quarter or year the report to superior departments covers."""

    period = forms.ChoiceField(
        label="报表类型", choices=list(PERIOD_LABELS.items()), initial="quarter"
    )
    year = forms.IntegerField(label="年份", min_value=2022, max_value=2100, initial=_this_year)
    number = forms.IntegerField(
        label="期数（月份 1–12 或季度 1–4，年度填 1）", min_value=1, max_value=12, initial=1
    )

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        limits = {"month": 12, "quarter": 4, "year": 1}
        period, number = cleaned.get("period"), cleaned.get("number")
        if period == "year":
            cleaned["number"] = 1  # a year has one period: the number is not asked for
        elif period and number and number > limits[period]:
            self.add_error("number", f"{PERIOD_LABELS[period]}报表的期数应为 1 至 {limits[period]}")
        return cleaned


class IssueForm(Form):
    purpose = forms.CharField(label="用途（选填）", max_length=200, required=False)


class VerifyForm(Form):
    code = forms.CharField(
        label="验证码",
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX",
                "size": 30,
                "spellcheck": "false",
            }
        ),
    )

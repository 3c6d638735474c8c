"""Forms of the objection pages: they only shape input; the services decide (第十九条、第二十条)."""

from __future__ import annotations

from typing import Any

from django import forms

from laborcredit.lib.forms import Form
from laborcredit.objections.attachments import MAX_FILES
from laborcredit.objections.models import Handling, Outcome, State, Subject
from laborcredit.web.forms import CorrectionForm, correction_initial

_DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ProblemsForm(Form):
    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        """Each refusal next to its field; one without a field above the form."""
        for problem in problems:
            self.add_error(problem.place if problem.place in self.fields else None, problem.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the service checks their number, size and content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ListFilterForm(Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *State.choices])
    q = forms.CharField(
        label="查询",
        required=False,
        max_length=40,
        help_text="可只输入一部分：异议编号或单位名称（含曾用名）中的任意连续字符，"
        "或统一社会信用代码的前几位",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "异议编号、单位名称或信用代码", "size": 28}
        ),
    )
    overdue = forms.BooleanField(label="只看已逾期", required=False)


class PaperForm(ProblemsForm):
    """第十九条: an objection received on paper, registered by an officer."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    received_on = forms.DateField(label="收到日期", **_DATE)
    subject = forms.ChoiceField(label="异议事项", choices=Subject.choices)
    records = forms.MultipleChoiceField(
        label="有异议的信用记录", required=False, widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(
        label=f"附件（PDF、PNG 或 JPEG，最多 {MAX_FILES} 个）", required=False
    )

    def __init__(self, *args: Any, records: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [
            (str(r.pk), f"{r.date:%Y-%m-%d} {r.get_type_display()} {r.case or ''}".strip())
            for r in records
        ]


class StepForm(ProblemsForm):
    """Every action form carries the version the officer saw (objection-conflict)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(StepForm):
    handling = forms.ChoiceField(
        label="处理方式", choices=Handling.choices, widget=forms.RadioSelect
    )
    verify_reason = forms.CharField(
        label="需向有关部门核实的原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(StepForm):
    outcome = forms.ChoiceField(label="处理结果", choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="处理理由", widget=forms.Textarea(attrs={"rows": 3}))


ACTIONS = [("", "不变"), ("void", "作废"), ("correct", "更正")]


class RecordActionForm(Form):
    action = forms.ChoiceField(label="异议成立时", choices=ACTIONS, required=False)


class RecordChangeForm(CorrectionForm):
    """The record form of the credit file (web.forms), without its own reason: the decision's is used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["reason"]


def record_forms(records: Any, data: Any = None) -> list[dict[str, Any]]:
    """For each record the decision may change: its action choice and its correction form."""
    return [
        {
            "record": record,
            "action": RecordActionForm(data, prefix=f"r{record.pk}"),
            "change": RecordChangeForm(
                data, prefix=f"c{record.pk}", initial=correction_initial(record)
            ),
        }
        for record in records
    ]


class NotifyForm(StepForm):
    text = forms.CharField(
        label="告知内容（留空则按处理结果自动生成）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PushForm(StepForm):
    reference = forms.CharField(label="推送回执编号", max_length=200)


class MonthForm(Form):
    month = forms.RegexField(
        label="月份（YYYY-MM）",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": "月份应为 YYYY-MM，例如 2026-03"},
    )

    def clean_month(self) -> str:
        month = str(self.cleaned_data["month"])
        if not "2022-12" <= month <= "2099-12":
            raise forms.ValidationError(
                "月份应在 2022-12 至 2099-12 之间（《办法》自2022年12月15日起施行）",
                code="month-out-of-range",
            )
        return month

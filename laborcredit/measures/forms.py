"""Forms of the measures pages: they only shape input; the services decide."""

from __future__ import annotations

from django import forms

from laborcredit.lib.forms import Form
from laborcredit.measures.models import LOCAL_ITEMS

_DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ProblemsForm(Form):
    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        """Each refusal next to its field; one without a field above the form."""
        for problem in problems:
            self.add_error(problem.place if problem.place in self.fields else None, problem.message)


class LocalMeasureForm(ProblemsForm):
    item = forms.ChoiceField(label="所属条款", choices=[(i, i) for i in LOCAL_ITEMS])
    title = forms.CharField(label="措施名称", max_length=200)
    description = forms.CharField(
        label="措施内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label="依据（文件名称及文号）", max_length=300)
    in_force_from = forms.DateField(label="施行日期", **_DATE)


class RetireForm(ProblemsForm):
    retired_from = forms.DateField(label="停止适用日期", **_DATE)
    reason = forms.CharField(label="停止适用原因", widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(ProblemsForm):
    case = forms.ChoiceField(label="关联案件编号（行政处罚）")
    scheduled_on = forms.DateField(label="约谈日期", **_DATE)
    place = forms.CharField(label="约谈地点", max_length=200)
    principal = forms.CharField(label="主要负责人", max_length=50)
    responsible_persons = forms.CharField(
        label="直接责任人（多人以顿号分隔）", max_length=300, required=False
    )
    document_number = forms.CharField(label="约谈通知书文号", max_length=100, required=False)

    def __init__(self, *args, cases=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c, c) for c in cases]


class RecordForm(ProblemsForm):
    held_on = forms.DateField(label="实际约谈日期", **_DATE)
    attendees = forms.CharField(
        label="参加人员", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    statement = forms.CharField(label="约谈内容", widget=forms.Textarea(attrs={"rows": 4}))
    undertakings = forms.CharField(
        label="承诺事项", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(ProblemsForm):
    reason = forms.CharField(label="取消原因", widget=forms.Textarea(attrs={"rows": 2}))


FORMAT_CHOICES = [("xlsx", "Excel（.xlsx）"), ("csv", "CSV"), ("json", "JSON")]


EXPORT_REASON_HELP = "批量导出须说明事由，事由记入审计日志"


class ListExportForm(Form):
    """A whole work list with no personal information in it: the format, and the reason every
    bulk export records (AC3)."""

    format = forms.ChoiceField(label="格式", choices=FORMAT_CHOICES)
    reason = forms.CharField(label="导出事由", max_length=200, help_text=EXPORT_REASON_HELP)


class ExportForm(Form):
    format = forms.ChoiceField(label="格式", choices=FORMAT_CHOICES)
    unmasked = forms.BooleanField(label="不脱敏（须有权限）", required=False)
    reason = forms.CharField(label="导出事由", max_length=200, help_text=EXPORT_REASON_HELP)

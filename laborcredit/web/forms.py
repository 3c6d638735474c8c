"""The record forms: entry, correction and void. They only shape input; the service decides."""

from __future__ import annotations

from typing import Any

from django import forms

from laborcredit.credit.models import PENALTY_DETAIL_FIELDS, Disclosure
from laborcredit.credit.reference import PENALTY_CATEGORIES
from laborcredit.credit.services import PENALTY_TEXT_LIMITS, penalty_categories
from laborcredit.lib.forms import Form
from laborcredit.rules.vocabulary import PROVINCIAL_LEVELS, RecordType

PASSED_CHOICES = [("", "—"), ("1", "通过"), ("0", "未通过")]
DETAIL_FIELDS = (
    "date",
    "case",
    "correction_deadline",
    "passed",
    "level",
    "document_number",
    "issuing_body",
    "description",
    "disclosure",
    *PENALTY_DETAIL_FIELDS,
)
# Where a service's problem place ("record.<name>") is shown on the form.
PLACE_FIELDS = {"document": "document_number", **{name: name for name in DETAIL_FIELDS}}


class RecordForm(Form):
    """第五条: one credit record, with the fields of every record type (the type decides which count)."""

    # An interview (第十七条(三)) is entered where it is scheduled and recorded: /measures/interviews/.
    type = forms.ChoiceField(
        label="记录类型",
        choices=[(t.value, t.label) for t in RecordType if t is not RecordType.INTERVIEW_HELD],
        help_text="约谈记录请在“约谈”页面安排和登记。",
    )
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    case = forms.CharField(label="案件编号", max_length=100, required=False)
    correction_deadline = forms.DateField(
        label="整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    passed = forms.ChoiceField(label="评估是否通过", choices=PASSED_CHOICES, required=False)
    level = forms.ChoiceField(
        label="省级评价等级",
        choices=[("", "—"), *[(level, f"{level}级") for level in PROVINCIAL_LEVELS]],
        required=False,
    )
    document_number = forms.CharField(label="文书号", max_length=100, required=False)
    issuing_body = forms.CharField(label="作出机关", max_length=100, required=False)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    disclosure = forms.ChoiceField(
        label="公开范围", choices=Disclosure.choices, initial=Disclosure.PUBLIC
    )
    # 双公示: what the 行政处罚决定书 says, sent to the sharing platform (第二十条).
    violation_type = forms.CharField(
        label="违法行为类型",
        max_length=PENALTY_TEXT_LIMITS["violation_type"],
        required=False,
        help_text="仅行政处罚填写，如：未按时足额支付劳动报酬",
    )
    penalty_category = forms.MultipleChoiceField(
        label="处罚类别",
        choices=[(c, c) for c in PENALTY_CATEGORIES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="仅行政处罚填写；《行政处罚法》第九条，可多选",
    )
    fine_amount = forms.DecimalField(
        label="罚款金额（元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="仅行政处罚填写；以元为单位，推送时换算为万元",
    )
    penalty_basis = forms.CharField(
        label="处罚依据",
        max_length=PENALTY_TEXT_LIMITS["penalty_basis"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅行政处罚填写，如：《劳动保障监察条例》第二十六条",
    )
    penalty_content = forms.CharField(
        label="处罚内容",
        max_length=PENALTY_TEXT_LIMITS["penalty_content"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅行政处罚填写，如：罚款人民币贰仟元",
    )

    def record_values(self) -> dict[str, Any]:
        """The cleaned values as the service takes them; empty fields left out."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in ("type", *DETAIL_FIELDS):
            value = _service_value(name, data.get(name))
            if value not in (None, ""):
                values[name] = value
        return values

    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        """Each refusal next to its field; one without a field above the form."""
        for problem in problems:
            place = problem.place
            name = place.split(".", 1)[1] if place.startswith("record.") else place
            field = PLACE_FIELDS.get(name, name)
            self.add_error(field if field in self.fields else None, problem.message)


class CorrectionForm(RecordForm):
    """第七条: a correction of the current version; the type cannot change, a reason is required."""

    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any type may be corrected, an interview too.
        self.fields["type"].choices = [(t.value, t.label) for t in RecordType]
        self.fields["type"].disabled = True

    def changed_values(self, old: Any) -> dict[str, Any]:
        """Only the fields that differ from the old version, as record_correct takes them."""
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        for name in DETAIL_FIELDS:
            value = _service_value(name, data.get(name))
            if value is None and isinstance(getattr(old, name), str):
                value = ""
            if value != getattr(old, name):
                changes[name] = value
        return changes


def _service_value(name: str, value: Any) -> Any:
    """A cleaned form value as the record services take it."""
    if name == "passed":
        return {"1": True, "0": False}.get(value or "")
    if name == "penalty_category":
        return "、".join(value or ())
    return value


def correction_initial(record: Any) -> dict[str, Any]:
    initial = {name: getattr(record, name) for name in ("type", *DETAIL_FIELDS)}
    initial["passed"] = {True: "1", False: "0"}.get(record.passed, "")
    initial["penalty_category"] = penalty_categories(record.penalty_category)[0]
    return initial


class VoidForm(Form):
    reason = forms.CharField(label="作废原因", widget=forms.Textarea(attrs={"rows": 2}))

    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        for problem in problems:
            self.add_error("reason" if problem.place == "reason" else None, problem.message)

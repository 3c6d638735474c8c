"""The record forms: entry, correction and void. They only shape input; the service decides."""

from __future__ import annotations

from typing import Any

from django import forms

from laborcredit.credit.models import Disclosure
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

    def record_values(self) -> dict[str, Any]:
        """The cleaned values as the service takes them; empty fields left out."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in ("type", *DETAIL_FIELDS):
            value = data.get(name)
            if name == "passed":
                value = {"1": True, "0": False}.get(value or "")
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
            value = data.get(name)
            if name == "passed":
                value = {"1": True, "0": False}.get(value or "")
            elif value is None and isinstance(getattr(old, name), str):
                value = ""
            if value != getattr(old, name):
                changes[name] = value
        return changes


def correction_initial(record: Any) -> dict[str, Any]:
    initial = {name: getattr(record, name) for name in ("type", *DETAIL_FIELDS)}
    initial["passed"] = {True: "1", False: "0"}.get(record.passed, "")
    return initial


class VoidForm(Form):
    reason = forms.CharField(label="作废原因", widget=forms.Textarea(attrs={"rows": 2}))

    def show_problems(self, problems) -> None:  # type: ignore[no-untyped-def]
        for problem in problems:
            self.add_error("reason" if problem.place == "reason" else None, problem.message)

"""第十九条、第二十条: objections (异议申请), the records they dispute, their attachments and steps.

An objection moves received → accepted → decided → notified → pushed, each step a
conditional update on the expected state and version (two officers cannot both
win) and one row of the append-only `ObjectionEvent` log. Deadlines are never
stored: they are recomputed from the working-day calendar whenever shown.
"""

from __future__ import annotations

from django.db import models

from laborcredit.credit.models import CreditRecord, Employer
from laborcredit.lib.appendonly import AppendOnlyError

EVENTS_APPEND_ONLY = "异议处理记录只能追加，不得修改或删除（第二十条）"


class Channel(models.TextChoices):
    ONLINE = "online", "网上提交"
    PAPER = "paper", "书面提交（窗口登记）"


class Subject(models.TextChoices):
    GRADE = "grade", "信用等级评价"
    RECORDS = "records", "信用记录"


class State(models.TextChoices):
    RECEIVED = "received", "已收到"
    ACCEPTED = "accepted", "已受理"
    DECIDED = "decided", "已作出处理决定"
    NOTIFIED = "notified", "已告知申请人"
    PUSHED = "pushed", "已推送市信用信息共享平台"


class Handling(models.TextChoices):
    SELF = "self", "本局自行处理（3个工作日）"
    VERIFY = "verify", "需向有关部门核实（10个工作日）"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "异议成立"
    REJECTED = "rejected", "异议不成立"


class Objection(models.Model):
    """One objection of an employer about its credit records or its grade (第十九条)."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="objections")
    number = models.CharField("异议编号", max_length=30, unique=True)
    channel = models.CharField("提交方式", max_length=10, choices=Channel.choices)
    received_on = models.DateField("收到日期", db_index=True)
    filed_by = models.CharField("提交人（登记人）", max_length=150)
    filed_at = models.DateTimeField("提交时间", auto_now_add=True)
    subject = models.CharField("异议事项", max_length=10, choices=Subject.choices)
    reasons = models.TextField("异议理由")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    handling = models.CharField("处理方式", max_length=10, choices=Handling.choices, blank=True)
    verify_reason = models.TextField("需核实的原因", blank=True)
    accepted_by = models.CharField("受理人", max_length=150, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=10, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField("处理理由", blank=True)
    decided_by = models.CharField("处理人", max_length=150, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_on = models.DateField("处理日期", null=True, blank=True)
    notice_text = models.TextField("告知内容", blank=True)
    notified_by = models.CharField("告知人", max_length=150, blank=True)
    notified_at = models.DateTimeField("告知时间", null=True, blank=True)
    pushed_by = models.CharField("推送登记人", max_length=150, blank=True)
    pushed_at = models.DateTimeField("推送时间", null=True, blank=True)
    push_reference = models.CharField("推送回执编号", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "异议申请"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["employer", "received_on"])]

    def __str__(self) -> str:
        return self.number


class ObjectionRecord(models.Model):
    """A credit record version the objection disputes, and what the decision did to it."""

    class Resolution(models.TextChoices):
        NONE = "", "未变更"
        VOID = "void", "作废"
        CORRECT = "correct", "更正"

    objection = models.ForeignKey(Objection, models.PROTECT, related_name="disputed")
    record = models.ForeignKey(CreditRecord, models.PROTECT, related_name="+")
    disputed = models.BooleanField("申请人所列记录", default=True)
    resolution = models.CharField(
        "处理", max_length=10, choices=Resolution.choices, blank=True, default=""
    )
    result = models.ForeignKey(
        CreditRecord, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "异议涉及的信用记录"
        ordering = ["objection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["objection", "record"], name="objection_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.objection_id}:{self.record_id}"


class ObjectionAttachment(models.Model):
    """A PDF or image the applicant gave; the file lives under DATA_DIR, never in the web root."""

    objection = models.ForeignKey(Objection, models.PROTECT, related_name="attachments")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_name = models.CharField(max_length=200, editable=False)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "异议附件"
        ordering = ["objection", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name to save it under: the given name, with the extension of what the file
        really is (a PDF uploaded as x.png downloads as x.png.pdf)."""
        wanted = _EXTENSIONS.get(self.content_type, "")
        name = self.original_name
        if wanted and not name.lower().endswith(wanted):
            if wanted == ".jpg" and name.lower().endswith(".jpeg"):
                return name
            return name + wanted
        return name


_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


class ObjectionEvent(models.Model):
    """One step of an objection: who moved it from which state to which, when, and why."""

    objection = models.ForeignKey(Objection, models.PROTECT, related_name="events")
    from_state = models.CharField("原状态", max_length=10, blank=True)
    to_state = models.CharField("新状态", max_length=10, choices=State.choices)
    actor = models.CharField("操作人", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异议处理记录"
        ordering = ["objection", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'}→{self.to_state}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(EVENTS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(EVENTS_APPEND_ONLY)

    @property
    def from_label(self) -> str:
        return State(self.from_state).label if self.from_state else "—"

    @property
    def to_label(self) -> str:
        return State(self.to_state).label

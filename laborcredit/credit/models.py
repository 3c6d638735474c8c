"""第五条–第七条: employers (basic information) and their credit records.

Credit records are append-only (第七条 不得篡改、虚构、隐匿或者违规删除信用信息):
a correction is a new version that supersedes the old one, a void is a new
version that marks it void; the database refuses UPDATE and DELETE.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from typing import Any

from django.db import models
from django.db.models import FilteredRelation, Q

from laborcredit.credit.reference import REGISTRATION_TYPES, TOWNSHIPS
from laborcredit.lib.appendonly import AppendOnlyError
from laborcredit.lib.fieldcrypto import EncryptedTextField
from laborcredit.rules import vocabulary
from laborcredit.rules.vocabulary import Record, RecordType

CREDIT_APPEND_ONLY = "信用信息不得修改或删除（第七条）；请通过更正或作废登记新的版本"
"""第七条: credit information is never changed in place or deleted."""


class Employer(models.Model):
    """第五条 基础信息: one employer, identified by its unified social credit code."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=200, db_index=True)
    legal_rep_name = models.CharField("法定代表人", max_length=50, blank=True, db_index=True)
    legal_rep_id_number = EncryptedTextField("法定代表人身份证号码", blank=True)
    legal_rep_id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField("地址", max_length=300, blank=True)
    township = models.CharField(
        "乡镇（街道）",
        max_length=20,
        blank=True,
        choices=[(t, t) for t in TOWNSHIPS],
        db_index=True,
    )
    industry_code = models.CharField("行业代码", max_length=3, blank=True, db_index=True)
    industry_name = models.CharField("行业", max_length=60, blank=True)
    registration_type = models.CharField(
        "登记注册类型", max_length=20, blank=True, choices=[(t, t) for t in REGISTRATION_TYPES]
    )
    employees = models.PositiveIntegerField("职工人数", null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "用人单位"
        ordering = ["id"]
        # IN2: the legal representative's full name, ID number and phone, unmasked (each view audited).
        permissions = [("view_personal_info", "查看未脱敏的个人信息")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class EmployerName(models.Model):
    """An employer's names over time, so that a renamed firm is still found by its old name."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="names")
    name = models.CharField("名称", max_length=200, db_index=True)
    used_from = models.DateField("启用日期", null=True, blank=True)
    used_until = models.DateField("停用日期", null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位名称历史"
        ordering = ["employer", "recorded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Disclosure(models.TextChoices):
    """第七条: who may see a record."""

    PUBLIC = "public", "公开"
    SHARED = "shared", "向授权部门共享"
    INTERNAL = "internal", "仅内部使用"


class Source(models.TextChoices):
    MANUAL = "manual", "手工录入"
    IMPORT = "import", "文件导入"
    API = "api", "接口报送"
    INSPECTION = "inspection", "检查结果"


class Action(models.TextChoices):
    CREATE = "create", "登记"
    CORRECT = "correct", "更正"
    VOID = "void", "作废"


class CreditRecordQuerySet(models.QuerySet["CreditRecord"]):
    def effective(self, employers: tuple[Any, Any] | None = None) -> CreditRecordQuerySet:
        """The latest version of every record, voided ones excluded: what grading reads.

        `employers` (the first and the last employer id, inclusive) keeps those employers'
        records only, and looks for the versions that supersede them among those employers'
        own: a correction or a void keeps its record's employer (`CreditRecord.save` refuses
        another). So PostgreSQL hashes the range's few later versions (from the partial index
        `credit_superseding_employer`) rather than sorting the range's records to merge them
        with every later version of the file: with 1% of the file corrected, an annual
        evaluation's chunk of 100,000 records costs it 61–73 ms rather than 115–128
        (docs/performance.md, 第十轮)."""
        if employers is None:
            return self.filter(superseded_by__isnull=True).exclude(action=Action.VOID)
        first, last = employers
        later = FilteredRelation(
            "superseded_by",
            condition=Q(
                superseded_by__employer_id__gte=first, superseded_by__employer_id__lte=last
            ),
        )
        return (
            self.filter(employer_id__gte=first, employer_id__lte=last)
            .annotate(later_version=later)
            .filter(later_version__isnull=True)
            .exclude(action=Action.VOID)
        )

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(CREDIT_APPEND_ONLY)

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(CREDIT_APPEND_ONLY)


class CreditRecord(models.Model):
    """第五条 良好信息 / 失信信息: one version of one dated fact about an employer."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="records")
    lineage = models.UUIDField("记录标识", default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1)
    supersedes = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices, default=Action.CREATE)

    type = models.CharField(
        "记录类型", max_length=32, choices=[(t.value, t.label) for t in RecordType]
    )
    date = models.DateField("日期", db_index=True)
    case = models.CharField("案件编号", max_length=100, blank=True, db_index=True)
    correction_deadline = models.DateField("整改期限", null=True, blank=True)
    passed = models.BooleanField("评估是否通过", null=True, blank=True)
    level = models.CharField("省级评价等级", max_length=1, blank=True)
    document_number = models.CharField("文书号", max_length=100, blank=True)
    issuing_body = models.CharField("作出机关", max_length=100, blank=True)
    description = models.TextField("说明", blank=True)
    disclosure = models.CharField(
        "公开范围", max_length=10, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    # 双公示 (context.md): what a 行政处罚 decision says, for the sharing platform (第二十条).
    # Empty on every other record type. The database defaults let the bulk loaders leave them out.
    violation_type = models.CharField(
        "违法行为类型", max_length=200, blank=True, default="", db_default=""
    )
    penalty_basis = models.TextField("处罚依据", blank=True, default="", db_default="")
    penalty_category = models.CharField(
        "处罚类别", max_length=200, blank=True, default="", db_default=""
    )
    penalty_content = models.TextField("处罚内容", blank=True, default="", db_default="")
    fine_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.MANUAL)
    source_ref = models.CharField("来源说明", max_length=300, blank=True)
    reason = models.TextField("更正或作废原因", blank=True)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间")
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    content_hash = models.CharField(max_length=64, editable=False)

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "信用记录"
        ordering = ["employer", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="credit_record_version"),
        ]
        indexes = [
            models.Index(fields=["employer", "type", "date"]),
            # effective(): "is this version superseded?" probes only the few versions that
            # supersede another, not one entry per record.
            models.Index(
                fields=["supersedes"],
                condition=models.Q(supersedes__isnull=False),
                name="credit_record_superseding",
            ),
            # effective(employers=…): the same few versions by employer, so that a range of
            # employers (an evaluation's chunk) finds its own. Not instead of the one above:
            # probing this one by `supersedes` alone reads all of it.
            models.Index(
                fields=["employer", "supersedes"],
                condition=models.Q(supersedes__isnull=False),
                name="credit_superseding_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_type_display()}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(CREDIT_APPEND_ONLY)
        if self.supersedes_id is not None and self.supersedes.employer_id != self.employer_id:
            # effective(employers=…) looks for a record's later versions among its employer's.
            raise ValueError("更正或作废的记录版本必须与原记录属于同一用人单位")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(CREDIT_APPEND_ONLY)

    @property
    def record_type(self) -> RecordType:
        return RecordType(self.type)

    @property
    def category(self) -> vocabulary.Category:
        return self.record_type.category

    @property
    def is_void(self) -> bool:
        return self.action == Action.VOID

    def as_rule_record(self) -> Record:
        """The record as the rules package reads it."""
        return Record(
            type=RecordType(self.type),
            date=self.date,
            case=self.case or None,
            correction_deadline=self.correction_deadline,
            document=self.document_number or None,
            passed=self.passed,
            level=self.level or None,
        )

    def fact(self) -> dict[str, object]:
        """What the record says, independent of who filed it and when."""
        return {
            "uscc": self.employer.uscc,
            "type": self.type,
            "date": self.date.isoformat(),
            "case": self.case,
            "correction_deadline": self.correction_deadline.isoformat()
            if self.correction_deadline
            else None,
            "passed": self.passed,
            "level": self.level,
            "document_number": self.document_number,
        }

    def compute_fingerprint(self) -> str:
        return _sha256(self.fact())

    def compute_content_hash(self) -> str:
        """DT3: the hash of every stored field of this version, checked by `audit verify`."""
        return _sha256(
            {
                **self.fact(),
                "employer_id": self.employer_id,
                "lineage": str(self.lineage),
                "version": self.version,
                "supersedes_id": self.supersedes_id,
                "action": self.action,
                "issuing_body": self.issuing_body,
                "description": self.description,
                "disclosure": self.disclosure,
                "source": self.source,
                "source_ref": self.source_ref,
                "reason": self.reason,
                "entered_by": self.entered_by,
                "entered_at": self.entered_at.astimezone(datetime.UTC).isoformat(
                    timespec="microseconds"
                ),
                "fingerprint": self.fingerprint,
                **self.penalty_details(),
            }
        )

    def penalty_details(self) -> dict[str, str]:
        """The 双公示 fields that are filled in (none on versions from before they existed, so
        those versions' hashes stay what they were)."""
        details = {name: getattr(self, name) or "" for name in PENALTY_DETAIL_TEXTS}
        if self.fine_amount is not None:
            details["fine_amount"] = f"{self.fine_amount:.2f}"
        return {name: value for name, value in details.items() if value}


PENALTY_DETAIL_TEXTS = ("violation_type", "penalty_basis", "penalty_category", "penalty_content")
PENALTY_DETAIL_FIELDS = (*PENALTY_DETAIL_TEXTS, "fine_amount")
"""The 双公示 fields of a 行政处罚 record."""


def _sha256(data: dict[str, object]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()

"""Employers with records to object to, files to attach, and objections at each step."""

from __future__ import annotations

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from laborcredit.objections.services import (
    objection_accept,
    objection_decide,
    objection_file,
    objection_notify,
)
from tests.factories import EmployerFactory
from tests.web.helpers import penalise

# 国庆 2025: Sep 28 (Sun) and Oct 11 (Sat) were working days, Oct 1–8 off.
NATIONAL_DAY_EVE = datetime.date(2025, 9, 30)

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def image_bytes(fmt: str, size: int = 64) -> bytes:
    from PIL import Image

    rng = random.Random(7)
    image = Image.new("RGB", (size, size))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                   for _ in range(size * size)])  # fmt: skip
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def penalised_employer():
    """A C employer (第十二条(一)): a violation found and a penalty on it, 30 days ago."""
    employer = EmployerFactory()
    found, penalty = penalise(employer)
    return employer, found, penalty


def file_paper(employer, records=(), *, received_on=NATIONAL_DAY_EVE, subject="records", **kw):
    return objection_file(
        employer=employer,
        subject=subject,
        records=list(records),
        reasons=kw.pop("reasons", "该处罚决定已被复议撤销"),
        attachments=kw.pop("attachments", []),
        actor=kw.pop("actor", "officer"),
        channel="paper",
        received_on=received_on,
        **kw,
    )


def decided(employer, record, *, received_on=NATIONAL_DAY_EVE, outcome="rejected"):
    objection = file_paper(employer, [record], received_on=received_on)
    objection = objection_accept(objection=objection, handling="self", actor="officer")
    corrections = [{"record": record, "action": "void"}] if outcome == "upheld" else []
    return objection_decide(
        objection=objection, outcome=outcome, reason="经核查", actor="officer",
        corrections=corrections,
    )  # fmt: skip


def notified(employer, record, **kw):
    return objection_notify(objection=decided(employer, record, **kw), actor="officer")

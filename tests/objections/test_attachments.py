"""Attachments (第十九条, IN2): PDF, PNG or JPEG by content, size-limited, stored outside the web root."""

from __future__ import annotations

import pytest
from django.conf import settings

from laborcredit.lib.errors import Refused
from laborcredit.objections.attachments import check_uploads, stored_path
from laborcredit.objections.models import Objection, ObjectionAttachment
from tests.objections.helpers import PDF, file_paper, image_bytes, penalised_employer, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer_and_penalty():
    employer, _, penalty = penalised_employer()
    return employer, penalty


def refused_codes(employer, penalty, *files):
    with pytest.raises(Refused) as refused:
        file_paper(employer, [penalty], attachments=list(files))
    assert not Objection.objects.exists() and not ObjectionAttachment.objects.exists()
    return refused.value.codes


def test_a_pdf_a_png_and_a_jpeg_are_kept_with_their_sniffed_type_and_hash(employer_and_penalty):
    employer, penalty = employer_and_penalty
    png, jpeg = image_bytes("PNG"), image_bytes("JPEG")
    objection = file_paper(
        employer, [penalty],
        attachments=[upload("撤销决定书.pdf", PDF), upload("照片.PNG", png, "image/png"),
                     upload("scan.bin", jpeg, "application/octet-stream")],
    )  # fmt: skip
    kept = list(objection.attachments.order_by("id"))
    assert [a.content_type for a in kept] == ["application/pdf", "image/png", "image/jpeg"]
    assert [a.original_name for a in kept] == ["撤销决定书.pdf", "照片.PNG", "scan.bin"]
    assert kept[1].size == len(png)
    import hashlib

    assert kept[2].sha256 == hashlib.sha256(jpeg).hexdigest()
    for attachment in kept:
        path = stored_path(attachment.stored_name)
        assert path.read_bytes() in (PDF, png, jpeg)
        root = (settings.DATA_DIR / "attachments" / "objections").resolve()
        assert root in path.parents
        assert settings.STATIC_ROOT.resolve() not in path.parents


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # a Windows .exe
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\n",  # a PDF cut before its end
    ],
    ids=["exe", "html", "truncated-pdf"],
)
def test_a_file_named_pdf_that_is_not_a_whole_pdf_is_refused(employer_and_penalty, content):
    employer, penalty = employer_and_penalty
    codes = refused_codes(employer, penalty, upload("决定书.pdf", content))
    assert codes == ["attachment-type"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused(employer_and_penalty, fmt):
    employer, penalty = employer_and_penalty
    whole = image_bytes(fmt, size=128)
    codes = refused_codes(employer, penalty, upload("照片.jpg", whole[: len(whole) * 2 // 3]))
    assert codes == ["attachment-type"]


def test_an_oversize_file_is_refused_without_being_read_whole(employer_and_penalty, settings):
    settings.LABORCREDIT_OBJECTION_ATTACHMENT_MAX_BYTES = 1000

    class Endless:
        """A stream that would never end: only the first limit + 1 bytes may be read."""

        name = "大文件.pdf"
        read_sizes: list[int] = []

        def read(self, n=-1):
            assert n != -1 and n <= 1001
            self.read_sizes.append(n)
            return b"%PDF-" + b"x" * (n - 5)

    endless = Endless()
    with pytest.raises(Refused) as refused:
        check_uploads([endless])
    assert refused.value.codes == ["attachment-too-large"]
    assert endless.read_sizes == [1001]
    employer, penalty = employer_and_penalty
    assert refused_codes(employer, penalty, upload("a.pdf", PDF + b" " * 1000)) == [
        "attachment-too-large"
    ]


def test_a_file_at_the_limit_is_accepted(employer_and_penalty, settings):
    settings.LABORCREDIT_OBJECTION_ATTACHMENT_MAX_BYTES = len(PDF)
    employer, penalty = employer_and_penalty
    objection = file_paper(employer, [penalty], attachments=[upload("a.pdf", PDF)])
    assert objection.attachments.get().size == len(PDF)


def test_more_than_five_files_are_refused(employer_and_penalty):
    employer, penalty = employer_and_penalty
    codes = refused_codes(employer, penalty, *[upload(f"{i}.pdf", PDF) for i in range(6)])
    assert codes == ["attachment-too-many"]


def test_an_empty_file_is_refused(employer_and_penalty):
    employer, penalty = employer_and_penalty
    assert refused_codes(employer, penalty, upload("空.pdf", b"")) == ["attachment-empty"]


def test_a_path_in_the_name_is_dropped(employer_and_penalty):
    employer, penalty = employer_and_penalty
    objection = file_paper(employer, [penalty], attachments=[upload("../../etc/决定.pdf", PDF)])
    assert objection.attachments.get().original_name == "决定.pdf"


def test_a_stored_name_leading_outside_the_store_is_refused():
    with pytest.raises(ValueError):
        stored_path("../../secret_key")


def test_a_pdf_uploaded_under_an_image_name_downloads_with_the_pdf_extension():
    from laborcredit.objections.models import ObjectionAttachment

    attachment = ObjectionAttachment(original_name="证明.png", content_type="application/pdf")
    assert attachment.download_name == "证明.png.pdf"
    assert ObjectionAttachment(original_name="a.JPEG", content_type="image/jpeg").download_name == (
        "a.JPEG"
    )
    assert ObjectionAttachment(
        original_name="b.pdf", content_type="application/pdf"
    ).download_name == ("b.pdf")

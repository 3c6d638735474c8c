"""Attachments of an objection (第十九条): PDF, PNG or JPEG only, judged by content, never by name (IN2).

A file is read at most one byte past the size limit, so an oversize upload is
refused without being read whole. A PDF must start with ``%PDF-`` and end with
``%%EOF``; an image must be decoded completely by Pillow (a truncated or
damaged image is refused, and so is one of absurd pixel dimensions). Files are
stored by their SHA-256 under ``DATA_DIR/attachments/objections/``, outside the
web root; a rolled-back upload leaves at most an unreferenced copy.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from laborcredit.lib.errors import Refused
from laborcredit.rules.validation import Problem

MB = 1024 * 1024
MAX_FILES = 5
DEFAULT_MAX_BYTES = 10 * MB
MAX_PIXELS = 50_000_000  # a 10 MB photo is far below; a decompression bomb is not
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
LABELS = {PDF: "PDF 文档", PNG: "PNG 图片", JPEG: "JPEG 图片"}


def max_bytes() -> int:
    return int(getattr(settings, "LABORCREDIT_OBJECTION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_root() -> Path:
    return Path(settings.DATA_DIR) / "attachments" / "objections"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _clean_name(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[-200:] or "附件"


def _read_limited(upload: Any, limit: int) -> bytes:
    """At most limit + 1 bytes of the upload (a file-like object or bytes)."""
    if isinstance(upload, bytes | bytearray):
        return bytes(upload[: limit + 1])
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass
    if hasattr(upload, "chunks"):
        data = bytearray()
        for chunk in upload.chunks():
            data += chunk[: limit + 1 - len(data)]
            if len(data) > limit:
                break
        return bytes(data)
    return upload.read(limit + 1)


def sniff(content: bytes) -> str | None:
    """The content type the bytes really are (PDF, PNG, JPEG), or None."""
    if content.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in content[-1024:] else None
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if _decodes(content, "PNG") else None
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG if _decodes(content, "JPEG") else None
    return None


def _decodes(content: bytes, image_format: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                image.verify()
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return False
                image.load()  # a truncated file fails here (verify does not decode JPEG data)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        return False
    return True


def _name_of(upload: Any, index: int) -> str:
    return _clean_name(getattr(upload, "name", "") or f"附件{index}")


def check_uploads(uploads: list[Any]) -> list[CheckedFile]:
    """Every upload checked, or Refused naming each bad file (nothing is stored)."""
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > MAX_FILES:
        raise Refused.one(
            "attachments", f"附件最多 {MAX_FILES} 个，收到 {len(uploads)} 个", "attachment-too-many"
        )
    limit = max_bytes()
    shown_limit = f"{limit / MB:g} MB" if limit >= MB else f"{limit} 字节"
    problems: list[Problem] = []
    checked: list[CheckedFile] = []
    for index, upload in enumerate(uploads, 1):
        name = _name_of(upload, index)
        declared = getattr(upload, "size", None)
        if isinstance(declared, int) and declared > limit:
            problems.append(
                Problem("attachments", f"附件“{name}”超过 {shown_limit}", "attachment-too-large")
            )
            continue
        content = _read_limited(upload, limit)
        if len(content) > limit:
            problems.append(
                Problem("attachments", f"附件“{name}”超过 {shown_limit}", "attachment-too-large")
            )
            continue
        if not content:
            problems.append(Problem("attachments", f"附件“{name}”是空文件", "attachment-empty"))
            continue
        content_type = sniff(content)
        if content_type is None:
            problems.append(
                Problem(
                    "attachments",
                    f"附件“{name}”不是完整的 PDF、PNG 或 JPEG 文件（按文件内容判断，与文件名无关）",
                    "attachment-type",
                )
            )
            continue
        checked.append(CheckedFile(name, content_type, content))
    if problems:
        raise Refused(problems)
    return checked


def store(checked: CheckedFile) -> str:
    """Write the file under the storage root (by its hash) and return its name there."""
    digest = checked.sha256
    relative = f"{digest[:2]}/{digest}.{EXTENSIONS[checked.content_type]}"
    target = storage_root() / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(checked.content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return relative


def stored_path(stored_name: str) -> Path:
    """The file of a stored name, refused if the name would lead outside the storage root."""
    root = storage_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise ValueError("附件存储路径无效")
    return path

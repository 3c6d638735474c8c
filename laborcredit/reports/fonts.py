"""The Simplified Chinese font the PDFs embed: Noto Sans CJK SC from Debian's fonts-noto-cjk.

Installed by scripts/lib.sh (`ensure_fonts`, apt-get install fonts-noto-cjk); no
internet is needed when a report is made. The PDF carries a subset of the font,
so a reader needs no Chinese font of its own. LABORCREDIT_PDF_FONT_DIR may name
another folder holding NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from laborcredit.lib.errors import Refused

FOLDERS = (
    "/usr/share/fonts/opentype/noto",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/noto-cjk",  # Fedora, Arch
    "/usr/share/fonts/google-noto-cjk",
)
REGULAR = "NotoSansCJK-Regular.ttc"
BOLD = "NotoSansCJK-Bold.ttc"
SC_INDEX = 2  # the collection's order: JP, KR, SC, TC, HK, then the Mono faces
MISSING = (
    "未找到生成 PDF 所需的中文字体（Noto Sans CJK）；"
    "请以 root 执行 apt-get install fonts-noto-cjk，或用环境变量 LABORCREDIT_PDF_FONT_DIR 指定字体目录"
)


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path
    index: int = SC_INDEX


def font_files() -> FontFiles:
    """The regular and bold font files; Refused (code font-missing) when they are not installed."""
    folders = [os.environ.get("LABORCREDIT_PDF_FONT_DIR", ""), *FOLDERS]
    for folder in filter(None, folders):
        regular, bold = Path(folder) / REGULAR, Path(folder) / BOLD
        if regular.is_file():
            return FontFiles(regular, bold if bold.is_file() else regular)
    raise Refused.one("font", MISSING, "font-missing")

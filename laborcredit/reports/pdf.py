"""A4 PDFs in Simplified Chinese with fpdf2: headings, paragraphs, tables and bar charts.

fpdf2 embeds a subset of Noto Sans CJK SC (CFF outlines, which reportlab cannot
embed); the charts are drawn with fpdf2's own lines and rectangles, so no
plotting library is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from laborcredit.reports.fonts import font_files

FONT = "notosanssc"
GRADE_COLOURS = {
    "A+": (46, 125, 50),
    "A": (21, 101, 192),
    "B": (239, 140, 0),
    "C": (198, 40, 40),
    "未评价": (158, 158, 158),
}
BAR_COLOUR = (21, 101, 192)


class ReportPdf(FPDF):
    """An A4 page with a running footer: the issuer's line, a code (optional) and page numbers."""

    def __init__(self, *, title: str, footer_text: str = "") -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        files = font_files()
        self.add_font(FONT, fname=str(files.regular), collection_font_number=files.index)
        self.add_font(FONT, style="B", fname=str(files.bold), collection_font_number=files.index)
        self.set_title(title)
        self.set_author("舞钢市人力资源和社会保障局")
        self.set_creator("舞钢市用人单位劳动保障信用分级分类监管系统")
        self.set_lang("zh-CN")
        self.footer_text = footer_text
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=20)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"第 {self.page_no()} 页，共 {{nb}} 页", align="R")
        self.set_text_color(0, 0, 0)

    # -- text ---------------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FONT, "B", 18)
        self.multi_cell(
            0, 10, title, align="C", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if subtitle:
            self.set_font(FONT, size=10)
            self.multi_cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 13)
        self.multi_cell(
            0, 8, text, align=Align.L, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def subheading(self, text: str) -> None:
        self.set_font(FONT, "B", 11)
        self.multi_cell(
            0, 7, text, align=Align.L, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        self.set_font(FONT, size=size)
        if muted:
            self.set_text_color(90, 90, 90)
        self.multi_cell(
            0, size * 0.55, text, align=Align.L, wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip
        self.set_text_color(0, 0, 0)
        self.ln(1)

    # -- tables -------------------------------------------------------------------------

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """A two-column table of label and value."""
        self.table_of(["项目", "内容"], [list(r) for r in rows], widths=(1, 3), header=False)

    def table_of(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        header: bool = True,
        size: float = 9,
    ) -> None:
        self.set_font(FONT, size=size)
        self.set_draw_color(160, 160, 160)
        self.set_fill_color(255, 255, 255)  # a chart above leaves its last colour
        with self.table(
            wrapmode=WrapMode.CHAR,
            col_widths=tuple(widths) if widths else None,
            first_row_as_headings=header,
            headings_style=_heading_style(),
            line_height=size * 0.55,
            text_align="LEFT",
            padding=1.2,
        ) as table:
            if header:
                line = table.row()
                for cell in headers:
                    line.cell(str(cell))
            for row in rows:
                line = table.row()
                for cell in row:
                    line.cell("" if cell is None else str(cell))
        self.ln(3)

    # -- charts -------------------------------------------------------------------------

    def bar_chart(self, title: str, items: Sequence[tuple[str, float]]) -> None:
        """Horizontal bars, one per label, the value written after each bar."""
        self.stacked_bar_chart(title, [(label, {"": value}) for label, value in items], keys=[""])

    def stacked_bar_chart(
        self, title: str, items: Sequence[tuple[str, dict[str, float]]], *, keys: Sequence[str]
    ) -> None:
        """Horizontal bars split by `keys` (coloured by grade where the key is one), a legend
        above and the total after each bar."""
        bar, gap, label_w = 5.0, 2.0, 34.0
        height = 14 + len(items) * (bar + gap) + (6 if any(keys) else 0)
        if self.get_y() + height > self.h - 22:
            self.add_page()
        self.subheading(title)
        left = self.l_margin + label_w
        width = self.w - self.r_margin - left - 14
        top = self.get_y() + 1
        if any(keys):
            x = left
            self.set_font(FONT, size=8)
            for index, key in enumerate(keys):
                self.set_fill_color(*_colour(key, index))
                self.rect(x, top + 1, 3, 3, style="F")
                self.text(x + 4, top + 3.6, key)
                x += 6 + self.get_string_width(key) + 4
            top += 6
        biggest = max((sum(parts.values()) for _, parts in items), default=0) or 1
        self.set_draw_color(120, 120, 120)
        self.line(left, top, left, top + len(items) * (bar + gap))
        for row, (label, parts) in enumerate(items):
            y = top + row * (bar + gap) + gap / 2
            self.set_font(FONT, size=8)
            shown = label if self.get_string_width(label) <= label_w - 2 else label[:9] + "…"
            self.text(self.l_margin, y + bar * 0.75, shown)
            x = left
            for index, key in enumerate(keys):
                value = parts.get(key, 0)
                if value <= 0:
                    continue
                length = width * value / biggest
                self.set_fill_color(*_colour(key, index))
                self.rect(x, y, length, bar, style="F")
                x += length
            self.text(x + 1.5, y + bar * 0.75, _number(sum(parts.values())))
        self.set_y(top + len(items) * (bar + gap) + 4)


def _heading_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(235, 238, 243))


def _colour(key: str, index: int) -> tuple[int, int, int]:
    if key in GRADE_COLOURS:
        return GRADE_COLOURS[key]
    palette = [BAR_COLOUR, (0, 137, 123), (142, 36, 170), (109, 76, 65), (84, 110, 122)]
    return palette[index % len(palette)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def pdf_bytes(pdf: ReportPdf) -> bytes:
    return bytes(pdf.output())

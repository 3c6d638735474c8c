"""Reading uploaded spreadsheets safely, and writing sheets that cannot run formulas (IN2).

A file is judged by its content, never by its name: an .xlsx is a ZIP archive
holding `[Content_Types].xml`; anything else is tried as CSV text (UTF-8, then
GB18030, the superset of the GBK that Chinese Excel writes). Before openpyxl
opens an archive, its central directory is checked against the unzip limits
(member count, total uncompressed size, compression ratio) and every XML member's
prolog is checked for a DOCTYPE, so that zip bombs and entity attacks are refused
without being expanded. Every refusal is a `SpreadsheetError` with a Chinese message.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

MB = 1024 * 1024


class SpreadsheetError(Exception):
    """A file refused as a whole (not a spreadsheet, too large, damaged, an attack)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB
    max_rows: int = 200_000
    max_unzipped_bytes: int = 300 * MB  # a 200,000-row sheet is about 120 MB unzipped
    max_ratio: int = 100
    max_members: int = 1_000

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=getattr(settings, "LABORCREDIT_IMPORT_MAX_BYTES", cls.max_bytes),
            max_rows=getattr(settings, "LABORCREDIT_IMPORT_MAX_ROWS", cls.max_rows),
            max_unzipped_bytes=getattr(
                settings, "LABORCREDIT_IMPORT_MAX_UNZIPPED_BYTES", cls.max_unzipped_bytes
            ),
            max_ratio=getattr(settings, "LABORCREDIT_IMPORT_MAX_RATIO", cls.max_ratio),
            max_members=getattr(settings, "LABORCREDIT_IMPORT_MAX_MEMBERS", cls.max_members),
        )


@dataclass
class Sheet:
    """One table read from a file: its header row and its data rows with their row numbers."""

    kind: str  # "xlsx" or "csv"
    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_row: int = 1
    encoding: str = ""
    on_rows: Callable[[int], None] | None = field(default=None, repr=False)


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n} 字节"


# ---------------------------------------------------------------- what the bytes are

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件（如 .xls）"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"Rar!", "RAR 压缩文件"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩文件"),
    (b"MZ", "可执行程序"),
    (b"\x7fELF", "可执行程序"),
)
_NOT_A_SHEET = "文件内容不是 Excel（.xlsx）或 CSV 表格"


def sniff_kind(data: bytes) -> str:
    """'xlsx' or 'csv', judged by content; anything else is refused."""
    if not data.strip():
        raise SpreadsheetError("文件是空的", "file-empty")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"PK"):
        raise SpreadsheetError(f"{_NOT_A_SHEET}（是损坏或不完整的压缩包）", "xlsx-damaged")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            hint = "；请在 Excel 中另存为 .xlsx 后再导入" if "xls" in what else ""
            raise SpreadsheetError(f"{_NOT_A_SHEET}（看起来是{what}）{hint}", "not-a-spreadsheet")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(
            "不支持 UTF-16 编码的文本；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
            "encoding-unsupported",
        )
    head = data[:65536]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > len(head) // 100:
        raise SpreadsheetError(f"{_NOT_A_SHEET}（含有二进制数据）", "not-a-spreadsheet")
    return "csv"


def read_upload(path: str | os.PathLike[str], limits: Limits | None = None) -> bytes:
    """The bytes of an uploaded file, refused over the size cap without reading it whole."""
    limits = limits or Limits.from_settings()
    try:
        size = os.path.getsize(path)
        if size > limits.max_bytes:
            raise SpreadsheetError(
                f"文件大小 {_size(size)} 超过上限 {_size(limits.max_bytes)}", "file-too-large"
            )
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise SpreadsheetError(f"文件不存在：{path}", "file-missing") from None
    except IsADirectoryError:
        raise SpreadsheetError(f"这是一个目录，不是文件：{path}", "file-missing") from None
    except PermissionError:
        raise SpreadsheetError(f"没有读取权限：{path}", "file-unreadable") from None
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(f"文件大小超过上限 {_size(limits.max_bytes)}", "file-too-large")
    return data


# ---------------------------------------------------------------- xlsx


def check_xlsx_archive(data: bytes, limits: Limits) -> None:
    """Refuse a damaged archive, a zip bomb or an XML entity attack before openpyxl sees it.

    The sizes checked are those the central directory declares; zipfile never
    yields more than the declared size of a member (and fails its CRC if the
    data disagree), so a member that lies about its size cannot expand further.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise SpreadsheetError(
            "Excel 文件已损坏，无法打开（不是完整的 .xlsx 压缩包）", "xlsx-damaged"
        ) from None
    if "[Content_Types].xml" not in archive.namelist():
        raise SpreadsheetError(
            f"{_NOT_A_SHEET}（是 ZIP 压缩包，但不是 Excel 工作簿）", "not-a-spreadsheet"
        )
    if len(members) > limits.max_members:
        raise SpreadsheetError(
            f"Excel 文件内含 {len(members)} 个部件，超过上限 {limits.max_members}，疑似恶意文件",
            "xlsx-bomb",
        )
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1 * MB and ratio > limits.max_ratio:
            raise SpreadsheetError(
                f"Excel 文件中的 {member.filename} 压缩比 {ratio:.0f}:1 异常，疑似压缩炸弹，拒绝导入",
                "xlsx-bomb",
            )
    if total > limits.max_unzipped_bytes:
        raise SpreadsheetError(
            f"Excel 文件解压后共 {_size(total)}，超过上限 {_size(limits.max_unzipped_bytes)}，疑似压缩炸弹",
            "xlsx-bomb",
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")):
            _check_xml_prolog(archive, member)


_PROLOG_LIMIT = 64 * 1024


def _check_xml_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """An XML document may declare entities only in its prolog, before the root element:
    reading up to the root element is enough to refuse every entity attack."""
    try:
        with archive.open(member) as stream:
            head = stream.read(_PROLOG_LIMIT)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise SpreadsheetError(
            f"Excel 文件已损坏（{member.filename} 无法解压）", "xlsx-damaged"
        ) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:4].count(b"\x00") >= 2:
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    position = 0
    text = text.lstrip("\ufeff")
    while True:
        start = text.find("<", position)
        if start < 0:
            break
        if text.startswith("<?", start):
            end = text.find("?>", start)
        elif text.startswith("<!--", start):
            end = text.find("-->", start)
        elif text.startswith("<!", start):
            raise SpreadsheetError(
                f"Excel 文件中的 {member.filename} 含有 DOCTYPE/ENTITY 声明（XML 实体攻击），拒绝导入",
                "xml-entity",
            )
        else:
            return  # the root element: no declaration can follow
        if end < 0:
            break
        position = end + 2
    if len(head) >= _PROLOG_LIMIT:
        raise SpreadsheetError(
            f"Excel 文件中的 {member.filename} 开头异常，疑似恶意文件", "xml-entity"
        )


def read_xlsx(
    data: bytes,
    limits: Limits,
    sheet_names: Sequence[str] = (),
    on_rows: Callable[[int], None] | None = None,
) -> Sheet:
    """The first sheet (or the first of `sheet_names` present) of a checked workbook."""
    import openpyxl
    from defusedxml import DefusedXmlException

    check_xlsx_archive(data, limits)
    try:
        return _read_xlsx_fast(data, limits, sheet_names, on_rows)
    except SpreadsheetError:
        raise
    except Exception:  # anything unusual: openpyxl reads it, or names what is wrong
        pass
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:
        if _caused_by(error, DefusedXmlException):
            raise SpreadsheetError(
                "Excel 文件含有 XML 实体声明（XML 实体攻击），拒绝导入", "xml-entity"
            ) from None
        raise SpreadsheetError(
            "Excel 文件已损坏或不是有效的 .xlsx 工作簿，无法打开", "xlsx-damaged"
        ) from None
    try:
        names = workbook.sheetnames
        chosen = next((n for n in sheet_names if n in names), None) or (names[0] if names else None)
        if chosen is None:
            raise SpreadsheetError("Excel 文件中没有工作表", "file-empty")
        worksheet = workbook[chosen]
        sheet = Sheet(kind="xlsx", name=chosen, header=[], on_rows=on_rows)
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                _take_row(sheet, number, list(values), limits)
        except SpreadsheetError:
            raise
        except Exception as error:
            if _caused_by(error, DefusedXmlException):
                raise SpreadsheetError(
                    "Excel 文件含有 XML 实体声明（XML 实体攻击），拒绝导入", "xml-entity"
                ) from None
            raise SpreadsheetError(
                f"Excel 文件已损坏：工作表“{chosen}”无法读取", "xlsx-damaged"
            ) from None
    finally:
        workbook.close()
    return sheet


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that are dates, including the zh-CN ones (27–36, 50–58).
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


def _read_xlsx_fast(
    data: bytes,
    limits: Limits,
    sheet_names: Sequence[str],
    on_rows: Callable[[int], None] | None,
) -> Sheet:
    """A sheet read straight from its XML with the C parser: five times fewer Python calls
    per cell than openpyxl. Only for archives `check_xlsx_archive` passed (no DOCTYPE in
    any member, so no entity can be declared); any surprise falls back to openpyxl."""
    from xml.etree.ElementTree import XMLPullParser

    from defusedxml.ElementTree import fromstring
    from openpyxl.styles.numbers import is_date_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
    sheets = [(s.get("name"), s.get(f"{_REL}id")) for s in workbook.iter(f"{_MAIN}sheet")]
    if not sheets:
        raise ValueError("no sheet")
    wanted = [n for n, _ in sheets]
    chosen = next((n for n in sheet_names if n in wanted), None) or wanted[0]
    target = targets[dict(sheets)[chosen]]
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    for name in (path, "xl/sharedStrings.xml"):
        if name in names:  # whatever its name, a member parsed here has had its prolog checked
            _check_xml_prolog(archive, archive.getinfo(name))
    properties = workbook.find(f"{_MAIN}workbookPr")
    epoch = CALENDAR_WINDOWS_1900
    if properties is not None and properties.get("date1904") in ("1", "true"):
        epoch = CALENDAR_MAC_1904

    date_styles: set[int] = set()
    if "xl/styles.xml" in names:
        styles = fromstring(archive.read("xl/styles.xml"))
        custom = {
            int(f.get("numFmtId")): f.get("formatCode") or "" for f in styles.iter(f"{_MAIN}numFmt")
        }
        xfs = styles.find(f"{_MAIN}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else ()):
            fmt = int(xf.get("numFmtId") or 0)
            if fmt in _DATE_FORMAT_IDS or (fmt in custom and is_date_format(custom[fmt])):
                date_styles.add(index)

    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        parser = XMLPullParser(events=("end",))
        with archive.open("xl/sharedStrings.xml") as stream:
            while chunk := stream.read(1 << 16):
                parser.feed(chunk)
                for _, element in parser.read_events():
                    if element.tag == f"{_MAIN}si":
                        shared.append(_inline_text(element))
                        element.clear()
        parser.close()

    sheet = Sheet(kind="xlsx", name=chosen, header=[], on_rows=on_rows)
    columns: dict[str, int] = {}
    parser = XMLPullParser(events=("end",))
    row_tag, cell_tag, value_tag, inline_tag = (
        f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}is"
    )  # fmt: skip
    number = 0
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 16):
            parser.feed(chunk)
            for _, row in parser.read_events():
                if row.tag != row_tag:
                    continue
                number = int(row.get("r") or number + 1)
                values: list[Any] = []
                for cell in row.iter(cell_tag):
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip("0123456789")
                        index = columns.get(letters)
                        if index is None:
                            index = columns[letters] = _column_index(letters)
                        if index > len(values):
                            values.extend([None] * (index - len(values)))
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        inline = cell.find(inline_tag)
                        values.append(_inline_text(inline) if inline is not None else None)
                        continue
                    element = cell.find(value_tag)
                    text = element.text if element is not None else None
                    if text is None:
                        values.append(None)
                    elif kind == "s":
                        values.append(shared[int(text)])
                    elif kind in ("str", "e"):
                        values.append(text)
                    elif kind == "b":
                        values.append(text.strip() in ("1", "true"))
                    elif kind == "d":
                        values.append(datetime.datetime.fromisoformat(text.strip()))
                    else:
                        value: Any = float(text) if any(c in text for c in ".eE") else int(text)
                        if int(cell.get("s") or 0) in date_styles:
                            value = from_excel(value, epoch)
                        values.append(value)
                row.clear()
                _take_row(sheet, number, values, limits)
    parser.close()
    return sheet


def _inline_text(element: Any) -> str:
    """The text of a shared or inline string, without its phonetic (rPh) runs."""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{_MAIN}t"))
    return "".join(parts)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """openpyxl wraps the parser's exception in its own; look down the chain."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _take_row(sheet: Sheet, number: int, values: list[Any], limits: Limits) -> None:
    if all(_blank(v) for v in values):
        return
    if not sheet.header:
        sheet.header = ["" if v is None else str(v).strip() for v in values]
        sheet.header_row = number
        return
    if len(sheet.rows) >= limits.max_rows:
        raise SpreadsheetError(
            f"数据超过 {limits.max_rows} 行的上限；请拆分为多个文件导入", "too-many-rows"
        )
    sheet.rows.append((number, values))
    if sheet.on_rows is not None and len(sheet.rows) % 1000 == 0:
        sheet.on_rows(1000)


# ---------------------------------------------------------------- csv

_CJK = re.compile(r"[\u3400-\u9fff]")


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without BOM), else GB18030.

    A file whose lines are in different encodings (rows pasted from another
    file) is refused with the line where the encoding changes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data_ = data[3:]
        bom = True
    else:
        data_, bom = data, False
    try:
        return data_.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    first_utf8 = first_gb = None
    for number, line in enumerate(data_.split(b"\n"), start=1):
        try:
            if _CJK.search(line.decode("utf-8")) and first_utf8 is None:
                first_utf8 = number
        except UnicodeDecodeError:
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                raise SpreadsheetError(
                    f"第{number}行含有无法识别的字符（既不是 UTF-8 也不是 GBK/GB18030 编码）",
                    "encoding-invalid",
                ) from None
            if first_gb is None:
                first_gb = number
        if first_utf8 is not None and first_gb is not None:
            later, earlier = max(first_utf8, first_gb), min(first_utf8, first_gb)
            names = ("UTF-8", "GBK/GB18030") if first_utf8 < first_gb else ("GBK/GB18030", "UTF-8")
            raise SpreadsheetError(
                f"文件编码不一致：第{earlier}行是 {names[0]}，第{later}行是 {names[1]}；"
                "请在 Excel 中统一另存为“CSV UTF-8（逗号分隔）”后再导入",
                "encoding-mixed",
            )
    try:
        return data_.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        line = data_.count(b"\n", 0, error.start) + 1
        raise SpreadsheetError(
            f"第{line}行含有无法识别的字符（既不是 UTF-8 也不是 GBK/GB18030 编码）",
            "encoding-invalid",
        ) from None


def read_csv(data: bytes, limits: Limits, on_rows: Callable[[int], None] | None = None) -> Sheet:
    text, encoding = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    sheet = Sheet(kind="csv", name="", header=[], encoding=encoding, on_rows=on_rows)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            _take_row(sheet, number, values, limits)
    except csv.Error as error:
        raise SpreadsheetError(
            f"CSV 格式错误（第{number + 1}行）：{error}", "csv-invalid"
        ) from None
    return sheet


def read_sheet(
    data: bytes,
    limits: Limits | None = None,
    sheet_names: Sequence[str] = (),
    on_rows: Callable[[int], None] | None = None,
) -> Sheet:
    """A table from the bytes of an uploaded .xlsx or .csv, judged by content."""
    limits = limits or Limits.from_settings()
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(f"文件大小超过上限 {_size(limits.max_bytes)}", "file-too-large")
    kind = sniff_kind(data)
    # A sheet is a million small objects and no reference cycles: the cyclic collector
    # would only scan them over and over (most of the reading time at 100,000 rows).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if kind == "xlsx":
            sheet = read_xlsx(data, limits, sheet_names, on_rows)
        else:
            sheet = read_csv(data, limits, on_rows)
    finally:
        if collecting:
            gc.enable()
    if not sheet.header:
        raise SpreadsheetError("文件中没有任何内容（既没有表头也没有数据）", "file-empty")
    return sheet


# ---------------------------------------------------------------- writing

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """A CSV file in UTF-8 with BOM (so that Excel opens it), every cell neutralised."""
    count = 0
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(h) for h in header])
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
            count += 1
    return count


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def text_cell(worksheet: Any, value: Any, **style: Any) -> Any:
    """A write-only cell; text is always stored as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=neutralise(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def xlsx_rows(worksheet: Any, rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [text_cell(worksheet, _xlsx_value(v)) for v in row]


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_xlsx(
    target: str | os.PathLike[str], title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """One sheet streamed to an .xlsx file (openpyxl write-only), every cell neutralised."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(title)
    worksheet.freeze_panes = "A2"
    worksheet.append([text_cell(worksheet, h, font=Font(bold=True)) for h in header])
    count = 0
    for cells in xlsx_rows(worksheet, rows):
        worksheet.append(cells)
        count += 1
    workbook.save(target)
    return count

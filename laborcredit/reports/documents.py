"""The files: an employer's credit report (PDF) and the report to superior departments (xlsx, PDF)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from laborcredit.lib.spreadsheets import neutralise
from laborcredit.reports.pdf import GRADE_COLOURS, ReportPdf, pdf_bytes
from laborcredit.reports.selectors import GRADES, UNGRADED, SuperiorReport

BUREAU = "舞钢市人力资源和社会保障局"
REGULATION = "《舞钢市用人单位劳动保障信用分级分类监管办法》（舞人社〔2022〕127号）"
VERIFY_PATH = "/reports/verify/"


def credit_report_pdf(
    content: dict[str, Any], *, code: str, issued_at: Any, verify_url: str = VERIFY_PATH
) -> bytes:
    """An employer's credit report: basic information, grade with basis and articles, grade
    history, public records and measures; every page carries the verification code."""
    employer = content["employer"]
    issued = timezone.localtime(issued_at)
    pdf = ReportPdf(
        title=f"用人单位劳动保障信用报告：{employer['name']}",
        footer_text=f"{BUREAU}  验证码 {code}",
    )
    pdf.title_block(
        "用人单位劳动保障信用报告",
        f"{BUREAU}  出具时间 {issued:%Y-%m-%d %H:%M}\n依据 {REGULATION}",
    )
    pdf.subheading(f"验证码：{code}")
    pdf.paragraph(
        f"可在本局信用报告验证页面（{verify_url}）输入验证码，核验本报告的真实性、出具时间，"
        "以及报告所载等级是否仍为该单位现行信用等级。",
        size=9,
        muted=True,
    )

    pdf.heading("一、单位基本情况（第五条 基础信息）")
    pdf.facts([tuple(row) for row in content["basic"]])

    grade = content["grade"]
    pdf.heading("二、当前信用等级（第八条）")
    if grade is None:
        pdf.paragraph("该单位尚未评价信用等级。")
    else:
        r, g, b = GRADE_COLOURS[grade["code"]]
        pdf.set_text_color(r, g, b)
        pdf.title_block(f"{grade['code']}级（{grade['label']}）")
        pdf.set_text_color(0, 0, 0)
        pdf.paragraph(f"评价日期：{grade['as_of']}")
        pdf.paragraph(grade["meaning"])
        if grade["decided"]:
            pdf.paragraph(
                f"本等级为市人社局人工认定的结果（{grade['decided_on']}），理由：{grade['decision_reason']}"
            )
        elif grade["pending_review"]:
            pdf.paragraph("本评价结果待市人社局人工复核，复核后等级可能调整。", muted=True)
        if grade["provincial_level"]:
            pdf.paragraph(f"河南省公共信用综合评价结果：{grade['provincial_level']}级（第八条）")
        pdf.subheading("评价依据")
        for number, entry in enumerate(grade["basis"], 1):
            pdf.paragraph(f"{number}. {entry['citation']}：{entry['reason']}")
            for article in entry["articles"]:
                pdf.paragraph(f"{article['number']}　{article['text']}", size=8.5, muted=True)
        if not grade["basis"]:
            pdf.paragraph("无")

    pdf.heading("三、信用等级变化（第十三条 动态调整）")
    if content["history"]:
        pdf.table_of(
            ["评价日期", "原等级", "新等级", "原因", "相关信用记录"],
            [[h["as_of"], h["from"], h["to"], h["cause"], h["record"]] for h in content["history"]],
            widths=(2, 1.2, 1.2, 2.4, 4),
        )
    else:
        pdf.paragraph("无")

    pdf.heading("四、信用记录（第五条）")
    pdf.paragraph(content["records_note"], size=9, muted=True)
    if content["records"]:
        pdf.table_of(
            ["日期", "类别", "记录", "案件编号", "文书号", "作出机关", "条款"],
            [
                [
                    r["date"],
                    r["category"],
                    # Reports issued before 双公示 fields existed have no "penalty".
                    f"{r['type']}（{r['penalty']}）" if r.get("penalty") else r["type"],
                    r["case"],
                    r["document_number"],
                    r["issuing_body"],
                    r["article"],
                ]
                for r in content["records"]
            ],
            widths=(2, 1.6, 2.6, 2.6, 2.6, 2.2, 1.6),
            size=8,
        )
    else:
        pdf.paragraph("无可公开的信用记录。")

    pdf.heading("五、适用措施（第十四条至第十七条）")
    if content["measures"]:
        for m in content["measures"]:
            pdf.paragraph(f"【{m['kind']}】{m['citation']}：{m['text']}")
            pdf.paragraph(f"适用原因：{m['why']}", size=8.5, muted=True)
        pdf.paragraph("“可以”采取的措施由各业务环节在法定权限范围内依法适用。", size=9, muted=True)
    elif grade is not None and grade["code"] == "C":
        pdf.paragraph("该单位为人工认定的C级，适用的措施以市人社局告知为准。")
    else:
        pdf.paragraph("无")

    pdf.heading("说明")
    pdf.paragraph(
        "1. 本报告反映出具时系统中的信用信息；信用等级实行动态调整（第十三条），以验证页面显示的现行等级为准。\n"
        "2. 对信用信息的采集、归集、应用或等级评价有异议的，可以向市人社局提出异议申请（第十九条），"
        "市人社局自收到之日起 3 个工作日内处理并告知，需向有关部门核查的 10 个工作日内处理并告知（第二十条）。\n"
        "3. 报告内容经涂改或与验证页面所示不符的，以验证页面为准。",
        size=9,
    )
    return pdf_bytes(pdf)


# ------------------------------------------------------------------ superior departments


def superior_report_xlsx(report: SuperiorReport) -> bytes:
    """One sheet per table, each headed by the report's title and the table's own. Written
    row by row (openpyxl's write-only mode): a province's year of grade changes is hundreds of
    thousands of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    top = Alignment(vertical="top")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EBEEF3")
    for table in report.tables:
        sheet = book.create_sheet(table.key[:31])

        def cell(value: Any, sheet: Any = sheet, **style: Any) -> WriteOnlyCell:
            made = WriteOnlyCell(sheet, value)
            for name, setting in style.items():
                setattr(made, name, setting)
            return made

        for index, header in enumerate(table.headers, 1):
            longest = max(
                [len(str(header))] + [len(str(r[index - 1])) for r in table.rows if len(r) >= index]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(60, 4 + longest * 1.8)
        sheet.freeze_panes = "A5"
        sheet.append([cell(neutralise(report.title), font=Font(bold=True, size=13), alignment=top)])
        sheet.append([cell(neutralise(table.title), font=bold, alignment=top)])
        sheet.append(
            [
                cell(
                    f"统计期间：{report.period.start:%Y-%m-%d} 至 {report.period.end:%Y-%m-%d}；"
                    f"生成时间：{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}；{BUREAU}",
                    alignment=top,
                )
            ]
        )
        sheet.append([cell(neutralise(h), font=bold, fill=fill) for h in table.headers])
        for row in table.rows:
            values = [neutralise(v) if isinstance(v, str) else v for v in row]
            if values:
                values[0] = cell(values[0], alignment=top)
            sheet.append(values)
        if not table.rows:
            sheet.append([cell("本期无", alignment=top)])
        if table.note:
            sheet.append([])
            sheet.append([cell(neutralise(f"说明：{table.note}"), alignment=top)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def superior_report_pdf(report: SuperiorReport) -> bytes:
    """Tables and bar charts: the grade distribution, grades by township and by industry."""
    generated = timezone.localtime(report.generated_at)
    pdf = ReportPdf(title=report.title, footer_text=f"{BUREAU}  {report.title}")
    pdf.title_block(
        report.title,
        f"统计期间 {report.period.start:%Y-%m-%d} 至 {report.period.end:%Y-%m-%d}  "
        f"生成时间 {generated:%Y-%m-%d %H:%M}\n{BUREAU}  依据 {REGULATION}第六条",
    )
    keys = [*GRADES, UNGRADED]
    for number, table in enumerate(report.tables, 1):
        pdf.heading(f"{_chinese_number(number)}、{table.title}")
        if table.chart == "bars":
            pdf.bar_chart("图：各信用等级单位数", [(str(r[0]), float(r[1])) for r in table.rows])
        elif table.chart == "grades":
            items = [
                (str(r[0]), {k: float(v) for k, v in zip(keys, r[1:-1], strict=True)})
                for r in table.rows[:-1]
                if r[-1]
            ]
            if items:
                pdf.stacked_bar_chart(f"图：{table.title}", items, keys=keys)
        if table.rows:
            widths = (3, *([1] * (len(table.headers) - 1))) if len(table.headers) > 2 else (4, 1)
            if table.detail:
                widths = None
            pdf.table_of(table.headers, table.shown, widths=widths, size=8)
            if table.not_shown:
                pdf.paragraph(table.not_shown_note, size=8.5, muted=True)
        else:
            pdf.paragraph("本期无。")
        if table.note:
            pdf.paragraph(f"说明：{table.note}", size=8.5, muted=True)
    return pdf_bytes(pdf)


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    if n <= 10:
        return digits[n]
    return ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")

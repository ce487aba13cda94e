"""Reading and writing CSV and Excel tables with line numbers a person can find."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .errors import DomainError

MAX_ROWS = 200_000


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict]]  # (line number in the file, {column: text})


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV"))


def read_table(filename: str, content: bytes) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(content)
    raise DomainError(_("不支持的文件类型“%(name)s”：请上传 .csv 或 .xlsx") % {"name": filename[:80]})


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(content: bytes) -> Table:
    reader = csv.reader(io.StringIO(_decode(content)))
    try:
        return _csv_rows(reader)
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KiB limit
        raise DomainError(_("CSV 第 %(line)d 行无法读取：%(problem)s") % {"line": reader.line_num, "problem": exc}) from None


def _csv_rows(reader) -> Table:
    header: list[str] | None = None
    rows = []
    for line_no, record in enumerate(reader, start=1):
        if header is None:
            header = [h.strip() for h in record]
            continue
        if not any(cell.strip() for cell in record):
            continue
        rows.append((line_no, {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header)}))
        if len(rows) > MAX_ROWS:
            raise DomainError(_("文件超过 %(n)d 行，请拆分后导入") % {"n": MAX_ROWS})
    if header is None:
        raise DomainError(_("文件是空的"))
    return Table(header, rows)


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DomainError(_("无法读取 Excel 文件：%(problem)s") % {"problem": exc.__class__.__name__}) from None
    sheet = workbook.worksheets[0]
    header: list[str] | None = None
    rows = []
    for line_no, record in enumerate(sheet.iter_rows(values_only=True), start=1):
        if header is None:
            header = [_cell_text(h) for h in record]
            continue
        cells = [_cell_text(v) for v in record]
        if not any(cells):
            continue
        rows.append((line_no, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
        if len(rows) > MAX_ROWS:
            raise DomainError(_("文件超过 %(n)d 行，请拆分后导入") % {"n": MAX_ROWS})
    workbook.close()
    if header is None:
        raise DomainError(_("文件是空的"))
    return Table(header, rows)


def write_csv(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # BOM so that Excel on Windows opens Chinese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header: list[str], rows, title: str = "Sheet1") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Importing the national standards platform's export (CSV or .xlsx): all rows or none.

The column layout is the one the national public service platform for standards
information exports: 标准号, 中文标准名称, 英文标准名称, 标准状态, 发布日期, 实施日期,
废止日期, 代替标准, 被代替标准, ICS, CCS, 采标情况, 主管部门, 归口单位, 起草单位 (plus
optional 适用范围 and 相关行业).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.services import audit
from qualitycity.core.tabular import read_table

from .. import numbers
from ..models import Status
from .catalogue import Outcome, Record, upsert

COLUMNS = {
    "标准号": "number", "中文标准名称": "title_zh", "英文标准名称": "title_en", "标准状态": "status",
    "发布日期": "published_on", "实施日期": "implemented_on", "废止日期": "abolished_on", "代替标准": "replaces",
    "被代替标准": "replaced_by", "ICS": "ics", "CCS": "ccs", "采标情况": "adoption", "主管部门": "competent_department",
    "归口单位": "technical_committee", "起草单位": "drafters", "适用范围": "scope", "相关行业": "industries",
}
REQUIRED = ("标准号", "中文标准名称", "标准状态")
STATUSES = {
    "现行": Status.CURRENT, "即将实施": Status.UPCOMING, "废止": Status.ABOLISHED, "被代替": Status.REPLACED,
    **{s.value: s for s in Status},
}
_SPLIT = re.compile(r"\s*[;；,，、\n]\s*")
_ICS = re.compile(r"^\d{2}(?:\.\d{3}(?:\.\d{2})?)?$")
_CCS = re.compile(r"^[A-Z](?:\d{2})?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(_("“{text}”不是日期（YYYY-MM-DD）").format(text=text))
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(_("“{text}”不是有效日期").format(text=text)) from None


def _numbers(text: str) -> list[str]:
    return [numbers.normalize(part) for part in _SPLIT.split(text or "") if part.strip()]


def _adoption(text: str) -> tuple[str, str]:
    """'ISO 9001:2015, IDT' / 'IDT ISO 9001:2015' / 'ISO 9001:2015（IDT）' → ('IDT', 'ISO 9001:2015')."""
    if not text.strip():
        return "", ""
    cleaned = numbers.clean(text)
    m = re.search(r"\b(IDT|MOD|NEQ|EQV)\b", cleaned)
    if not m:
        raise ValueError(_("采标情况“{text}”应写明 IDT、MOD 或 NEQ").format(text=text))
    degree = "MOD" if m[1] == "EQV" else m[1]  # EQV (before 2001) corresponds to MOD today
    rest = (cleaned[: m.start()] + " " + cleaned[m.end():]).strip(" ,，()（）")
    return degree, numbers.normalize(rest)


def _status(text: str) -> str:
    if text not in STATUSES:
        raise ValueError(_("“{text}”不是标准状态（现行、即将实施、废止、被代替）").format(text=text))
    return STATUSES[text]


def _ccs(text: str) -> str:
    if text and not _CCS.match(text.upper()):
        raise ValueError(_("CCS 分类号“{text}”格式不对（如 K13）").format(text=text))
    return text.upper()


def _row(raw: dict) -> tuple[Record | None, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict = {}

    def take(column: str, parse):
        try:
            values[COLUMNS[column]] = parse((raw.get(column) or "").strip())
        except ValueError as exc:
            errors[column] = str(exc)

    take("标准号", lambda t: numbers.normalize(t))
    take("中文标准名称", lambda t: t)
    take("标准状态", _status)
    for column in ("发布日期", "实施日期", "废止日期"):
        take(column, _date)
    take("代替标准", _numbers)
    take("被代替标准", _numbers)

    def ics(text):
        codes = [c for c in _SPLIT.split(text) if c]
        bad = [c for c in codes if not _ICS.match(c)]
        if bad:
            raise ValueError(_("ICS 分类号“{bad}”格式不对（如 29.060.20）").format(bad=bad[0]))
        return codes

    take("ICS", ics)
    take("CCS", _ccs)
    take("采标情况", _adoption)
    for column in ("英文标准名称", "主管部门", "归口单位", "起草单位", "适用范围"):
        take(column, lambda t: t)
    take("相关行业", lambda t: [c for c in _SPLIT.split(t) if c])
    if errors:
        return None, errors
    degree, adopted = values.pop("adoption")
    parsed = numbers.parse(values["number"])
    if parsed.adopted is not None and not adopted:  # the double number itself says which one
        degree, adopted = "IDT", parsed.adopted.canonical
    record = Record(**values, adoption=degree, adopted_number=adopted, source="import")
    if not record.title_zh and not (parsed.kind == "international" and record.title_en):
        errors["中文标准名称"] = _("不能为空")  # international standards may carry only their English title
    if record.status == Status.ABOLISHED and record.abolished_on is None:
        errors["废止日期"] = _("废止的标准须填写废止日期")
    if record.implemented_on and record.published_on and record.implemented_on < record.published_on:
        errors["实施日期"] = _("实施日期早于发布日期")
    return (None, errors) if errors else (record, {})


def import_file(*, by: audit.Actor, filename: str, content: bytes) -> Outcome:
    """Validate every row; any problem → ``ImportRejected`` listing (line, column, message)
    for each one, and nothing is written."""
    table = read_table(filename, content)
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise ImportRejected([{"line": 1, "column": c, "message": _("缺少必需的列")} for c in missing])
    problems = [{"line": 1, "column": h, "message": _("无法识别的列")} for h in table.header if h and h not in COLUMNS]
    if not table.rows:
        raise DomainError(_("文件中没有数据行"))
    records: list[Record] = []
    seen: dict[str, int] = {}
    for line, raw in table.rows:
        record, errors = _row(raw)
        problems += [{"line": line, "column": column, "message": message} for column, message in errors.items()]
        if record is not None:
            if record.number in seen:
                problems.append({"line": line, "column": "标准号", "message": _("与第 {line} 行重复").format(line=seen[record.number])})
            seen.setdefault(record.number, line)
            records.append(record)
    if problems:
        raise ImportRejected(problems)
    return upsert(by=by, records=records, action="standards.import")

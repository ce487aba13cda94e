"""Parsing and normalizing standard numbers, the first thing users type.

Pure Python (no Django), shared by search, import, inspection and complaints:
``normalize(text) -> str`` returns the canonical number or raises ``StandardNumberError``.

The canonical forms follow the way the numbers are printed on the standards themselves:
GB/T 1.1-2020 (《标准化工作导则 第1部分》) for Chinese numbers — prefix, space, sequence,
``.part``, ``-year`` — and ISO/IEC Directives Part 2 for ISO and IEC references —
``ISO 10263-6:2009``, ``ISO/TR 8545:1984``, ``ISO/IEC TR 5469:2024``, ``/Amd 1:2004``.
A double number ``GB/T 19001-2016/ISO 9001:2015`` marks the adoption of an international
standard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

MAX_NUMBER_CHARS = 120


class StandardNumberError(ValueError):
    """The text is not a standard number; the message says why, in one line."""


NATIONAL, INDUSTRY, LOCAL, GROUP, ENTERPRISE, INTERNATIONAL = (
    "national", "industry", "local", "group", "enterprise", "international",
)

# Industry standard codes (行业标准代号) and the field each belongs to, from the list the
# Standardization Administration publishes; the competent department is where the field's
# standards are usually approved. "DB" alone (not DB + province code) is the earthquake code.
INDUSTRY_PREFIXES: dict[str, tuple[str, str]] = {
    "AQ": ("安全生产", "应急管理部"), "BB": ("包装", "工业和信息化部"), "CB": ("船舶", "工业和信息化部"),
    "CH": ("测绘", "自然资源部"), "CJ": ("城镇建设", "住房和城乡建设部"), "CY": ("新闻出版", "国家新闻出版署"),
    "DA": ("档案", "国家档案局"), "DB": ("地震", "中国地震局"), "DL": ("电力", "国家能源局"),
    "DZ": ("地质矿产", "自然资源部"), "EJ": ("核工业", "国家原子能机构"), "FZ": ("纺织", "工业和信息化部"),
    "GA": ("公共安全", "公安部"), "GH": ("供销合作", "中华全国供销合作总社"), "GM": ("密码", "国家密码管理局"),
    "GY": ("广播电影电视", "国家广播电视总局"), "HB": ("航空", "工业和信息化部"), "HG": ("化工", "工业和信息化部"),
    "HJ": ("环境保护", "生态环境部"), "HS": ("海关", "海关总署"), "HY": ("海洋", "自然资源部"),
    "JB": ("机械", "工业和信息化部"), "JC": ("建材", "工业和信息化部"), "JG": ("建筑工业", "住房和城乡建设部"),
    "JR": ("金融", "中国人民银行"), "JT": ("交通", "交通运输部"), "JY": ("教育", "教育部"),
    "LB": ("旅游", "文化和旅游部"), "LD": ("劳动和劳动安全", "人力资源和社会保障部"), "LS": ("粮食", "国家粮食和物资储备局"),
    "LY": ("林业", "国家林业和草原局"), "MH": ("民用航空", "中国民用航空局"), "MT": ("煤炭", "国家能源局"),
    "MZ": ("民政", "民政部"), "NB": ("能源", "国家能源局"), "NY": ("农业", "农业农村部"),
    "QB": ("轻工", "工业和信息化部"), "QC": ("汽车", "工业和信息化部"), "QJ": ("航天", "工业和信息化部"),
    "QX": ("气象", "中国气象局"), "RB": ("认证认可", "国家认证认可监督管理委员会"), "SB": ("国内贸易", "商务部"),
    "SC": ("水产", "农业农村部"), "SF": ("司法", "司法部"), "SH": ("石油化工", "工业和信息化部"),
    "SJ": ("电子", "工业和信息化部"), "SL": ("水利", "水利部"), "SN": ("出入境检验检疫", "海关总署"),
    "SY": ("石油天然气", "国家能源局"), "TB": ("铁路运输", "国家铁路局"), "TD": ("土地管理", "自然资源部"),
    "TY": ("体育", "国家体育总局"), "WB": ("物资管理", "国家粮食和物资储备局"), "WH": ("文化", "文化和旅游部"),
    "WJ": ("兵工民品", "国家国防科技工业局"), "WM": ("外经贸", "商务部"), "WS": ("卫生", "国家卫生健康委员会"),
    "WW": ("文物保护", "国家文物局"), "XB": ("稀土", "工业和信息化部"), "XF": ("消防救援", "应急管理部"),
    "YB": ("黑色冶金", "工业和信息化部"), "YC": ("烟草", "国家烟草专卖局"), "YD": ("通信", "工业和信息化部"),
    "YS": ("有色金属", "工业和信息化部"), "YY": ("医药", "国家药品监督管理局"), "YZ": ("邮政", "国家邮政局"),
}

# GB/T 2260 province-level codes, the two digits after DB in a local standard.
PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆",
}

# Every way a dash is typed: hyphen-minus, hyphen, non-breaking hyphen, figure dash,
# en dash, em dash, horizontal bar, minus sign, small and full-width hyphen-minus.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]+")
# The province code must follow DB directly (DB42/T 1234); "DB 123" is the earthquake code.
_CHINESE = re.compile(
    r"^(?P<head>[A-Z]+)(?:(?<=DB)(?P<prov>\d{2}))?\s*(?:/\s*(?P<tail>[A-Z]+))?\s*"
    r"(?P<seq>\d+)(?:\s*\.\s*(?P<part>\d+(?:\.\d+)*))?(?:\s*-\s*(?P<year>\d+)|\s+(?P<year2>\d{4}))?$"
)
# Deliverable types and draft stages that may stand between the organization and the number.
_ISO_TYPES = (
    "FDIS", "DIS", "CD", "WD", "AWI", "NP", "PWI", "PRF", "DTR", "DTS", "DPAS",
    "TR", "TS", "PAS", "ISP", "R", "GUIDE", "DIR",
)
_TYPE_ALT = "|".join(_ISO_TYPES)
_ISO = re.compile(
    r"^(?P<org>(?:ISO|IEC|IWA|EN)(?:\s*/\s*(?!(?:" + _TYPE_ALT + r")\b)[A-Z][A-Z0-9]*)*)"
    r"(?P<type>(?:(?:\s*/\s*|\s+)(?:" + _TYPE_ALT + r")\b)*)\s*"
    r"(?P<seq>\d+)(?P<part>(?:\s*-\s*[0-9][0-9A-Z]*|-[A-Z][0-9]+)*)(?:\.(?P<draft>\d+))?"
    r"(?:\s*:\s*(?P<year>\d+))?"
    r"(?P<supp>(?:\s*/\s*(?:(?:CD|WD|AWI|NP|DIS|FDIS|PRF)\s+)?(?:AMD|COR|DAMD?|FDAMD?|DCOR|FDCOR|ADD)\s*\d+"
    r"(?:\s*:\s*\d{4})?)*)$"
)
_SUPP = re.compile(r"(?:(CD|WD|AWI|NP|DIS|FDIS|PRF)\s+)?(AMD|COR|DAMD?|FDAMD?|DCOR|FDCOR|ADD)\s*(\d+)(?:\s*:\s*(\d{4}))?")
_SUPP_NAMES = {"AMD": "Amd", "COR": "Cor", "DAM": "DAM", "DAMD": "DAmd", "FDAM": "FDAM", "FDAMD": "FDAmd",
               "DCOR": "DCOR", "FDCOR": "FDCOR", "ADD": "Add"}
_ITU = re.compile(r"^ITU\s*-?\s*(?P<sector>[TR])\s*(?P<series>[A-Z])\s*\.?\s*(?P<seq>\d+(?:\.\d+)?)$")
# Where a Chinese number ends and the adopted international number begins.
_ADOPTION_SPLIT = re.compile(r"\s*/\s*(?=(?:ISO|IEC|EN|ITU)\b|(?:ISO|IEC|EN)\d)")


@dataclass(frozen=True)
class StandardNumber:
    kind: str
    prefix: str
    sequence: str
    part: str = ""
    year: str = ""
    supplement: str = ""
    adopted: StandardNumber | None = None

    @property
    def base(self) -> str:
        """The number without its year (an edition family: every GB/T 19001 edition)."""
        if self.kind == INTERNATIONAL:
            if self.prefix.startswith("ITU"):
                return f"{self.prefix} {self.sequence}"
            return f"{self.prefix} {self.sequence}" + (f"-{self.part}" if self.part else "")
        return f"{self.prefix} {self.sequence}" + (f".{self.part}" if self.part else "")

    @property
    def canonical(self) -> str:
        text = self.base
        if self.year:
            text += (":" if self.kind == INTERNATIONAL else "-") + self.year
        text += self.supplement
        if self.adopted is not None:
            text += "/" + self.adopted.canonical
        return text

    @property
    def own(self) -> str:
        """The canonical number without the adopted one."""
        return self.canonical.split("/" + self.adopted.canonical)[0] if self.adopted else self.canonical

    @property
    def is_chinese(self) -> bool:
        return self.kind != INTERNATIONAL

    def __str__(self) -> str:
        return self.canonical


def clean(text: str) -> str:
    """Fold what people type into one spelling: NFKC (full-width ／－：Ｇ → /-:G), every dash
    to '-', no control characters, single spaces, upper case."""
    folded = unicodedata.normalize("NFKC", text or "")
    folded = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in folded)
    folded = _DASHES.sub("-", folded)
    return re.sub(r"\s+", " ", folded).strip().upper()


def _check_year(year: str, *, four_digits: bool) -> str:
    if not year:
        return ""
    if len(year) == 2 and not four_digits:
        return year  # numbers before 1995 were printed with two-digit years: GB 5749-85
    if len(year) != 4:
        raise StandardNumberError(f"年份“{year}”应为四位数字")
    if not 1900 <= int(year) <= 2100:
        raise StandardNumberError(f"年份“{year}”不在 1900–2100 之间")
    return year


def _parse_international(text: str) -> StandardNumber:
    itu = _ITU.match(text)
    if itu:
        return StandardNumber(INTERNATIONAL, f"ITU-{itu['sector']}", f"{itu['series']}.{itu['seq']}")
    m = _ISO.match(text)
    if not m:
        raise StandardNumberError(f"“{text}”不是可识别的国际标准号（如 ISO 9001:2015）")
    org = re.sub(r"\s*/\s*", "/", m["org"])
    types = ["Guide" if t == "GUIDE" else t for t in re.findall(r"[A-Z]+", m["type"] or "")]
    parts = [p for p in re.split(r"\s*-\s*", m["part"] or "") if p]
    year = m["year"] or ""
    # "ISO 9001-2015" is a common way of typing the year; ISO part numbers that look like
    # a year (e.g. a part 2000) are rare enough that the year reading wins.
    if not year and parts and parts[-1].isdigit() and len(parts[-1]) == 4 and 1946 <= int(parts[-1]) <= 2100:
        year = parts.pop()
    # ISO/TR 8545, ISO/CD TS 5083, ISO/IEC TR 5469, ISO Guide 73: a single organization takes
    # the type after a slash, a joint one after a space; guides always after a space.
    prefix = org
    if types:
        joiner = " " if "/" in org or types[0] == "Guide" else "/"
        prefix = f"{org}{joiner}{' '.join(types)}"
    supplement = "".join(
        f"/{stage + ' ' if stage else ''}{_SUPP_NAMES[kind]} {int(n)}" + (f":{supp_year}" if supp_year else "")
        for stage, kind, n, supp_year in _SUPP.findall(m["supp"] or "")
    )
    sequence = str(int(m["seq"]))
    if m["draft"]:  # a draft's iteration (ISO/CD 15686-1.2) ends the base number
        if parts:
            parts[-1] += f".{m['draft']}"
        else:
            sequence += f".{m['draft']}"
    return StandardNumber(INTERNATIONAL, prefix, sequence, "-".join(parts), _check_year(year, four_digits=True), supplement)


def _chinese_prefix(head: str, prov: str | None, tail: str | None) -> tuple[str, str]:
    """(kind, canonical prefix) for the letters before the sequence number."""
    if head == "T" and tail and prov is None:
        if not 2 <= len(tail) <= 12:
            raise StandardNumberError(f"团体代号“{tail}”长度不对")
        return GROUP, f"T/{tail}"
    if head == "Q" and tail and prov is None:
        return ENTERPRISE, f"Q/{tail}"
    if head == "DB" and prov is not None:
        if prov not in PROVINCES:
            raise StandardNumberError(f"地方标准的省级代码“{prov}”不存在")
        if tail not in (None, "T", "Z"):
            raise StandardNumberError(f"地方标准代号“DB{prov}/{tail}”不对，应为 DB{prov} 或 DB{prov}/T")
        return LOCAL, f"DB{prov}" + (f"/{tail}" if tail else "")
    if prov is not None:
        raise StandardNumberError(f"标准代号“{head}{prov}”无法识别")
    # Typed without the slash: GBT → GB/T, QBT → QB/T (but JT stays JT, a code of its own).
    if tail is None and head not in INDUSTRY_PREFIXES and head[-1:] in ("T", "Z") and (
        head[:-1] == "GB" or head[:-1] in INDUSTRY_PREFIXES
    ):
        head, tail = head[:-1], head[-1]
    if tail not in (None, "T", "Z"):
        raise StandardNumberError(f"标准代号“{head}/{tail}”无法识别")
    suffix = f"/{tail}" if tail else ""
    if head == "GB":
        return NATIONAL, "GB" + suffix
    if head in INDUSTRY_PREFIXES:
        return INDUSTRY, head + suffix
    raise StandardNumberError(f"标准代号“{head}{suffix}”无法识别")


def _parse_chinese(text: str) -> StandardNumber:
    m = _CHINESE.match(text)
    if not m:
        if re.match(r"^[A-Z]+(?:\d{2})?\s*(?:/\s*[A-Z]+)?$", text):
            raise StandardNumberError(f"“{text}”缺少顺序号")
        raise StandardNumberError(f"“{text}”不是可识别的标准号（如 GB/T 19001-2016）")
    kind, prefix = _chinese_prefix(m["head"], m["prov"], m["tail"])
    year = _check_year(m["year"] or m["year2"] or "", four_digits=False)
    return StandardNumber(kind, prefix, str(int(m["seq"])) if kind != ENTERPRISE else m["seq"], m["part"] or "", year)


def _is_international(text: str) -> bool:
    return bool(re.match(r"^(?:ISO|IEC|IWA|EN|ITU)(?:\b|\d|/)", text))


def parse(text: str) -> StandardNumber:
    """Parse any typed form of a standard number; raise ``StandardNumberError`` with a
    one-line reason otherwise."""
    if text is None or not str(text).strip():
        raise StandardNumberError("标准号为空")
    if len(text) > MAX_NUMBER_CHARS:
        raise StandardNumberError(f"标准号过长（超过 {MAX_NUMBER_CHARS} 个字符）")
    cleaned = clean(text)
    if not cleaned:
        raise StandardNumberError("标准号为空")
    if _is_international(cleaned):
        return _parse_international(cleaned)
    pieces = _ADOPTION_SPLIT.split(cleaned, maxsplit=1)
    own = _parse_chinese(pieces[0])
    if len(pieces) == 2:
        adopted = _parse_international(pieces[1].strip())
        return StandardNumber(own.kind, own.prefix, own.sequence, own.part, own.year, own.supplement, adopted)
    return own


def normalize(text: str) -> str:
    """The canonical number, e.g. ``normalize("gb／t19001—2016") == "GB/T 19001-2016"``."""
    return parse(text).canonical


def try_parse(text: str) -> StandardNumber | None:
    try:
        return parse(text)
    except StandardNumberError:
        return None


def looks_like_number(text: str) -> bool:
    """Whether a search query is meant as a number (it parses), rather than words."""
    return try_parse(text) is not None


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, cut off at ``limit + 1`` (enough for 'did you mean')."""
    return Levenshtein.distance(a, b, score_cutoff=limit)

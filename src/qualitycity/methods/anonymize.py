"""Removing identifying details from a consultation before it joins the knowledge base.

Pure text processing, no Django. What counts as personal or company-identifying follows
《个人信息保护法》 art. 73(4) (anonymization: the person can no longer be identified and the
result cannot be reversed) and GB/T 35273-2020 §3.14; in practice for our cases that means:

- unified social credit codes (GB 32100-2015: 18 characters, digits and capitals without I O Z S V),
  also when written with spaces or hyphens inside ("91420111 MA4K2XYZ3Q", "9142-0111-MA4K…");
- resident ID numbers (GB 11643-1999: 17 digits and a digit or X);
- mobile and landline phone numbers;
- the enterprise's own credit code and phone numbers as the caller knows them, matched whatever
  separators the writer put between the characters;
- company names: the names the caller knows (the enterprise's registered name and its
  short forms) plus anything shaped like "<2–20 characters> + legal-form suffix";
- street addresses (…路/街/大道…号, with optional building, floor and room).

Each kind is replaced by a fixed placeholder so a reader still sees that something was there.
The function never keeps a mapping, so the result cannot be reversed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COMPANY = "某公司"
CODE = "［信用代码］"
ID_NUMBER = "［身份证号］"
PHONE = "［电话］"
ADDRESS = "［地址］"
PERSON = "某人"

# Any capital is accepted where GB 32100 allows only some (no I O Z S V): a mistyped or
# invented code in a customer's text must not survive because it breaks the standard.
_CREDIT = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{2}\d{6}[0-9A-Z]{10}(?![0-9A-Z])", re.I)
# 18 code characters with at most one space or hyphen between any two of them; accepted only
# when the compacted string has the credit-code shape and contains a letter (an all-digit run
# with spaces is far more often phone numbers side by side, which the phone rules catch)
_CREDIT_SPACED = re.compile(r"(?<![0-9A-Z])[0-9A-Z](?:[ \t\-－]?[0-9A-Z]){17}(?![0-9A-Z])", re.I)
_SEPARATORS = re.compile(r"[\s\-－]")
_ID = re.compile(r"(?<!\d)\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:0\d{2,3}[-\s]?)?[2-9]\d{6,7}(?:-\d{1,5})?(?!\d)")
_LEGAL_FORMS = "股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|厂|研究院|研究所|合作社|商行|经营部|门市部"
# Only unambiguous suffixes here: "厂" or "公司" alone would also hit 出厂检验 or 检测公司.
_SHAPE_FORMS = "股份有限公司|有限责任公司|有限公司|集团有限公司|集团|研究院|研究所|合作社"
_COMPANY_SHAPE = re.compile(rf"[\u4e00-\u9fa5A-Za-z0-9（）()]{{2,20}}?(?:{_SHAPE_FORMS})")
_ADDRESS = re.compile(
    r"(?:[\u4e00-\u9fa5]{2,8}(?:省|市|区|县|镇|乡|街道))*"
    r"[\u4e00-\u9fa5A-Za-z0-9]{1,12}(?:路|街|大道|巷|道|村|大街)[\u4e00-\u9fa5]{0,4}?\d+(?:-\d+)?号"
    r"(?:[\u4e00-\u9fa5A-Za-z0-9]{0,10}?(?:栋|幢|楼|单元|室|层|号楼))*"
)
# words ending in a legal-form suffix that are not company names
_GENERIC = {"公司", "本公司", "我公司", "贵公司", "该公司", "子公司", "分公司", "母公司", "某公司", "工厂", "我厂", "本厂", "该厂"}


def _short_forms(name: str) -> set[str]:
    """"武汉光谷电缆有限公司" is also written "光谷电缆" or "光谷电缆公司"."""
    forms = {name}
    core = re.sub(rf"(?:{_LEGAL_FORMS})$", "", name)
    forms.add(core)
    for prefix in ("湖北省", "湖北", "武汉市", "武汉"):
        if core.startswith(prefix) and len(core) - len(prefix) >= 2:
            forms.add(core[len(prefix):])
    return {f for f in forms if len(f) >= 2}


def _spaced_credit(match: re.Match) -> str:
    raw = match.group(0)
    compact = _SEPARATORS.sub("", raw)
    if compact != raw and _CREDIT.fullmatch(compact) and re.search(r"[A-Z]", compact, re.I):
        return CODE
    return raw


def _loose(value: str) -> re.Pattern | None:
    """``value``'s letters and digits with any spaces or hyphens between them."""
    chars = [c for c in value if c.isalnum()]
    if len(chars) < 7:
        return None
    return re.compile(r"[\s\-－]*".join(re.escape(c) for c in chars), re.I)


def anonymize(text: str, *, company_names: Iterable[str] = (), person_names: Iterable[str] = (),
              addresses: Iterable[str] = (), codes: Iterable[str] = (), phones: Iterable[str] = ()) -> str:
    """The text with codes, ID numbers, phones, addresses and company/person names replaced.
    ``codes`` and ``phones`` are the ones known to belong to the asker (removed however spaced)."""
    if not text:
        return ""
    out = text
    for values, placeholder in ((codes, CODE), (phones, PHONE)):
        for value in values:
            if value and (pattern := _loose(value)):
                out = pattern.sub(placeholder, out)
    # Known strings first, longest first, so a short form never splits a longer match.
    known: list[tuple[str, str]] = []
    for name in company_names:
        known += [(form, COMPANY) for form in _short_forms(name.strip()) if name and name.strip()]
    known += [(a.strip(), ADDRESS) for a in addresses if a and len(a.strip()) >= 4]
    known += [(p.strip(), PERSON) for p in person_names if p and len(p.strip()) >= 2]
    for value, placeholder in sorted(known, key=lambda kv: -len(kv[0])):
        out = out.replace(value, placeholder)
    out = _ID.sub(ID_NUMBER, out)  # before credit codes: an ID is also 18 allowed characters
    out = _CREDIT.sub(CODE, out)
    out = _CREDIT_SPACED.sub(_spaced_credit, out)
    out = _MOBILE.sub(PHONE, out)
    out = _LANDLINE.sub(PHONE, out)
    out = _ADDRESS.sub(ADDRESS, out)
    out = _COMPANY_SHAPE.sub(lambda m: m.group(0) if m.group(0) in _GENERIC else COMPANY, out)
    return out

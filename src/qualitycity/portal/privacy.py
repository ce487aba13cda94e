"""What must never reach the portal or open data: personal fields.

Names of natural persons, phone numbers, ID numbers and individuals' addresses. Checked
by field name (a denylist) and by value (phone and ID-number patterns), before anything
is published and again in a test over every dataset."""

from __future__ import annotations

import re

PERSONAL_FIELD_NAMES = {
    "name_of_person", "person", "contact", "contact_name", "contact_phone", "phone", "mobile", "tel",
    "id_number", "id_card", "complainant", "citizen", "address", "home_address", "email",
    "联系人", "联系电话", "手机号", "身份证号", "投诉人", "举报人", "住址", "姓名",
}
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
# Resident ID (GB 11643): area code, birth date, sequence, check. The birth-date part keeps
# unified social credit codes of enterprises (not personal data) from matching.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")


def personal_findings(rows: list[dict], dictionary: list[dict] | None = None) -> list[str]:
    """Human-readable findings; an empty list means the data may be published."""
    findings = []
    fields = {f["field"] for f in (dictionary or [])} | {k for row in rows for k in row}
    for field in sorted(fields):
        if field.lower() in PERSONAL_FIELD_NAMES:
            findings.append(f"字段“{field}”属于个人信息，不得公开")
    for i, row in enumerate(rows, start=1):
        for key, value in row.items():
            text = str(value)
            if PHONE.search(text) or LANDLINE.search(text):
                findings.append(f"第 {i} 行“{key}”含电话号码")
            if ID_NUMBER.search(text):
                findings.append(f"第 {i} 行“{key}”含身份证号码")
    return findings

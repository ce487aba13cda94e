"""What must never reach the portal or open data: personal fields.

Names of natural persons, phone numbers, ID numbers, e-mail addresses and individuals'
addresses. Checked by field name (a denylist) and by value, before anything is published
and again in a test over every dataset.

The value checks are heuristics written for this platform's datasets (enterprise names,
districts, products, aggregates). A name is flagged when a whole cell is two or three Han
characters beginning with a common surname and not ending like an organisation or place,
or when a cell carries an honorific or "联系人…" (张先生, 联系人：李娜); an address is flagged when
it reaches a flat (栋/单元/室), which an enterprise's registered address rarely does and a
home address always does."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

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
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# The most frequent Chinese surnames (they cover about 85% of the population).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Endings of organisations, places and things, which a personal name does not have.
NOT_A_NAME_END = set("区市县省镇乡村街路道局厅委办院所站队部处科社会馆场厂店行司楼园城港湾湖山江河桥门类品业器材料具板线缆油剂")
# Common words that begin with a surname character but are not names.
NOT_A_NAME = {"合格", "黄金", "金属", "石油", "石材", "高新", "高速", "万元", "方便", "白酒", "龙虾", "汤圆", "江汉", "武汉",
              "江岸", "江夏", "汉阳", "武昌", "洪山", "青山", "蔡甸", "黄陂", "新洲", "东湖", "余额", "严重", "程序", "田径"}
HONORIFIC = re.compile(r"[\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|师傅|老师)|联系人[:：]?\s*[\u4e00-\u9fff]{2,3}")
FLAT_ADDRESS = re.compile(r"[\d一二三四五六七八九十]+\s*(?:栋|幢|单元|号楼)|[\d]+\s*室|\d+-\d+-\d+\s*(?:室|号)")
HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")


def looks_like_person_name(text: str) -> bool:
    text = text.strip()
    if HONORIFIC.search(text):
        return True
    return (bool(HAN_NAME.fullmatch(text)) and text[0] in SURNAMES and text[-1] not in NOT_A_NAME_END
            and text not in NOT_A_NAME)


def looks_like_home_address(text: str) -> bool:
    return bool(FLAT_ADDRESS.search(text))


def personal_findings(rows: list[dict], dictionary: list[dict] | None = None) -> list[str]:
    """Human-readable findings; an empty list means the data may be published."""
    findings = []
    fields = {f["field"] for f in (dictionary or [])} | {k for row in rows for k in row}
    for field in sorted(fields):
        if field.lower() in PERSONAL_FIELD_NAMES:
            findings.append(_("字段“{field}”属于个人信息，不得公开").format(field=field))
    for i, row in enumerate(rows, start=1):
        for key, value in row.items():
            if value is None or isinstance(value, (bool, int, float)):
                continue
            text = str(value)
            if PHONE.search(text) or LANDLINE.search(text):
                findings.append(_("第 {row} 行“{field}”含电话号码").format(row=i, field=key))
            if ID_NUMBER.search(text):
                findings.append(_("第 {row} 行“{field}”含身份证号码").format(row=i, field=key))
            if EMAIL.search(text):
                findings.append(_("第 {row} 行“{field}”含电子邮箱").format(row=i, field=key))
            if looks_like_person_name(text):
                findings.append(_("第 {row} 行“{field}”疑似自然人姓名").format(row=i, field=key))
            if looks_like_home_address(text):
                findings.append(_("第 {row} 行“{field}”疑似个人住址（含楼栋、单元或房号）").format(row=i, field=key))
    return findings

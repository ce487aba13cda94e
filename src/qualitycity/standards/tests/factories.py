"""Builders for standards tests: rows in the national platform's layout."""

from __future__ import annotations

import csv
import io

from qualitycity.core.services.audit import Actor
from qualitycity.standards.services import imports

HEADER = ["标准号", "中文标准名称", "英文标准名称", "标准状态", "发布日期", "实施日期", "废止日期", "代替标准",
          "被代替标准", "ICS", "CCS", "采标情况", "主管部门", "归口单位", "起草单位"]


def csv_bytes(rows: list[dict], header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return out.getvalue().encode("utf-8")


def row(number, title, status="现行", **extra) -> dict:
    return {"标准号": number, "中文标准名称": title, "标准状态": status, **extra}


def load(rows: list[dict]):
    return imports.import_file(by=Actor.system("test"), filename="t.csv", content=csv_bytes(rows))


CATALOGUE = [
    row("GB/T 5023.1-2008", "额定电压450/750V及以下聚氯乙烯绝缘电缆 第1部分：一般要求", ICS="29.060.20", CCS="K13",
        采标情况="IEC 60227-1:2007 IDT", 实施日期="2008-12-01", 发布日期="2008-06-01"),
    row("GB/T 12706.1-2020", "额定电压1kV到35kV挤包绝缘电力电缆及附件 第1部分", ICS="29.060.20", CCS="K13"),
    row("GB/T 19001-2016", "质量管理体系 要求", ICS="03.120.10", CCS="A00", 采标情况="ISO 9001:2015 IDT",
        代替标准="GB/T 19001-2008", 发布日期="2016-12-30", 实施日期="2017-07-01"),
    row("GB 2760-2014", "食品安全国家标准 食品添加剂使用标准", ICS="67.220.20", CCS="X40"),
    row("QB/T 1234-2012", "电冰箱用门封条", ICS="97.040.30"),
    row("DB42/T 1234-2020", "热干面生产技术规范", ICS="67.060"),
    row("T/CAQ 10201-2020", "质量管理小组活动准则", ICS="03.120.10"),
    row("GB/T 2828.1-2012", "计数抽样检验程序 第1部分：按接收质量限（AQL）检索的逐批检验抽样计划", ICS="03.120.30"),
    row("GB 4806.1-2016", "食品安全国家标准 食品接触材料及制品通用安全要求", ICS="67.250"),
    row("JB/T 10696.1-2007", "电线电缆机械和理化性能试验方法 第1部分：一般规定", ICS="29.060.01", 英文标准名称="Test methods for cables"),
]

"""Anonymization: nothing that identifies the enterprise or a person survives."""

import re

from qualitycity.methods.anonymize import anonymize

CASE = (
    "我们是武汉光谷电缆有限公司（统一社会信用代码91420111MA4K2XYZ3Q），地址武汉市洪山区珞喻路1037号3栋201室。"
    "光谷电缆的BV 2.5mm²电线在客户处绝缘电阻不合格，送检报告见附件。联系人陈经理 13812345678，"
    "座机 027-87654321，身份证号 420111198805123456。供应商湖北华中铜材股份有限公司也来看过，"
    "参照 GB/T 5023.3-2008 出厂检验。"
)


def _clean():
    return anonymize(CASE, company_names=["武汉光谷电缆有限公司"], person_names=["陈经理"],
                     addresses=["武汉市洪山区珞喻路1037号"])


def test_no_credit_code_phone_id_or_company_survives():
    out = _clean()
    for secret in ["91420111MA4K2XYZ3Q", "13812345678", "87654321", "420111198805123456", "光谷电缆",
                   "华中铜材", "珞喻路", "1037号", "陈经理"]:
        assert secret not in out, (secret, out)
    assert not re.search(r"1[3-9]\d{9}", out)
    assert not re.search(r"\d{17}[\dX]", out)


def test_the_technical_content_is_kept():
    out = _clean()
    assert "绝缘电阻不合格" in out and "GB/T 5023.3-2008" in out and "出厂检验" in out


def test_unknown_company_names_and_spaced_phones_are_caught_by_shape():
    out = anonymize("深圳市某某精密部件有限公司的电话 138 1234 5678，信用代码 91440300 MA5F000001 不算。")
    assert "精密部件有限公司" not in out and "138 1234 5678" not in out


def test_empty_text_stays_empty():
    assert anonymize("") == ""

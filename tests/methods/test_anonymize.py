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
    for secret in ["91420111MA4K2XYZ3Q", "MA4K2XYZ3Q", "13812345678", "87654321", "420111198805123456", "光谷电缆",
                   "华中铜材", "珞喻路", "1037号", "陈经理"]:
        assert secret not in out, (secret, out)
    assert not re.search(r"1[3-9]\d{9}", out)
    assert not re.search(r"\d{17}[\dX]", out)


def test_the_technical_content_is_kept():
    out = _clean()
    assert "绝缘电阻不合格" in out and "GB/T 5023.3-2008" in out and "出厂检验" in out


def test_unknown_company_names_and_spaced_phones_are_caught_by_shape():
    out = anonymize("深圳市某某精密部件有限公司的电话 138 1234 5678，信用代码 91440300 MA5F000001。")
    assert "精密部件有限公司" not in out and "138 1234 5678" not in out
    assert "MA5F000001" not in out and "91440300" not in out and "［信用代码］" in out


def test_credit_codes_written_with_spaces_or_hyphens_are_removed_whole():
    for written in ("91420111 MA4K2XYZ3Q", "91420111-MA4K2XYZ3Q", "9142 0111 MA4K 2XYZ 3Q", "91420111－MA4K2XYZ3Q"):
        out = anonymize(f"信用代码：{written}，请核对。")
        assert out == "信用代码：［信用代码］，请核对。", (written, out)


def test_the_askers_own_code_and_phone_are_removed_however_they_are_written():
    text = "代码 9142-0111-MA4K-2XYZ-3Q；座机 027 8765 4321；手机 +86 138-1234-5678。GB/T 5023.3-2008 第 5 条。"
    out = anonymize(text, codes=["91420111MA4K2XYZ3Q"], phones=["027-87654321", "13812345678"])
    for secret in ("MA4K", "2XYZ", "8765", "4321", "1234", "5678"):
        assert secret not in out, (secret, out)
    assert "GB/T 5023.3-2008 第 5 条" in out


def test_technical_numbers_are_not_taken_for_credit_codes():
    text = "样品批号 2026 0506 0001，GB/T 5023.3-2008，电阻 0.0178 Ω·mm²/m，电话 138 1234 5678 87654321。"
    out = anonymize(text)
    assert "GB/T 5023.3-2008" in out and "0.0178" in out and "［信用代码］" not in out


def test_empty_text_stays_empty():
    assert anonymize("") == ""

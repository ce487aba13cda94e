"""The number parser: every way people type a number, and what it refuses."""

import subprocess
import sys

import pytest

from qualitycity.standards.numbers import (
    ENTERPRISE,
    GROUP,
    INDUSTRY,
    INTERNATIONAL,
    LOCAL,
    NATIONAL,
    StandardNumberError,
    edit_distance,
    normalize,
    parse,
)

ACCEPTED = [
    # the canonical forms the issue lists, as they are
    ("GB/T 19001-2016", "GB/T 19001-2016"),
    ("GB 2760-2014", "GB 2760-2014"),
    ("GB/T 5023.1-2008", "GB/T 5023.1-2008"),
    ("DB42/T 1234-2020", "DB42/T 1234-2020"),
    ("T/CAQ 10201-2020", "T/CAQ 10201-2020"),
    ("QB/T 1234-2012", "QB/T 1234-2012"),
    ("ISO 9001:2015", "ISO 9001:2015"),
    ("ISO/IEC 17025:2017", "ISO/IEC 17025:2017"),
    ("ISO 10263-6:2009", "ISO 10263-6:2009"),
    ("GB/T 19001-2016/ISO 9001:2015", "GB/T 19001-2016/ISO 9001:2015"),
    # case
    ("gb/t 19001-2016", "GB/T 19001-2016"),
    ("Gb/t 5023.1-2008", "GB/T 5023.1-2008"),
    ("db42/t 1234-2020", "DB42/T 1234-2020"),
    ("t/caq 10201-2020", "T/CAQ 10201-2020"),
    ("iso/iec 17025:2017", "ISO/IEC 17025:2017"),
    # missing and extra spaces
    ("GB/T19001-2016", "GB/T 19001-2016"),
    ("GB2760-2014", "GB 2760-2014"),
    ("  GB / T   19001 - 2016  ", "GB/T 19001-2016"),
    ("ISO9001:2015", "ISO 9001:2015"),
    ("ISO 9001 : 2015", "ISO 9001:2015"),
    ("QB/T1234-2012", "QB/T 1234-2012"),
    ("DB42/T1234-2020", "DB42/T 1234-2020"),
    ("T/CAQ10201-2020", "T/CAQ 10201-2020"),
    ("GB/T 5023 . 1-2008", "GB/T 5023.1-2008"),
    ("GB/T 19001 2016", "GB/T 19001-2016"),
    # full-width characters
    ("GB／T 19001－2016", "GB/T 19001-2016"),
    ("ＧＢ／Ｔ　１９００１－２０１６", "GB/T 19001-2016"),
    ("ISO 9001：2015", "ISO 9001:2015"),
    ("ISO／IEC 17025：2017", "ISO/IEC 17025:2017"),
    ("ＤＢ４２／Ｔ １２３４－２０２０", "DB42/T 1234-2020"),
    # em and en dashes as the year separator
    ("GB/T 19001—2016", "GB/T 19001-2016"),
    ("GB/T 19001–2016", "GB/T 19001-2016"),
    ("GB 2760——2014", "GB 2760-2014"),
    ("QB/T 1234‐2012", "QB/T 1234-2012"),
    # a missing year
    ("GB/T 19001", "GB/T 19001"),
    ("gb 2760", "GB 2760"),
    ("ISO 9001", "ISO 9001"),
    ("ISO 10263-6", "ISO 10263-6"),
    # the slash left out
    ("GBT 19001-2016", "GB/T 19001-2016"),
    ("GBZ 17624.1-1998", "GB/Z 17624.1-1998"),
    ("QBT 1234-2012", "QB/T 1234-2012"),
    ("JTT 1234-2019", "JT/T 1234-2019"),
    # kinds and prefixes
    ("GB/Z 17624.1-1998", "GB/Z 17624.1-1998"),
    ("GB/T 1.1-2020", "GB/T 1.1-2020"),
    ("HG/T 2006-2006", "HG/T 2006-2006"),
    ("JB/T 10001-2010", "JB/T 10001-2010"),
    ("SN/T 0001-2016", "SN/T 1-2016"),
    ("YY 0469-2011", "YY 469-2011"),
    ("NY/T 391-2013", "NY/T 391-2013"),
    ("FZ/T 73020-2019", "FZ/T 73020-2019"),
    ("QC/T 29106-2014", "QC/T 29106-2014"),
    ("JT 1234", "JT 1234"),
    ("DB 123-2000", "DB 123-2000"),  # DB alone: the earthquake industry
    ("DB/T 12-2000", "DB/T 12-2000"),
    ("DB42 1234-2020", "DB42 1234-2020"),
    ("DB11/T 1000-2013", "DB11/T 1000-2013"),
    ("Q/GDW 1234-2014", "Q/GDW 1234-2014"),
    ("GB 5749-85", "GB 5749-85"),  # two-digit years as printed before 1995
    # international forms
    ("ISO 9001-2015", "ISO 9001:2015"),
    ("ISO/TR 8545:1984", "ISO/TR 8545:1984"),
    ("iso tr 8545:1984", "ISO/TR 8545:1984"),
    ("ISO/IEC TR 5469:2024", "ISO/IEC TR 5469:2024"),
    ("iso/ts 13399-3:2007/cor 1:2011", "ISO/TS 13399-3:2007/Cor 1:2011"),
    ("ISO/IEC 7816-2:1999/Amd 1:2004", "ISO/IEC 7816-2:1999/Amd 1:2004"),
    ("ISO Guide 73:2009", "ISO Guide 73:2009"),
    ("ISO/IEC 23360-2-2:2021", "ISO/IEC 23360-2-2:2021"),
    ("ISO/CD 15686-1.2", "ISO/CD 15686-1.2"),
    ("IEC 60086-3:2011", "IEC 60086-3:2011"),
    ("ISO/IEC/IEEE 8802-1Q:2016/Amd 5:2017", "ISO/IEC/IEEE 8802-1Q:2016/Amd 5:2017"),
    ("EN 1090-1:2009", "EN 1090-1:2009"),
    ("itu-t x.509", "ITU-T X.509"),
    # adoption, messy
    ("gb/t19001—2016/iso9001：2015", "GB/T 19001-2016/ISO 9001:2015"),
    ("GB/T 24001-2016 / ISO 14001:2015", "GB/T 24001-2016/ISO 14001:2015"),
    # control characters are dropped
    ("GB/T\x0019001-2016", "GB/T 19001-2016"),
]

REJECTED = [
    ("", "为空"),
    ("   ", "为空"),
    ("GB", "缺少顺序号"),
    ("GB/T", "缺少顺序号"),
    ("GB/T abc", "不是可识别"),
    ("XYZ 123", "无法识别"),
    ("GB/X 1", "无法识别"),
    ("GB/T 19001-20166", "四位"),
    ("GB/T 19001-201", "四位"),
    ("GB/T 19001-2200", "1900–2100"),
    ("GB/T 19001-1800", "1900–2100"),
    ("DB99/T 1-2020", "省级代码"),
    ("DB42/X 1", "DB42/T"),
    ("T/ 123", "不是可识别"),
    ("T/C 123", "团体代号"),
    ("GB/T 19001-2016/XYZ", "不是可识别"),
    ("GB/T 19001-2016/ISO", "国际标准号"),
    ("ISO", "国际标准号"),
    ("ISO 9001:15", "四位"),
    ("ISO 9001:2015:2016", "国际标准号"),
    ("电缆", "不是可识别"),
    ("GB/T 19001-2016 电缆", "不是可识别"),
    ("'; DROP TABLE x; --", "不是可识别"),
    ("GB/T " + "1" * 200, "过长"),
    ("😀", "不是可识别"),
]


@pytest.mark.parametrize(("typed", "canonical"), ACCEPTED)
def test_it_normalizes_what_people_type(typed, canonical):
    assert normalize(typed) == canonical
    assert normalize(canonical) == canonical  # canonical forms are fixed points


@pytest.mark.parametrize(("typed", "reason"), REJECTED)
def test_it_rejects_malformed_numbers_with_a_reason(typed, reason):
    with pytest.raises(StandardNumberError, match=reason) as caught:
        normalize(typed)
    assert isinstance(caught.value, ValueError)
    assert "\n" not in str(caught.value)


def test_the_table_is_large_enough():
    assert len(ACCEPTED) + len(REJECTED) >= 60


@pytest.mark.parametrize(
    ("typed", "kind", "prefix", "sequence", "part", "year"),
    [
        ("GB/T 5023.1-2008", NATIONAL, "GB/T", "5023", "1", "2008"),
        ("QB/T 1234-2012", INDUSTRY, "QB/T", "1234", "", "2012"),
        ("DB42/T 1234-2020", LOCAL, "DB42/T", "1234", "", "2020"),
        ("DB 123-2000", INDUSTRY, "DB", "123", "", "2000"),
        ("T/CAQ 10201-2020", GROUP, "T/CAQ", "10201", "", "2020"),
        ("Q/GDW 1234-2014", ENTERPRISE, "Q/GDW", "1234", "", "2014"),
        ("ISO 10263-6:2009", INTERNATIONAL, "ISO", "10263", "6", "2009"),
    ],
)
def test_it_splits_a_number_into_its_parts(typed, kind, prefix, sequence, part, year):
    number = parse(typed)
    assert (number.kind, number.prefix, number.sequence, number.part, number.year) == (
        kind, prefix, sequence, part, year,
    )


def test_a_double_number_carries_the_adopted_standard():
    number = parse("GB/T 19001-2016/ISO 9001:2015")
    assert number.own == "GB/T 19001-2016"
    assert number.adopted.canonical == "ISO 9001:2015"
    assert number.base == "GB/T 19001"


def test_edit_distance_counts_typos():
    assert edit_distance("GB/T 19001-2016", "GB/T 19001-2016") == 0
    assert edit_distance("GB/T 19010-2016", "GB/T 19001-2016") == 2
    assert edit_distance("GB 1", "GB/T 19001-2016") > 3


def test_the_command_prints_the_canonical_number_or_exits_2():
    ok = subprocess.run(
        [sys.executable, "-m", "qualitycity", "standards", "normalize", "gb／t19001—2016"],
        capture_output=True, text=True, check=False,
    )
    assert (ok.returncode, ok.stdout.strip()) == (0, "GB/T 19001-2016")
    bad = subprocess.run(
        [sys.executable, "-m", "qualitycity", "standards", "normalize", "DB99/T 1"],
        capture_output=True, text=True, check=False,
    )
    assert bad.returncode == 2
    assert "省级代码" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1

import pytest

from qualitycity.core import credit_code

# A code built from its parts is valid by construction; the check character of a known
# real-format example is computed independently below.
GOOD = credit_code.build("9", "1", "420111", "MA4K12345")


def test_it_accepts_a_code_with_the_right_check_character():
    assert credit_code.validate(GOOD.lower()) == GOOD


def test_check_character_follows_gb32100_weights():
    # Worked by hand: 9*1+1*3+4*9+2*27+0*19+1*26+1*16+1*17+M(21)*20+A(10)*29+4*25+K(19)*13
    # +1*8+2*24+3*10+4*30+5*28 = 1564; 1564 mod 31 = 14; 31 - 14 = 17 -> "H".
    assert credit_code.check_character("91420111MA4K12345") == "H"


def test_it_accepts_a_published_real_code():
    # 华为技术有限公司, from the public enterprise credit information system.
    assert credit_code.validate("914403001922038216") == "914403001922038216"


def test_it_names_the_wrong_check_character():
    wrong = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    with pytest.raises(credit_code.CreditCodeError, match=f"第 18 位校验码错误：应为“{GOOD[17]}”"):
        credit_code.validate(wrong)


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z", "-"])
def test_it_names_the_position_of_a_forbidden_character(letter):
    bad = GOOD[:5] + letter + GOOD[6:]
    with pytest.raises(credit_code.CreditCodeError, match="第 6 位字符"):
        credit_code.validate(bad)


def test_it_rejects_the_wrong_length():
    with pytest.raises(credit_code.CreditCodeError, match="应为 18 位，实际为 17 位"):
        credit_code.validate(GOOD[:17])

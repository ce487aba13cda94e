"""Unified social credit code (统一社会信用代码) per GB 32100-2015.

18 characters from a 31-character set (no I, O, S, V, Z): registration authority,
organization type, 6-digit GB/T 2260 area, 9-character organization code, and a check
character computed with the weights 3^(i-1) mod 31.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


class CreditCodeError(ValueError):
    pass


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    return (code or "").strip().upper()


def validate(code: str) -> str:
    """Return the normalized code, or raise ``CreditCodeError`` saying which character is wrong."""
    code = normalize(code)
    if len(code) != 18:
        raise CreditCodeError(_("统一社会信用代码应为 18 位，实际为 %(n)d 位") % {"n": len(code)})
    for position, ch in enumerate(code, start=1):
        if ch not in VALUES:
            raise CreditCodeError(_("统一社会信用代码第 %(position)d 位字符“%(ch)s”不合法（不得使用 I、O、S、V、Z 及其他符号）") % {"position": position, "ch": ch})
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(_("统一社会信用代码第 18 位校验码错误：应为“%(expected)s”，实际为“%(actual)s”") % {"expected": expected, "actual": code[17]})
    return code


def build(registration: str, org_type: str, area_code: str, org_code: str) -> str:
    """Assemble a valid code from its parts (used by the demo generator and tests)."""
    first17 = f"{registration}{org_type}{area_code}{org_code}".upper()
    if len(first17) != 17 or any(ch not in VALUES for ch in first17):
        raise CreditCodeError(f"无法由 {first17!r} 生成统一社会信用代码")
    return first17 + check_character(first17)

"""The model-linked item banks of the questionnaire builder.

Constructs and paths follow the ECSI model (Eklöf & Westlund 2002, Total Quality
Management 13:1099), the family of ACSI (Fornell et al. 1996, J Marketing 60:7) and
of China's CCSI.  Items are 1–10 Likert.  Each item has Chinese (source) and English
wording, so a questionnaire is bilingual from the start.  ``SAT_R`` is a negatively
worded mirror of the satisfaction items: it is used only by the reversed-item
consistency screen, never in the index model.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CONSTRUCTS = ["Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty"]
CONSTRUCT_LABELS = {
    "Image": _("形象"), "Expectation": _("预期"), "Quality": _("感知质量"), "Value": _("感知价值"),
    "Satisfaction": _("满意度"), "Complaints": _("抱怨"), "Loyalty": _("忠诚度"),
}
PATHS = [
    ("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
    ("Expectation", "Quality"), ("Expectation", "Value"), ("Expectation", "Satisfaction"),
    ("Quality", "Value"), ("Quality", "Satisfaction"), ("Value", "Satisfaction"),
    ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty"),
]
TARGET = "Satisfaction"
SCALE = (1, 10)
REVERSED = ("SAT_R", ["SAT1", "SAT2", "SAT3"])

# code, construct, Chinese wording, English wording
BANK = [
    ("IMG1", "Image", "该服务提供方值得信赖", "The provider is trustworthy"),
    ("IMG2", "Image", "该服务提供方重视服务对象", "The provider cares about the people it serves"),
    ("IMG3", "Image", "该服务提供方在本行业口碑良好", "The provider has a good reputation in its field"),
    ("EXP1", "Expectation", "使用前，您对服务总体质量的预期", "Before using it, your expectation of overall quality"),
    ("EXP2", "Expectation", "使用前，您对服务满足个人需求程度的预期", "Your expectation that it would meet your needs"),
    ("EXP3", "Expectation", "使用前，您对服务可靠性的预期", "Your expectation of its reliability"),
    ("QUA1", "Quality", "服务的总体质量", "Overall quality of the service"),
    ("QUA2", "Quality", "服务满足您个人需求的程度", "How well it met your needs"),
    ("QUA3", "Quality", "服务的可靠程度（很少出差错）", "How reliable it was (few errors)"),
    ("VAL1", "Value", "在所付费用（时间）下服务质量的水平", "Quality given what you paid (in money or time)"),
    ("VAL2", "Value", "在服务质量下所付费用（时间）的合理程度", "Fairness of the price given the quality"),
    ("SAT1", "Satisfaction", "总体而言，您对该服务的满意程度", "Overall, how satisfied you are"),
    ("SAT2", "Satisfaction", "与您的预期相比，该服务的表现", "Performance compared with your expectations"),
    ("SAT3", "Satisfaction", "与理想中的服务相比，该服务的接近程度", "How close it is to an ideal service"),
    ("CMP1", "Complaints", "如遇问题，投诉处理令您满意的程度", "How well complaints were (or would be) handled"),
    ("LOY1", "Loyalty", "您再次选择该服务的可能性", "How likely you are to use it again"),
    ("LOY2", "Loyalty", "您向亲友推荐该服务的可能性", "How likely you are to recommend it"),
]
REVERSED_ITEM = ("SAT_R", "Satisfaction", "总体而言，该服务令您失望（反向题）", "Overall, the service disappointed you (reversed)")

SERVICE_INDUSTRIES = [
    ("property", _("物业管理")), ("elderly_care", _("养老服务")), ("tourism", _("旅游")),
    ("logistics", _("物流快递")), ("catering", _("餐饮")), ("retail", _("零售")),
    ("healthcare", _("医疗卫生")), ("education", _("教育培训")), ("banking", _("银行")),
    ("transport", _("公共交通")),
]
SEXES = [("M", _("男")), ("F", _("女"))]
AGE_BANDS = [("18-29", "18–29"), ("30-44", "30–44"), ("45-59", "45–59"), ("60+", "60+")]
FLAG_LABELS = {"speeder": _("作答过快"), "straightlining": _("直线作答"), "inconsistent": _("反向题矛盾"),
               "outlier": _("多元离群"), "duplicate": _("重复答卷")}
OPEN_QUESTION = ("您对该服务最希望改进的是什么？", "What would you most like to see improved?")


def model_spec(codes: list[str]) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The PLS model for the items a questionnaire actually has: constructs left with no
    items drop out, with the paths that touch them."""
    constructs: dict[str, list[str]] = {}
    for code, construct, *_rest in BANK:
        if code in codes:
            constructs.setdefault(construct, []).append(code)
    paths = [(s, t) for s, t in PATHS if s in constructs and t in constructs]
    return constructs, paths

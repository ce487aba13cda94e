"""Default configuration: the taxonomy the issue names, statutory time limits and the
grounds for not accepting a complaint. Admins may change all of it afterwards."""

from __future__ import annotations

import datetime as dt

# (code, name, group, keywords for people reading the table)
CATEGORIES = [
    ("counterfeit", "假冒伪劣", "产品质量", "假货 仿冒 劣质 以次充好"),
    ("ip", "知识产权侵权", "产品质量", "商标 专利 盗版"),
    ("fraud", "服务欺诈失信", "消费服务", "预付卡 退款 虚假宣传 欺诈"),
    ("food", "食品安全", "安全监管", "过期 变质 异物 餐馆 外卖"),
    ("drug", "药品安全", "安全监管", "药店 药品 医疗器械 保健品"),
    ("special_equipment", "特种设备", "安全监管", "电梯 锅炉 压力容器 游乐设施"),
    ("metrology", "计量", "质量基础", "缺斤短两 计量器具 加油机 电子秤"),
    ("price", "价格", "消费服务", "乱收费 价格欺诈 明码标价"),
    ("environment", "环境污染", "环境", "噪音 废气 污水 油烟"),
    ("property", "物业服务", "住房", "物业 小区 停车 维修基金"),
    ("construction", "建筑工程质量", "住房", "漏水 开裂 空鼓 装修"),
    ("business", "营商环境/政务服务", "政务", "办事 审批 窗口 营业执照"),
    ("other", "其他", "其他", ""),
]

# SAMR 市场监督管理投诉举报处理暂行办法 (Order 20, 2019) as in force before the 2025
# revision; the revised rules (Order 121) apply from 2026-04-15 and admins enter their
# figures as a new row with that effective date.
ORDER_20 = "市场监督管理投诉举报处理暂行办法（总局令第20号）"
PLATFORM = "平台默认值，可由管理员调整"
TIME_LIMITS = [
    # type, accept days, handle days, handle counted from receipt, basis
    ("complaint", 7, 45, False, ORDER_20 + "：7个工作日内决定是否受理，受理之日起45个工作日内终结调解"),
    ("report", 15, 30, False, ORDER_20 + "：15个工作日内核查并决定是否立案；办理期限为" + PLATFORM),
    ("consult", 3, 3, True, "咨询3个工作日内答复（" + PLATFORM + "）"),
    ("suggestion", 7, 15, False, PLATFORM),
    ("help", 3, 15, False, PLATFORM),
]
DEFAULT_EFFECTIVE_FROM = dt.date(2019, 1, 1)

# Order 20, art. 15: the cases in which a complaint is not accepted.
REJECTION_GROUNDS = [
    ("g1", "投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限", "第15条第1项"),
    ("g2", "法院、仲裁机构、其他行政部门、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议", "第15条第2项"),
    ("g3", "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议", "第15条第3项"),
    ("g4", "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年", "第15条第4项"),
    ("g5", "未提供投诉人姓名、电话号码、通讯地址，被投诉人名称（姓名）、地址，具体投诉请求以及消费者权益争议事实", "第15条第5项"),
    ("g6", "法律、法规、规章规定不予受理的其他情形", "第15条第6项"),
]


def ensure_reference(Category, TimeLimit, RejectionGround) -> None:  # noqa: N803 - model classes
    """Create the defaults that are missing; never overwrite what an admin changed."""
    for order, (code, name, group, keywords) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "keywords": keywords, "sort_order": order}
        )
    for demand_type, accept, handle, from_receipt, basis in TIME_LIMITS:
        TimeLimit.objects.get_or_create(
            demand_type=demand_type,
            effective_from=DEFAULT_EFFECTIVE_FROM,
            defaults={"accept_days": accept, "handle_days": handle, "handle_from_receipt": from_receipt, "basis": basis},
        )
    for code, text, basis in REJECTION_GROUNDS:
        RejectionGround.objects.get_or_create(code=code, defaults={"text": text, "basis": basis})


def ensure() -> None:
    from .models import Category, RejectionGround, TimeLimit

    ensure_reference(Category, TimeLimit, RejectionGround)

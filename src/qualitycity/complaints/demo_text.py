"""Word pools for demo demands: invented but plausible citizen wording, per category."""

LANDMARKS = {
    "江岸区": ["汉口江滩", "二七路", "后湖", "百步亭"], "江汉区": ["江汉路步行街", "王家墩", "常青路", "汉口站"],
    "硚口区": ["宗关", "古田", "汉正街", "园博园"], "汉阳区": ["钟家村", "四新", "王家湾", "龙阳大道"],
    "武昌区": ["中南路", "司门口", "积玉桥", "徐家棚"], "青山区": ["红钢城", "钢都花园", "建设二路"],
    "洪山区": ["街道口", "白沙洲", "和平街", "青菱"], "东西湖区": ["吴家山", "金银湖", "将军路"],
    "汉南区": ["纱帽", "汉南大道"], "蔡甸区": ["蔡甸街", "知音湖", "奓山"], "江夏区": ["纸坊", "藏龙岛", "庙山"],
    "黄陂区": ["前川", "木兰乡", "盘龙城"], "新洲区": ["邾城", "阳逻"],
    "东湖新技术开发区": ["光谷广场", "关山大道", "光谷步行街"], "武汉经济技术开发区": ["沌口", "军山", "车城大道"],
    "东湖生态旅游风景区": ["磨山", "听涛"],
}

# category code -> (title, body) templates; {place} {firm} {item} {money} are filled in
TEMPLATES = {
    "counterfeit": [("买到假冒{item}", "在{place}的{firm}购买的{item}，对比官方渠道发现是假货，包装粗糙、防伪码查询无效，花了{money}元"),
                    ("商家以次充好", "{firm}销售的{item}标称进口，实际是劣质产品，使用两天就坏了"),
                    ("网购收到仿冒品", "在{firm}网店下单的{item}疑似仿冒名牌，商家拒绝退货")],
    "ip": [("商标侵权", "{place}一家店铺使用与{firm}近似的商标销售{item}，涉嫌侵犯注册商标专用权"),
           ("盗版图书", "{place}附近的文具店公开销售盗版教辅，印刷模糊"),
           ("专利产品被仿制", "我司专利产品被{firm}仿制后低价销售，请求查处")],
    "fraud": [("预付卡商家跑路", "在{place}的{firm}办了{money}元健身卡，门店突然关门，联系不上老板，要求退款"),
              ("虚假宣传", "{firm}宣称课程包过，交了{money}元学费后没有效果，拒绝按合同退费"),
              ("退款难", "{firm}承诺七天无理由退货，退货后一个月未退款{money}元")],
    "food": [("外卖食品有异物", "在{firm}点的外卖里吃出头发和塑料片，商家在{place}，后厨卫生堪忧"),
             ("超市销售过期食品", "{place}的{firm}货架上有过期{item}，购买后才发现已过保质期"),
             ("餐馆就餐后腹泻", "在{place}的{firm}吃饭后全家腹泻，怀疑食材变质，要求查处")],
    "drug": [("药店销售处方药不凭处方", "{place}的{firm}大药房不需要处方就卖抗生素"),
             ("保健品虚假宣传", "{firm}在{place}社区开讲座，宣传保健品能治病，老人花了{money}元"),
             ("医疗器械质量问题", "从{firm}买的血压计测量误差很大，怀疑不合格")],
    "special_equipment": [("电梯频繁故障", "{place}小区电梯这个月停运三次，有人被困，维保单位{firm}不负责"),
                          ("游乐设施安全隐患", "{place}商场的儿童游乐设施螺丝松动，存在安全隐患"),
                          ("锅炉无证使用", "{place}附近{firm}的锅炉疑似未经检验就使用，冒黑烟")],
    "metrology": [("缺斤短两", "在{place}菜市场买菜，回家复称少了二两，摊主电子秤有问题"),
                  ("加油机计量不准", "在{place}的{firm}加油站加油，油箱容量不符，怀疑加油机作弊"),
                  ("出租车计价器异常", "{place}打车，计价器跳表明显比平时快")],
    "price": [("停车场乱收费", "{place}停车场收费标准未公示，停两小时收了{money}元"),
              ("明码标价不实", "{firm}标价与结账价格不一致，多收了{money}元"),
              ("景区价格欺诈", "{place}附近商店节假日哄抬{item}价格，远高于平时")],
    "environment": [("餐馆油烟扰民", "{place}小区楼下烧烤店油烟直排，晚上噪音也很大"),
                    ("工地夜间施工噪音", "{place}附近工地深夜施工，影响休息"),
                    ("企业偷排污水", "{place}的{firm}夜间往河里排放污水，有刺鼻气味")],
    "property": [("物业不作为", "{place}小区物业{firm}收费不服务，楼道灯坏了一个月没人修"),
                 ("物业乱收停车费", "{place}小区物业擅自上调停车费，业主不同意"),
                 ("维修基金使用不透明", "{place}小区维修基金使用没有公示，要求物业公开账目")],
    "construction": [("新房漏水开裂", "{place}新交付的房子墙体开裂、卫生间漏水，开发商{firm}拖延维修"),
                     ("装修质量问题", "请{firm}装修后地砖大面积空鼓，要求返工"),
                     ("外墙瓷砖脱落", "{place}小区外墙瓷砖脱落，砸坏车辆，存在安全隐患")],
    "business": [("营业执照办理慢", "在{place}政务服务中心办理营业执照，材料齐全仍被要求反复补件"),
                 ("窗口服务态度差", "{place}办事窗口工作人员态度生硬，一次性告知不到位"),
                 ("审批时限超期", "企业申请的{item}许可超过承诺时限仍未办结")],
    "other": [("公共设施损坏", "{place}附近路灯不亮，井盖松动"), ("咨询相关政策", "想了解{place}小微企业质量提升补贴政策"),
              ("其他问题", "{place}附近有人占道经营，影响通行")],
}
ITEMS = ["白酒", "奶粉", "化妆品", "运动鞋", "手机充电器", "电动车电池", "羽绒服", "儿童玩具", "食用油", "茶叶", "空调"]
TYPE_WORDS = {
    "complaint": ("", "，请相关部门处理并给予答复。"),
    "report": ("举报：", "，请依法查处。"),
    "consult": ("咨询：", "，想咨询如何维权、应向哪个部门反映？"),
    "suggestion": ("建议：", "，建议加强监管、定期检查。"),
    "help": ("求助：", "，实在没有办法了，请帮帮忙。"),
}
# the type mix each category tends to get
TYPE_MIX = {
    "counterfeit": {"complaint": 5, "report": 4, "consult": 1}, "ip": {"report": 6, "complaint": 2, "consult": 1},
    "fraud": {"complaint": 7, "help": 2, "consult": 1}, "food": {"complaint": 6, "report": 3, "suggestion": 1},
    "drug": {"report": 5, "complaint": 3, "consult": 1}, "special_equipment": {"report": 4, "help": 3, "complaint": 2},
    "metrology": {"complaint": 6, "report": 3}, "price": {"complaint": 7, "report": 2, "consult": 1},
    "environment": {"complaint": 5, "report": 3, "suggestion": 2}, "property": {"complaint": 6, "help": 2, "suggestion": 2},
    "construction": {"complaint": 6, "help": 3}, "business": {"suggestion": 4, "complaint": 4, "consult": 2},
    "other": {"consult": 4, "suggestion": 3, "help": 3},
}
# relative monthly weight per category: summer food, winter property, 3·15 and 双11
SEASON = {
    "food": [0.8, 0.8, 1.0, 1.0, 1.2, 1.5, 1.7, 1.7, 1.3, 1.0, 0.9, 0.8],
    "fraud": [1.0, 0.9, 1.4, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.6, 1.3],
    "counterfeit": [1.0, 0.9, 1.5, 1.0, 1.0, 1.1, 1.0, 1.0, 1.0, 1.0, 1.8, 1.4],
    "property": [1.4, 1.2, 1.0, 0.9, 0.9, 1.1, 1.3, 1.3, 1.0, 0.9, 1.0, 1.3],
    "environment": [0.8, 0.8, 1.0, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 1.0, 0.9, 0.9],
}
CATEGORY_WEIGHTS = {"counterfeit": 8, "ip": 2, "fraud": 12, "food": 14, "drug": 4, "special_equipment": 5, "metrology": 5,
                    "price": 9, "environment": 8, "property": 11, "construction": 6, "business": 6, "other": 5}
CHANNEL_WEIGHTS = {"12345": 40, "12315": 20, "web": 18, "masswork": 7, "tv": 2, "petition": 4, "email": 3,
                   "inspection": 3, "api": 3}

"""The demand classifier learns categories from Chinese text and reports honest held-out figures."""

import random

from qualitycity.methods import textclassify

TEXTS = {
    "food": ["外卖里吃出头发，餐馆后厨卫生差", "超市卖过期牛奶", "餐馆吃饭后腹泻怀疑食材变质", "面包发霉还在卖"],
    "metrology": ["菜市场电子秤缺斤短两", "加油站加油机计量不准", "出租车计价器跳表太快", "买肉回家复称少了二两"],
    "property": ["物业收费不服务楼道灯坏了", "小区物业乱收停车费", "维修基金使用不公示", "物业不修电梯门禁"],
}


def corpus(n=30, seed=1):
    rng = random.Random(seed)
    texts, labels = [], []
    for label, phrases in TEXTS.items():
        for _ in range(n):
            texts.append(rng.choice(phrases) + rng.choice(["，请处理", "，要求答复", "。", "，太气人了"]))
            labels.append(label)
    return texts, labels


def test_it_suggests_the_right_category_with_a_confidence():
    texts, labels = corpus()
    model = textclassify.DemandClassifier().fit(texts, {"category": labels})
    top = model.suggest("昨天在菜场买菜被缺斤短两，电子秤有问题")["category"]
    assert top[0][0] == "metrology" and 0.34 < top[0][1] <= 1.0
    assert abs(sum(p for _, p in model.suggest("物业", top=3)["category"]) - 1.0) < 1e-6


def test_held_out_figures_fall_to_chance_on_shuffled_labels():
    texts, labels = corpus()
    good = textclassify.evaluate(texts, {"category": labels})["targets"]["category"]
    shuffled = labels[:]
    random.Random(3).shuffle(shuffled)
    bad = textclassify.evaluate(texts, {"category": shuffled})["targets"]["category"]
    assert good["accuracy"] > 0.9 and bad["accuracy"] < 0.6

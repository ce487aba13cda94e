"""The intake's numpy evaluation of the classifier gives scikit-learn's own suggestions."""

import pytest

from qualitycity.complaints.services.suggester import CompiledSuggester
from qualitycity.methods.textclassify import DemandClassifier

TEXTS = {
    ("food", "洪山区"): ["餐馆饭菜变质吃后腹泻", "外卖里有异物，疑似过期食材", "超市卖过期牛奶", "火锅店食材不新鲜"],
    ("price", "武昌区"): ["停车场乱收费不明码标价", "景区门票价格欺诈", "药店标价与结算价不一致", "加收服务费未告知"],
    ("property", "江汉区"): ["小区物业不维修电梯", "物业乱收停车费", "小区垃圾无人清理，物业不管", "维修基金使用不公开"],
}


@pytest.fixture(scope="module")
def model():
    texts, categories, districts, kinds, city = [], [], [], [], []
    for (category, district), samples in TEXTS.items():
        for i, text in enumerate(samples * 2):
            texts.append(f"{district}{text}")
            categories.append(category)
            districts.append(district)
            kinds.append("complaint" if i % 3 else "report")  # two classes: the logistic branch
            city.append("武汉市")  # one class: nothing to learn
    labels = {"category": categories, "district": districts, "type": kinds, "city": city}
    return DemandClassifier().fit(texts, labels)


@pytest.mark.parametrize("text", [
    "洪山区一家餐馆的菜有异味", "武昌区停车场收费太高", "江汉区物业不作为，电梯坏了一个月",
    "完全无关的句子", "", "abc 123",
])
def test_it_suggests_what_scikit_learn_suggests(model, text):
    expected = model.suggest(text)
    got = CompiledSuggester(model).suggest(text)
    assert got.keys() == expected.keys()
    for target, options in expected.items():
        assert [label for label, _ in got[target]] == [label for label, _ in options], target
        assert [p for _, p in got[target]] == pytest.approx([p for _, p in options], abs=1e-4), target
    assert got["city"] == [("武汉市", 1.0)]
    assert len(got["type"]) == 2 and len(got["category"]) == 3


def test_the_features_are_the_vectorizers_row(model):
    text = "洪山区外卖饭菜变质，外卖平台不处理"
    row = model.vectorizer.transform([text])
    columns, weights = CompiledSuggester(model).features(text)
    assert list(columns) == sorted(row.indices.tolist())
    assert weights == pytest.approx(row.toarray()[0][columns], abs=1e-12)

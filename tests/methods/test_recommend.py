from collections import Counter

from qualitycity.methods.recommend import Item, Profile, evaluate, recommend


def _items():
    return [
        Item("course:cable", "course", "电线电缆质量控制", industries=frozenset({"38"}), topics=frozenset({"检测"})),
        Item("course:food", "course", "食品安全管理", industries=frozenset({"14"})),
        Item("programme:sme", "programme", "中小企业质量提升", sizes=frozenset({"small", "micro"}),
             signals=frozenset({"failed_inspection"})),
        Item("course:generic", "course", "质量管理基础"),
    ]


def test_a_cable_maker_gets_the_cable_course_with_the_reason():
    profile = Profile(industry="38", industry_name="电气机械和器材制造业", size="small", size_label="小型",
                      signals={"failed_inspection": "因为贵企业 2026 年有 2 批次抽检不合格"})
    recs = recommend(profile, _items())
    keys = [r.item.key for r in recs]
    assert keys[0] in {"course:cable", "programme:sme"} and "course:food" not in keys
    programme = next(r for r in recs if r.item.key == "programme:sme")
    assert any("2 批次抽检不合格" in reason for reason in programme.reasons)
    # items with no reason at all are never shown
    assert "course:generic" not in keys


def test_used_items_are_not_recommended_again():
    profile = Profile(industry="38", used={"course:cable"})
    assert "course:cable" not in [r.item.key for r in recommend(profile, _items())]


def test_evaluation_counts_a_held_out_hit_and_beats_popularity_on_tailored_data():
    items = _items()
    histories = {"a": ["course:food", "course:cable"], "b": ["course:food", "course:food"],
                 "c": ["course:food", "course:food"]}
    industries = {"a": "38", "b": "14", "c": "14"}

    def profile(user, keys):
        return Profile(industry=industries[user], topics=Counter(), used=set(keys))

    result = evaluate(histories, profile, items, k=1)
    assert result.users == 3
    assert result.hit_rate == 1 / 3  # a gets the cable course; b and c already used the food course
    assert result.baseline_hit_rate == 0.0


def test_peers_in_the_same_industry_are_a_reason_and_are_counted_from_training_data_only():
    from qualitycity.methods.recommend import peer_counts

    histories = {"a": ["course:food"], "b": ["course:food", "course:cable"], "c": ["course:cable"]}
    group_of = {"a": "14", "b": "14", "c": "38"}
    assert peer_counts(histories, group_of, "a") == {"course:food": 1, "course:cable": 1}
    profile = Profile(industry="14", peers=peer_counts(histories, group_of, "a"), used={"course:food"})
    recs = {r.item.key: r for r in recommend(profile, _items())}
    assert "同行业已有 1 家企业选择" in recs["course:cable"].reasons


def test_evaluation_counts_peers_from_the_training_part_only():
    # a and b are in the same industry and both end with "course:x", which nothing else
    # would recommend: counted from full histories, each would see the other's hidden x as a
    # peer choice and "hit"; counted from the training part, neither may
    x = Item("course:x", "course", "只有同行记录能推荐的课程")
    histories = {"a": ["course:food", "course:x"], "b": ["course:food", "course:x"]}
    seen = {}

    def profile(user, keys):
        seen[user] = Profile(used=set(keys))
        return seen[user]

    result = evaluate(histories, profile, [x, *_items()], k=5, group_of={"a": "38", "b": "38"})
    assert result.users == 2 and result.hit_rate == 0.0
    assert "course:x" not in seen["a"].peers and "course:x" not in seen["b"].peers
    assert seen["a"].peers == {"course:food": 1}
    # the profile is built from the actions before the hidden one
    assert seen["a"].used == {"course:food"}


def test_evaluation_popularity_comes_from_the_training_part_only():
    # "course:cable" is everyone's hidden last action: the baseline must not know it is popular
    histories = {u: ["course:food", "course:cable"] for u in "abc"}

    def profile(user, keys):
        return Profile(used=set(keys))

    result = evaluate(histories, profile, _items(), k=5)
    assert result.baseline_hit_rate == 0.0


def test_per_kind_evaluation_scores_each_user_on_the_list_of_the_hidden_kind():
    items = [*_items(), Item("service:test", "service", "电线电缆检测", industries=frozenset({"38"}))]
    histories = {"a": ["course:food", "service:test"], "b": ["service:test", "course:cable"],
                 "c": ["course:food", "course:generic"]}

    def profile(user, keys):
        return Profile(industry="38", used=set(keys))

    result = evaluate(histories, profile, items, k=1, per_kind=True)
    assert set(result.by_kind) == {"service", "course"}
    assert result.by_kind["service"].users == 1 and result.by_kind["service"].hit_rate == 1.0
    # b's hidden cable course is found in the course list (the service does not crowd it out)
    assert result.by_kind["course"].users == 2 and result.by_kind["course"].hit_rate == 0.5
    assert result.users == 3 and result.hit_rate == 2 / 3
    assert result.by_kind["service"].coverage == 1.0


def test_a_short_list_is_topped_up_with_popular_items_that_say_so():
    profile = Profile(industry="38")  # only the cable course has a reason of its own
    recs = recommend(profile, _items(), k=3, popularity={"course:generic": 0.4, "course:food": 0.2})
    assert [r.item.key for r in recs] == ["course:cable", "course:generic", "course:food"]
    assert recs[1].reasons == ("平台上常被选择",)
    # never an item nobody used and nothing says anything for
    assert "programme:sme" not in [r.item.key for r in recommend(profile, _items(), k=5, popularity={})]

from collections import Counter

from qualitycity.methods.matching import Party, match


def test_it_prefers_same_industry_and_district():
    cadres = [Party(1, "C", "A"), Party(2, "F", "B")]
    ents = [Party(10, "F", "B"), Party(11, "C", "A")]
    assert sorted(match(cadres, ents, capacity=1)) == [(1, 11), (2, 10)]


def test_it_balances_workload_before_matching_perfectly():
    cadres = [Party(1, "C", "A"), Party(2, "F", "B")]
    ents = [Party(i, "C", "A") for i in range(10, 14)]
    loads = Counter(c for c, _ in match(cadres, ents, capacity=4, load_penalty=10))
    assert loads == {1: 2, 2: 2}


def test_existing_load_counts():
    cadres = [Party(1, "C", "A", load=3), Party(2, "C", "A", load=0)]
    assert match(cadres, [Party(10, "C", "A")], capacity=2) == [(2, 10)]


def test_more_enterprises_than_slots_leaves_some_unmatched():
    pairs = match([Party(1, "C", "A")], [Party(i, "C", "A") for i in range(5)], capacity=2)
    assert len(pairs) == 2

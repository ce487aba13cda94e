from qualitycity.methods.labrank import Candidate, haversine_km, rank


def test_faster_lab_ranks_first_when_all_else_is_equal():
    slow = Candidate("slow", 10, 0, 5.0, 4.0)
    fast = Candidate("fast", 3, 0, 5.0, 4.0)
    assert [c.key for c in rank([slow, fast])] == ["fast", "slow"]


def test_backlog_and_distance_can_outweigh_turnaround():
    busy_far = Candidate("busy", 3, 40, 30.0, 2.0)
    idle_near = Candidate("idle", 4, 0, 1.0, 5.0)
    ranked = rank([busy_far, idle_near])
    assert ranked[0].key == "idle"
    assert ranked[1].parts["backlog"] > 0 and ranked[1].parts["turnaround"] == 0


def test_unrated_lab_is_neutral():
    ranked = rank([Candidate("new", 5, 0, 0, None), Candidate("good", 5, 0, 0, 5.0), Candidate("bad", 5, 0, 0, 1.0)])
    assert [c.key for c in ranked] == ["good", "new", "bad"]


def test_haversine_wuhan_districts():
    # 江岸区 to 洪山区 centres are roughly ten kilometres apart
    assert 5 < haversine_km(114.31, 30.60, 114.34, 30.50) < 15

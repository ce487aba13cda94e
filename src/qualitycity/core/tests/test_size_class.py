import pytest

from qualitycity.core.size_class import classify


@pytest.mark.parametrize(
    ("division", "employees", "revenue", "expected"),
    [
        ("38", 1500, 50000, "large"),  # manufacturing: ≥1000 staff and ≥40,000万
        ("38", 1500, 30000, "medium"),  # large staff but not large revenue: one class down
        ("38", 350, 2500, "medium"),
        ("38", 25, 400, "small"),
        ("38", 10, 5000, "micro"),  # both limits must be met for small
        ("52", 60, 600, "medium"),  # retail: 50 staff and 500万
        ("65", 12, 60, "small"),  # software: 10 staff and 50万
        ("83", 120, None, "medium"),  # other services: staff only
        ("02", None, 600, "medium"),  # agriculture: revenue only
    ],
)
def test_it_classifies_per_the_2017_statistical_rules(division, employees, revenue, expected):
    assert classify(division, employees, revenue) == expected

"""Enterprise size class per 统计上大中小微型企业划分办法(2017) (国统字〔2017〕213号).

Each industry group has lower limits for large, medium and small enterprises on two
measures (employees and operating revenue in 10k yuan, or revenue and total assets for
construction and real estate). Large, medium and small must meet *both* lower limits,
otherwise the enterprise drops one class; micro is what remains.
"""

from __future__ import annotations

from decimal import Decimal

# group -> ((large), (medium), (small)); each tuple is (employees, revenue) thresholds.
# ``None`` means the group uses a single measure.
THRESHOLDS: dict[str, tuple[tuple, tuple, tuple]] = {
    "agriculture": ((None, 20000), (None, 500), (None, 50)),
    "industry": ((1000, 40000), (300, 2000), (20, 300)),
    "wholesale": ((200, 40000), (20, 5000), (5, 1000)),
    "retail": ((300, 20000), (50, 500), (10, 100)),
    "transport": ((1000, 30000), (300, 3000), (20, 200)),
    "warehousing": ((200, 30000), (100, 1000), (20, 100)),
    "postal": ((1000, 30000), (300, 2000), (20, 100)),
    "accommodation_catering": ((300, 10000), (100, 2000), (10, 100)),
    "telecom_internet": ((2000, 100000), (100, 1000), (10, 100)),
    "software": ((300, 10000), (100, 1000), (10, 50)),
    "leasing_business": ((300, None), (100, None), (10, None)),
    "other": ((300, None), (100, None), (10, None)),
}
# Construction and real estate are judged on revenue and assets, which we do not hold;
# they fall back to revenue only with the revenue limits of the rules.
REVENUE_ONLY = {
    "construction": ((None, 80000), (None, 6000), (None, 300)),
    "real_estate": ((None, 200000), (None, 1000), (None, 100)),
}
THRESHOLDS.update(REVENUE_ONLY)


def group_for_division(division: str) -> str:
    """Map a GB/T 4754-2017 division (two digits) to its size-rule group."""
    d = int(division)
    if d <= 5:
        return "agriculture"
    if d <= 46:
        return "industry"
    if d <= 50:
        return "construction"
    if d == 51:
        return "wholesale"
    if d == 52:
        return "retail"
    if 53 <= d <= 58:
        return "transport"
    if d == 59:
        return "warehousing"
    if d == 60:
        return "postal"
    if d in (61, 62):
        return "accommodation_catering"
    if d in (63, 64):
        return "telecom_internet"
    if d == 65:
        return "software"
    if d == 70:
        return "real_estate"
    if d in (71, 72):
        return "leasing_business"
    return "other"


def classify(division: str, employees: int | None, revenue_10k: Decimal | float | None) -> str:
    """Return ``large``, ``medium``, ``small`` or ``micro``."""
    limits = THRESHOLDS[group_for_division(division)]
    for size, (min_employees, min_revenue) in zip(("large", "medium", "small"), limits, strict=True):
        meets_employees = min_employees is None or (employees or 0) >= min_employees
        meets_revenue = min_revenue is None or float(revenue_10k or 0) >= min_revenue
        if meets_employees and meets_revenue:
            return size
    return "micro"

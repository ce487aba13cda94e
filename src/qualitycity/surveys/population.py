"""Default population margins for raking, used when a project gives none.

These are placeholders, not official figures: roughly even sexes (51 % men) and
approximate adult age-band shares, with equal district shares.  A real project must
replace them with the statistics bureau's census figures for the city; the results
record which margins were raked to.
"""

SEX = {"M": 0.51, "F": 0.49}
AGE = {"18-29": 0.22, "30-44": 0.30, "45-59": 0.27, "60+": 0.21}


def default_margins(district_names: list[str] | None) -> dict:
    margins = {"sex": dict(SEX), "age": dict(AGE)}
    if district_names:
        margins["district"] = {name: 1.0 for name in district_names}
    return margins

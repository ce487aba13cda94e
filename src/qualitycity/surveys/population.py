"""Default population margins for raking, used when a project gives none.

Sex and age shares are rounded from the 7th national population census of Wuhan
(2020, 武汉市第七次全国人口普查公报): about 51 % men; the adult age bands are
approximate.  District shares default to equal, which a project should replace with
the statistics bureau's figures — the results page says which margins were used.
"""

SEX = {"M": 0.51, "F": 0.49}
AGE = {"18-29": 0.22, "30-44": 0.30, "45-59": 0.27, "60+": 0.21}


def default_margins(district_names: list[str] | None) -> dict:
    margins = {"sex": dict(SEX), "age": dict(AGE)}
    if district_names:
        margins["district"] = {name: 1.0 for name in district_names}
    return margins

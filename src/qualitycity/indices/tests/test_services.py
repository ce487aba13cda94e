"""Services: computing, AHP questionnaires, imports and manual entry, platform providers."""

import io

import pytest
from openpyxl import Workbook

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import AuditEvent, Organization, OrgKind
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from .. import sources
from ..models import AhpResponse, Result, Value
from ..services import compute, frameworks
from ..services import data as data_service
from . import factories

pytestmark = pytest.mark.django_db
BY = factories.SYSTEM


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_district_best_on_every_indicator_ranks_first_with_a_rank_interval():
    fw, areas, _ = factories.framework()
    result = compute.compute_result(by=BY, framework=fw, year=2025, replications=300, sobol_base=64, seed=1)
    p = result.payload
    rank = dict(zip(p["units"], p["rank"], strict=True))
    assert rank["洪山区"] == 1 and rank["武昌区"] == 5
    i = p["units"].index("洪山区")
    # Dominating every indicator, no modelling choice can move it: its interval is [1, 1].
    assert p["uncertainty"]["p05"][i] == 1 and p["uncertainty"]["p95"][i] == 1
    assert p["sensitivity"]["factors"][0] == "normalization" and len(p["sensitivity"]["ST"]) == 5
    assert result.number.startswith("ZS") and len(result.number) == 14
    assert AuditEvent.objects.filter(action="indices.result.compute").count() == 1


def test_strengths_and_weaknesses_are_measured_against_the_city_median():
    fw, _, _ = factories.framework()
    p = compute.run(fw, 2025, replications=0, sobol_base=0)
    s = p["strengths"]["江岸区"]
    # 江岸区 is above the median on pass rate (96 vs 94) and complaints (10 vs 12, a cost).
    assert {b["code"] for b in s["best"]} >= {"pass_rate"}
    assert s["best"][0]["gap"] >= s["worst"][0]["gap"]
    assert p["strengths"]["洪山区"]["worst"][0]["gap"] > 0  # even its worst is above the median


def test_quality_report_counts_missing_cells_and_flags_jrc_outliers():
    fw, areas, inds = factories.framework()
    Value.objects.filter(indicator=inds["labs"], area=areas[0]).delete()
    extra = [core.area(n, c) for n, c in (("汉阳区", "420105"), ("青山区", "420107"), ("蔡甸区", "420114"))]
    for k, a in enumerate(extra):
        for code, ind in inds.items():
            Value.objects.create(indicator=ind, area=a, year=2025, value=(500 if code == "standards" and k == 0 else 10 + k),
                                 origin="manual")
    table, _a, ilist = compute.engine_table(fw, 2025)
    report = compute.quality_report(table, ilist)
    row = {r["code"]: r for r in report["indicators"]}
    assert row["labs"]["missing"] == 1 and row["labs"]["missing_units"] == ["江岸区"]
    assert row["standards"]["outlier"] and not row["pass_rate"]["outlier"]
    assert report["coverage"] == round(100 * 39 / 40, 1)


def test_an_indicator_with_no_variance_is_refused_with_its_name():
    fw, _, inds = factories.framework()
    Value.objects.filter(indicator=inds["labs"]).update(value=3)
    with pytest.raises(DomainError, match="labs.*no variance"):
        compute.compute_result(by=BY, framework=fw, year=2025, replications=0, sobol_base=0)
    assert not Result.objects.exists()


def test_an_indicator_with_all_values_missing_is_refused():
    fw, _, inds = factories.framework()
    Value.objects.filter(indicator=inds["labs"]).delete()
    with pytest.raises(DomainError, match="labs.*all values are missing"):
        compute.run(fw, 2025, replications=0, sobol_base=0)


def test_manual_weights_that_do_not_sum_to_one_are_refused():
    fw, _, inds = factories.framework(weighting="manual")
    for g in fw.groups.all():
        g.weight = 0.5
        g.save()
    for code, w in (("pass_rate", 0.5), ("complaints", 0.3), ("standards", 0.5), ("metrology", 0.5), ("labs", 1)):
        inds[code].weight = w
        inds[code].save()
    with pytest.raises(DomainError, match="sum to 0.8"):
        compute.run(fw, 2025, replications=0, sobol_base=0)


def test_an_indicator_without_a_direction_is_refused():
    fw, _, _ = factories.framework(with_values=False)
    group = fw.groups.get(code="product")
    with pytest.raises(DomainError) as err:
        frameworks.save_indicator(by=BY, framework=fw, data={"group": group, "code": "x", "name": "无方向", "direction": ""})
    assert "direction" in err.value.errors and fw.indicators.count() == 5


# ---- AHP ---------------------------------------------------------------------------------


def test_ahp_questionnaires_are_combined_by_geometric_mean():
    fw, _, _ = factories.framework(weighting="ahp")
    q = frameworks.open_questionnaire(by=BY, framework=fw, group=None)
    a, b = core.user("e1"), core.user("e2")
    frameworks.submit_response(by=Actor(user=a), questionnaire=q, judgements={(0, 1): "4"})
    frameworks.submit_response(by=Actor(user=b), questionnaire=q, judgements={(0, 1): "1"})
    agg = frameworks.aggregate(q)
    assert agg["n"] == 2 and agg["matrix"][0, 1] == pytest.approx(2.0)  # sqrt(4 × 1)
    assert agg["weights"][0] == pytest.approx(2 / 3)


def four_element_node(fw):
    """The product dimension with four indicators: 抽查合格率, 万人投诉量, 第三项, 第四项."""
    product = fw.groups.get(code="product")
    for order, code, name in ((2, "third", "第三项"), (3, "fourth", "第四项")):
        frameworks.save_indicator(by=BY, framework=fw, data={"group": product, "code": code, "name": name,
                                                             "direction": "+", "order": order})
    return frameworks.open_questionnaire(by=BY, framework=fw, group=product)


# Priorities 8 : 4 : 2 : 1 give a perfectly consistent matrix; one judgement is then reversed.
CONSISTENT = {(0, 1): "2", (0, 2): "4", (0, 3): "8", (1, 2): "2", (1, 3): "4", (2, 3): "2"}


def test_an_inconsistent_ahp_matrix_is_refused_naming_the_planted_bad_judgement():
    fw, _, _ = factories.framework(weighting="ahp")
    q = four_element_node(fw)
    with pytest.raises(DomainError) as err:
        frameworks.submit_response(by=Actor(user=core.user("e3")), questionnaire=q,
                                   judgements={**CONSISTENT, (1, 2): "1/7"})
    assert "CR = " in err.value.message and "最不一致的判断是“万人投诉量”相对“第三项” = 1/7" in err.value.message
    assert list(err.value.errors) == ["a_1_2"]
    assert not AhpResponse.objects.exists()
    frameworks.submit_response(by=Actor(user=core.user("e4")), questionnaire=q, judgements=CONSISTENT)
    assert AhpResponse.objects.get().cr == pytest.approx(0, abs=1e-9)


def test_an_out_of_scale_judgement_is_refused():
    fw, _, _ = factories.framework(weighting="ahp")
    q = frameworks.open_questionnaire(by=BY, framework=fw, group=None)
    with pytest.raises(DomainError) as err:
        frameworks.submit_response(by=Actor(user=core.user("e9")), questionnaire=q, judgements={(0, 1): "12"})
    assert "a_0_1" in err.value.errors


def test_ahp_weighting_uses_the_combined_expert_matrices():
    fw, _, _ = factories.framework(weighting="ahp")
    expert = Actor(user=core.user("e5"))
    for group in [None, *fw.groups.all()]:
        if len(frameworks.node_children(fw, group)) >= 2:
            q = frameworks.open_questionnaire(by=BY, framework=fw, group=group)
            frameworks.submit_response(by=expert, questionnaire=q, judgements={(0, 1): "3"})
    p = compute.run(fw, 2025, replications=0, sobol_base=0)
    assert p["weights"]["index"]["product"] == pytest.approx(0.75, abs=1e-6)


def test_ahp_weighting_without_a_questionnaire_names_the_node():
    fw, _, _ = factories.framework(weighting="ahp")
    with pytest.raises(DomainError, match="ahp"):
        compute.run(fw, 2025, replications=0, sobol_base=0)


# ---- data ---------------------------------------------------------------------------------


def test_excel_import_writes_every_cell():
    fw, areas, inds = factories.framework(with_values=False)
    content = xlsx([["区", "pass_rate", "万人投诉量"], ["江岸区", 95.5, 11], ["洪山区", "97%", None]])
    assert data_service.import_values(by=BY, framework=fw, year=2024, filename="d.xlsx", content=content) == 3
    v = Value.objects.get(indicator=inds["pass_rate"], area__name="洪山区", year=2024)
    assert v.value == 97 and v.origin == "import"


def test_a_non_numeric_cell_rejects_the_whole_file_naming_row_and_column():
    fw, _, _ = factories.framework(with_values=False)
    content = xlsx([["区", "pass_rate", "labs"], ["江岸区", 95.5, 3], ["洪山区", "九十", 4], ["不存在区", 1, 2]])
    with pytest.raises(ImportRejected) as err:
        data_service.import_values(by=BY, framework=fw, year=2024, filename="d.xlsx", content=content)
    problems = err.value.problems
    assert {"line": 3, "column": "B（pass_rate）", "message": "“九十”不是数字"} in problems
    assert any(p["line"] == 4 and "不存在区" in p["message"] for p in problems)
    assert Value.objects.count() == 0


def test_a_file_without_the_district_column_or_with_a_duplicate_is_rejected():
    fw, _, _ = factories.framework(with_values=False)
    with pytest.raises(ImportRejected):
        data_service.import_values(by=BY, framework=fw, year=2024, filename="d.xlsx",
                                   content=xlsx([["unit", "labs"], ["江岸区", 1]]))
    with pytest.raises(ImportRejected) as err:
        data_service.import_values(by=BY, framework=fw, year=2024, filename="d.xlsx",
                                   content=xlsx([["区", "labs"], ["江岸区", 1], ["江岸区", 2]]))
    assert "重复" in err.value.problems[0]["message"]
    assert Value.objects.count() == 0


def test_manual_entry_is_all_or_nothing():
    fw, areas, inds = factories.framework(with_values=False)
    good = (inds["labs"].pk, areas[0].pk)
    bad = (inds["labs"].pk, areas[1].pk)
    with pytest.raises(DomainError) as err:
        data_service.save_manual(by=BY, framework=fw, year=2025, entries={good: "3", bad: "abc"})
    assert f"v_{bad[0]}_{bad[1]}" in err.value.errors and "江汉区" in err.value.errors[f"v_{bad[0]}_{bad[1]}"][0]
    assert Value.objects.count() == 0
    data_service.save_manual(by=BY, framework=fw, year=2025, entries={good: "3", bad: ""})
    assert Value.objects.get().value == 3


def test_platform_providers_fill_indicators_from_the_directory():
    fw, areas, inds = factories.framework(with_values=False)
    hongshan = next(a for a in areas if a.name == "洪山区")
    core.organization(OrgKind.TESTING_LAB, in_area=hongshan, industry=None, cnas_number="CNAS L1234")
    core.organization(OrgKind.TESTING_LAB, in_area=hongshan, industry=None)  # not accredited
    inds["labs"].provider = "core.accredited_labs"
    inds["labs"].save()
    data_service.fill_from_platform(by=BY, framework=fw, year=2025)
    got = dict(Value.objects.filter(indicator=inds["labs"]).values_list("area__name", "value"))
    assert got["洪山区"] == 1 and got["江岸区"] == 0
    assert Value.objects.filter(origin="computed").count() == len(areas)
    assert Organization.objects.filter(kind=OrgKind.TESTING_LAB).count() == 2


def test_every_registered_provider_explains_itself():
    keys = {p.key for p in sources.providers()}
    assert {"core.enterprises", "core.accredited_labs"} <= keys
    assert all(len(p.description) > 20 for p in sources.providers())
    with pytest.raises(ValueError):
        sources.register("core.enterprises", label="x", description="y")(lambda a, y: 0)


def test_a_module_without_data_that_year_leaves_the_imported_values_alone():
    fw, areas, inds = factories.framework()
    inds["pass_rate"].provider = "inspection.pass_rate"  # no inspection orders at all in this test
    inds["pass_rate"].save()
    before = dict(Value.objects.filter(indicator=inds["pass_rate"]).values_list("area__name", "value"))
    written, kept = data_service.fill_from_platform(by=BY, framework=fw, year=2025)
    assert kept == ["pass_rate"] and written == 0
    assert dict(Value.objects.filter(indicator=inds["pass_rate"]).values_list("area__name", "value")) == before
    assert AuditEvent.objects.filter(action="indices.values.computed").last().changes["kept"] == ["pass_rate"]


def test_locf_fills_a_gap_with_the_districts_value_of_the_year_before():
    fw, areas, inds = factories.framework()
    frameworks.update_options(by=BY, framework=fw, data={"imputation": "locf"})
    hongshan = next(a for a in areas if a.name == "洪山区")
    for v in Value.objects.filter(year=2025):
        Value.objects.create(indicator=v.indicator, area=v.area, year=2024, value=v.value + 1, origin="manual")
    Value.objects.filter(year=2025, area=hongshan, indicator=inds["labs"]).delete()
    p = compute.run(fw, 2025, replications=20, sobol_base=0)
    assert p["imputed"] == [{"unit": "洪山区", "indicator": "labs", "value": 10.0, "method": "locf"}]  # 9 + 1 in 2024
    Value.objects.filter(year=2024, area=hongshan, indicator=inds["labs"]).delete()
    with pytest.raises(DomainError, match="洪山区.*labs.*no earlier observation"):
        compute.run(fw, 2025, replications=0, sobol_base=0)


def test_group_mean_uses_the_frameworks_district_groups():
    fw, areas, inds = factories.framework()
    frameworks.update_options(by=BY, framework=fw, data={"imputation": "group_mean"})
    # 洪山区 and 武昌区 form one group; the rest (江岸, 江汉, 硚口) another.
    fw.district_groups = {"420111": "东", "420106": "东"}
    fw.save()
    Value.objects.filter(year=2025, area__name="洪山区", indicator=inds["labs"]).delete()
    p = compute.run(fw, 2025, replications=20, sobol_base=0)
    assert p["imputed"] == [{"unit": "洪山区", "indicator": "labs", "value": 1.0, "method": "group_mean"}]  # 武昌区's 1
    assert p["district_groups"]["江岸区"] == compute.CENTRAL_LABEL

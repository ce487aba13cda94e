"""Search behaviour users rely on; runs on whichever database the suite uses (SQLite or
PostgreSQL), so the same assertions hold for FTS5 and tsvector."""

import pytest

from qualitycity.standards import search
from qualitycity.standards.models import Standard, Status

from .factories import CATALOGUE, load, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(codes):
    load(CATALOGUE + [
        row("GB/T 19001-2008", "质量管理体系 要求", "被代替"),
        row("DB42/T 999-2019", "电动自行车停放场所消防安全规范", ICS="13.220"),
        row("GB 99-2020", "电梯安全要求", ICS="91.140.90"),
    ])


def numbers_of(result):
    return [h.standard.number for h in result.hits]


@pytest.mark.parametrize("typed", ["gb/t19001—2016", "GB/T 19001-2016", "ＧＢ／Ｔ　１９００１－２０１６", "GBT 19001 2016"])
def test_an_exact_number_in_any_form_comes_first_with_its_edition(catalogue, typed):
    result = search.search(typed)
    assert numbers_of(result)[0] == "GB/T 19001-2016"
    assert result.hits[0].exact and result.hits[0].is_current_edition
    assert result.number == "GB/T 19001-2016"


def test_a_number_without_year_lists_every_edition_current_first(catalogue):
    result = search.search("gb/t 19001")
    assert numbers_of(result)[:2] == ["GB/T 19001-2016", "GB/T 19001-2008"]
    assert result.hits[1].replaced_by == ["GB/T 19001-2016"]


def test_a_two_character_word_is_found(catalogue):
    """FTS5 trigram and pg_trgm miss 2-character words; the bigram index does not."""
    result = search.search("电缆")
    assert set(numbers_of(result)) == {"GB/T 5023.1-2008", "GB/T 12706.1-2020", "JB/T 10696.1-2007"}
    pieces = result.hits[0].title_pieces
    assert ("电缆", True) in pieces


def test_one_character_and_phrase_queries(catalogue):
    assert "GB 99-2020" in numbers_of(search.search("梯"))
    assert numbers_of(search.search("食品添加剂使用"))[0] == "GB 2760-2014"


def test_english_words_are_searched(catalogue):
    assert numbers_of(search.search("cables")) == ["JB/T 10696.1-2007"]


def test_filters_and_facets(catalogue):
    result = search.search("电缆", search.Filters(kind="industry"))
    assert numbers_of(result) == ["JB/T 10696.1-2007"]
    full = search.search("质量")
    # 19001-2016, T/CAQ 10201 (质量管理小组) and 2828.1 (接收质量限) are current; 19001-2008 is replaced
    assert dict(full.facets["status"]) == {Status.CURRENT: 3, Status.REPLACED: 1}
    assert dict(full.facets["ics"]) == {"03": 3}
    only_ics = search.search("", search.Filters(ics="29.060"))
    assert set(numbers_of(only_ics)) == {"GB/T 5023.1-2008", "GB/T 12706.1-2020", "JB/T 10696.1-2007"}
    assert numbers_of(search.search("", search.Filters(ics="29.060.20", kind="national"))) == [
        "GB/T 5023.1-2008", "GB/T 12706.1-2020"]  # newest implementation first, undated last


def test_pagination_is_stable(catalogue):
    first = search.search("标准", limit=1, page=1)
    second = search.search("标准", limit=1, page=2)
    assert first.total == second.total >= 2
    assert numbers_of(first) != numbers_of(second)


def test_a_misspelled_number_gets_suggestions(catalogue):
    result = search.search("GB/T 19011-2016")
    assert result.total == 0
    assert "GB/T 19001-2016" in result.suggestions


def test_a_part_of_a_compound_word_finds_it_on_both_databases(catalogue):
    # FTS5 splits "ISO/IEC" and "v2.1" into parts; PostgreSQL's parser would keep them whole
    load([row("GB/T 27025-2019", "检测和校准实验室能力的通用要求",
              英文标准名称="General requirements for testing laboratories (ISO/IEC 17025) v2.1")])
    for query in ("iec", "ISO/IEC", "v2", "17025"):
        assert "GB/T 27025-2019" in numbers_of(search.search(query)), query


def test_a_year_with_no_edition_suggests_the_edition_that_exists(catalogue):
    assert search.search("GB/T 19001-2017").suggestions[0] == "GB/T 19001-2016"


def test_of_two_equally_close_numbers_the_one_that_begins_like_the_typed_one_comes_first(catalogue):
    load([row("GB/T 11900-2015", "另一项标准")])
    # "1900l": a letter l for the digit 1; 11900 and 19001 are both one edit away
    assert search.search("GB/T 1900l-2016").suggestions[:2] == ["GB/T 19001-2016", "GB/T 11900-2015"]


@pytest.mark.parametrize("query", [
    '"', "'", '电缆"', "*", "电*", "NEAR(电缆 质量)", "(", ")", "AND", "OR", "NOT 电缆", "电缆 OR 1=1", "a" * 5000,
    "😀🔥", "\x00\x01\x1f", "-", "^", "col:电缆", "{}[]", "%_", "\\", "GB/T 19001-2016 AND",
])
def test_no_query_breaks_the_search(catalogue, query):
    result = search.search(query)
    assert result.total >= 0


def test_an_import_refreshes_the_cached_facet_counts(catalogue, django_capture_on_commit_callbacks):
    assert dict(search.search("电梯").facets["status"]) == {Status.CURRENT: 1}
    with django_capture_on_commit_callbacks(execute=True):
        load([row("GB 7588-2003", "电梯制造与安装安全规范", "被代替", ICS="91.140.90")])
    assert dict(search.search("电梯").facets["status"]) == {Status.CURRENT: 1, Status.REPLACED: 1}


def test_facets_count_each_standard_once_per_ics_field_and_ccs_letter(catalogue):
    load([row("GB/T 30000-2020", "电缆附件", ICS="29.060.20;29.060.10;67.060", CCS="K13")])
    facets = search.search("电缆").facets
    # 5023.1, 12706.1 and 30000 have CCS K13; JB/T 10696.1 has none
    assert facets["ccs"] == [("K", 3)]
    # 30000 has two codes in field 29 and one in 67: once in each field
    assert dict(facets["ics"]) == {"29": 4, "67": 1}
    assert dict(facets["kind"]) == {"national": 3, "industry": 1}
    only_filters = search.search("", search.Filters(ics="29.060")).facets
    assert dict(only_filters["ics"]) == {"29": 4, "67": 1} and only_filters["ccs"] == [("K", 3)]


def test_a_search_is_one_statement_plus_the_page(catalogue, django_assert_max_num_queries):
    search.search("质量")  # the code tables and the cache are warm, as in a running site
    with django_assert_max_num_queries(3):  # matches and facets; the page's rows; what replaced them
        result = search.search("电缆")
        codes = [h.standard.ccs.code for h in result.hits if h.standard.ccs_id]  # the API shows it
    assert codes == ["K13", "K13"] and result.total == 3 and result.facets["ccs"] == [("K", 2)]


@pytest.mark.parametrize("typed", ["GB/T", "gb/t", " ＧＢ／Ｔ "])
def test_a_bare_prefix_lists_that_series_only(catalogue, typed):
    result = search.search(typed, limit=100)
    expected = {s for s in Standard.objects.filter(prefix="GB/T").values_list("number", flat=True)}
    assert result.total == len(expected) >= 4
    assert set(numbers_of(result)) == expected


def test_a_prefix_that_no_standard_has_is_searched_as_text(catalogue):
    assert search.search("XYZ/T").total == 0  # no crash, no listing of everything

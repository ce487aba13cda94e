from qualitycity.methods import textsearch as ts


def test_two_character_words_become_terms():
    assert "电缆" in ts.analyze("电线电缆产品质量")
    assert ts.query_terms("电缆") == ["电缆"]


def test_full_width_and_case_fold():
    assert ts.normalize("ＧＢ／Ｔ　１９００１") == "gb/t 19001"
    assert "gb/t" in ts.analyze("ＧＢ／Ｔ 19001")


def test_long_words_from_jieba_are_indexed():
    terms = ts.analyze("电动自行车安全技术规范")
    assert "自行车" in terms and "技术规范" in terms


def test_query_syntax_is_inert():
    for nasty in ['"', "*", "NEAR(a b)", "a AND (b OR NOT c)", "💥" * 50, "\x00\x1b[31m", "x" * 10_000]:
        match = ts.fts5_match(ts.query_terms(nasty))
        assert all(part.startswith('"') and part.endswith('"') for part in match.split()) or match == ""
    assert ts.fts5_match(['a"b']) == '"a""b"'


def test_similarity_ranks_near_duplicates_above_unrelated_text():
    a = "洪山区某超市销售的电动自行车电池起火"
    b = "洪山区超市电动自行车电池起火隐患"
    c = "江岸区餐厅卫生状况差"
    assert ts.similarity(a, b) > 0.5 > ts.similarity(a, c)
    assert ts.similarity("", a) == 0.0


# ---- standards library additions -------------------------------------------------


def test_index_terms_can_add_single_characters_for_one_character_queries():
    from qualitycity.methods.textsearch import index_terms, query_terms

    terms = index_terms("电线电缆", unigrams=True)
    assert "电缆" in terms and "线" in terms
    assert "线" not in index_terms("电线电缆")
    assert query_terms("线") == ["线"]


def test_pg_tsquery_binds_user_text_as_parameters():
    from qualitycity.methods.textsearch import pg_tsquery

    sql, params = pg_tsquery(["电缆", "a'b"])
    assert "%s" in sql and "a'b" not in sql and params == ["电缆", "a'b"]
    assert " || " in pg_tsquery(["x", "y"], any_term=True)[0]


def test_highlight_marks_query_terms_in_the_original_text():
    from qualitycity.methods.textsearch import highlight

    pieces = highlight("电力电缆 Power cables", ["电缆", "cables"])
    assert [p for p, hit in pieces if hit] == ["电缆", "cables"]
    assert "".join(p for p, _ in pieces) == "电力电缆 Power cables"

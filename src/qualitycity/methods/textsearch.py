"""Chinese-aware text analysis shared by every search and similarity feature.

SQLite FTS5's trigram tokenizer and PostgreSQL's pg_trgm (in a C-locale database) miss
two-character queries such as 电缆. So the index text is built here, in Python: CJK
character bigrams (single characters for one-character runs), jieba's search-mode words,
and lower-cased Latin words and numbers. Both database backends then index that text
with a plain whitespace/unicode tokenizer, and queries go through the same analysis, so
the two backends see identical terms. Nothing here touches a database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import jieba

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.\-/:][a-z0-9]+)*")
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 32


def normalize(text: str) -> str:
    """NFKC folds full-width letters, digits and punctuation (ＧＢ／Ｔ → GB/T); control
    characters are dropped; case is folded."""
    folded = unicodedata.normalize("NFKC", text or "")
    if folded.isprintable():  # no "Other" (C*) character to drop: skips the per-character loop
        return folded.lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] != "C" or ch in " \t\n").lower()


def cjk_bigrams(text: str) -> list[str]:
    terms = []
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def cjk_words(text: str) -> list[str]:
    words = []
    for run in CJK_RUN.findall(text):
        words.extend(w for w in jieba.cut_for_search(run) if len(w) > 2)  # 2-char words are already bigrams
    return words


def latin_words(text: str) -> list[str]:
    return LATIN_WORD.findall(text)


def analyze(text: str) -> list[str]:
    """The index terms of a text, with repetition (frequency matters for ranking)."""
    norm = normalize(text)
    return cjk_bigrams(norm) + cjk_words(norm) + latin_words(norm)


def index_text(*parts: str, extra_terms: Iterable[str] = ()) -> str:
    """The whitespace-separated text a backend stores in its full-text column."""
    terms = [t for part in parts for t in analyze(part)]
    terms.extend(normalize(t).replace(" ", "") for t in extra_terms if t)
    return " ".join(terms)


def query_terms(query: str) -> list[str]:
    """Distinct terms of a user query, in order. Any input is safe: operators, quotes,
    emoji and control characters simply produce no terms or literal ones."""
    norm = normalize(query)[:MAX_QUERY_CHARS]
    seen: dict[str, None] = {}
    for term in cjk_bigrams(norm) + latin_words(norm):
        seen.setdefault(term, None)
    return list(seen)[:MAX_QUERY_TERMS]


def fts5_match(terms: list[str], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string, so no user input
    can be read as FTS syntax (NEAR, AND, *, parentheses…)."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    return (" OR " if any_term else " ").join(quoted)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of the two texts' term counts, in [0, 1]."""
    ca, cb = Counter(analyze(a)), Counter(analyze(b))
    if not ca or not cb:
        return 0.0
    dot = sum(ca[t] * cb[t] for t in ca.keys() & cb.keys())
    return dot / (math.sqrt(sum(v * v for v in ca.values())) * math.sqrt(sum(v * v for v in cb.values())))


# ---- backend pieces shared by the search features (standards library first) ---------


def cjk_unigrams(text: str) -> list[str]:
    """Single CJK characters, for indexes that must answer one-character queries (电)."""
    return [ch for run in CJK_RUN.findall(text) for ch in run]


def index_terms(*parts: str, extra_terms: Iterable[str] = (), unigrams: bool = False) -> list[str]:
    """Like :func:`index_text` but as a list, optionally with single characters too."""
    terms = [t for part in parts for t in analyze(part)]
    if unigrams:
        terms.extend(ch for part in parts for ch in cjk_unigrams(normalize(part)))
    terms.extend(normalize(t).replace(" ", "") for t in extra_terms if t)
    return terms


def pg_tsquery(terms: list[str], *, any_term: bool = False, config: str = "simple") -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression and its parameters with the same meaning as
    :func:`fts5_match`: each term is a phrase of the tokens the parser finds in it (so
    the index and the query are tokenized alike), joined by AND (or OR). User text is
    only ever a bound parameter, never tsquery syntax."""
    if not terms:
        return "''::tsquery", []
    op = " || " if any_term else " && "
    sql = op.join(f"phraseto_tsquery('{config}', %s)" for _ in terms)
    return f"({sql})", [pg_compound_split(t) for t in terms]


# FTS5's unicode61 tokenizer splits "iso/iec", "gb/t-19001" and "v1.2" into their parts;
# PostgreSQL's parser keeps such words whole (it splits only at ":"), so "iec" would find
# "ISO/IEC …" on SQLite but not on PostgreSQL. The tsvector column therefore indexes the
# text with these characters turned into spaces (standards migration 0004, translate()),
# and the query terms get the same treatment here.
PG_COMPOUND_SEPARATORS = "./:-"


def pg_compound_split(term: str) -> str:
    return term.translate(str.maketrans(PG_COMPOUND_SEPARATORS, " " * len(PG_COMPOUND_SEPARATORS)))


def highlight(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into (segment, matched) pieces, marking every place a query term
    (bigram, character or Latin word) occurs, case-insensitively. Works on the original
    text so the page shows exactly what is stored."""
    if not text:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lowered; skip marking
        return [(text, False)]
    covered = [False] * len(text)
    for term in terms:
        if not term:
            continue
        start = lowered.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                covered[i] = True
            start = lowered.find(term, start + 1)
    pieces: list[tuple[str, bool]] = []
    for ch, hit in zip(text, covered, strict=True):
        if pieces and pieces[-1][1] == hit:
            pieces[-1] = (pieces[-1][0] + ch, hit)
        else:
            pieces.append((ch, hit))
    return pieces

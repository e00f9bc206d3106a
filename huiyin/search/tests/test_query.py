"""Parsing the search box: what is searched, what is refused, with a message (no database)."""

import re
import sqlite3

import pytest
from django.test import override_settings

from huiyin.search.backends import SqliteBackend
from huiyin.search.selectors import SearchQueryError, query_parse


def test_a_two_character_word_is_one_term():
    parsed = query_parse("欠薪")
    assert parsed.groups == [["欠薪"]]
    assert parsed.words == ["欠薪"]


def test_a_longer_word_is_a_phrase_of_bigrams_and_highlights_as_the_word():
    parsed = query_parse("拖欠工资")
    assert parsed.groups == [["拖欠", "欠工", "工资"]]
    assert parsed.words == ["拖欠工资"]


def test_words_are_all_required_and_normalised():
    parsed = query_parse("  社保   ＸＦ ")
    assert parsed.groups == [["社保"], ["xf"]]


def test_single_characters_are_ignored_and_said_so():
    parsed = query_parse("房 维修")
    assert parsed.groups == [["维修"]]
    assert parsed.ignored == ["房"]
    with pytest.raises(SearchQueryError) as exc:
        query_parse("房")
    assert "两个字" in exc.value.message or "two characters" in exc.value.message


@pytest.mark.parametrize("q", ["", "   ", "，。！？", "\x00", "\x00\x00", "()", '"', "*", "-"])
def test_nothing_searchable_is_a_clear_error(q):
    with pytest.raises(SearchQueryError):
        query_parse(q)


@pytest.mark.parametrize(
    "q",
    [
        '"欠薪',
        "欠薪*",
        "NEAR(欠薪 社保)",
        "欠薪 OR 社保",
        "-欠薪",
        "^社保",
        "欠薪 AND",
        "社保:*",
        "ab'cd",  # single letters alone are not searched (see the one-character tests), so two each side
        "xy\\zw",
        "食堂涨价 OR 社保",
        '"食堂涨价"*',
    ],
)
def test_fts_syntax_is_plain_text(q):
    parsed = query_parse(q)
    expression = SqliteBackend.fts_expression(parsed.parts)
    # Every word is one quoted phrase; outside the quotes only our own AND, OR and parentheses remain.
    outside = re.sub(r'"(?:[^"]|"")*"', " ", expression)
    assert set(outside.replace("(", " ").replace(")", " ").split()) <= {"AND", "OR"}
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    con.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()  # parses


def test_words_typed_without_spaces_are_searched_as_words():
    """Issue #5: 食堂涨价 is two words, both required; the run as typed only ranks."""
    parsed = query_parse("食堂涨价")
    assert parsed.groups == [["食堂"], ["涨价"]] and parsed.words == ["食堂", "涨价"]
    assert parsed.parts[0].phrase == ["食堂", "堂涨", "涨价"]
    assert query_parse("拖欠工资").parts[0].phrase == []  # one word: one phrase, as before


def test_a_character_jieba_leaves_alone_is_not_required_but_ranks():
    parsed = query_parse("饭菜贵")
    assert parsed.groups == [["饭菜"]] and parsed.ignored == ["贵"]
    assert parsed.parts[0].phrase == ["饭菜", "菜贵"]


def test_a_decimal_is_one_word():
    parsed = query_parse("补贴 3.5")
    assert parsed.groups == [["补贴"], ["3dot5"]] and parsed.words == ["补贴", "3.5"]


@override_settings(HUIYIN_SEARCH_MAX_WORDS=3)
def test_words_typed_without_spaces_count_towards_the_limit():
    assert len(query_parse("食堂饭菜涨价").groups) == 3
    with pytest.raises(SearchQueryError):
        query_parse("职工食堂饭菜价格上涨分量减少")


def test_nul_bytes_separate_words():
    parsed = query_parse("欠\x00薪 社保\x00")
    assert parsed.groups == [["社保"]]
    assert parsed.ignored == ["欠", "薪"]


@override_settings(HUIYIN_SEARCH_MAX_QUERY_CHARS=20)
def test_too_long_is_refused_with_the_limit():
    with pytest.raises(SearchQueryError) as exc:
        query_parse("欠" * 21)
    assert "20" in exc.value.message


@override_settings(HUIYIN_SEARCH_MAX_WORDS=3)
def test_too_many_words_is_refused():
    with pytest.raises(SearchQueryError):
        query_parse("工伤 社保 食堂 宿舍")

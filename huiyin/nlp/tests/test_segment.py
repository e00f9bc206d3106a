import sqlite3
import threading

import pytest

from huiyin.nlp.segment import (
    ENTERPRISE_WORDS,
    fts_query,
    index_terms,
    normalize,
    query_parts,
    query_terms,
    tokens,
    words,
)


def test_normalize_fullwidth_case_and_space():
    assert normalize("ＡＢＣ１２３　 Hello\n\tWorld") == "abc123 hello world"
    assert normalize(None) == ""


def test_tokens_drop_stop_words_and_punctuation_keep_two_char_words():
    toks = tokens("我们的工资被拖欠了，社保也断缴了！")
    assert "工资" in toks and "社保" in toks
    assert "我们" not in toks and "的" not in toks
    assert not any(t in "，！" for t in toks)


def test_enterprise_dictionary_keeps_domain_words_whole():
    assert "经济补偿金" in words("公司应当支付经济补偿金")
    assert "安全生产" in words("加强安全生产管理")
    assert "欠薪" in ENTERPRISE_WORDS


def test_two_character_word_is_findable_across_segmentation():
    doc = index_terms("公司拖欠薪水三个月")  # jieba cuts 拖欠/薪水; 欠薪 spans the boundary
    terms = set(doc.split())
    for group in query_terms("欠薪"):
        assert set(group) <= terms
    assert query_terms("拖欠工资") == [["拖欠", "欠工", "工资"]]


def test_index_terms_have_no_punctuation_and_are_lower_case():
    doc = index_terms("ＡＢＣ公司，工伤认定！2019年")
    assert "abc" in doc.split() and "2019" in doc.split()
    assert "，" not in doc and "！" not in doc


def _fts5_available() -> bool:
    try:
        con = sqlite3.connect(":memory:")
        con.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    except sqlite3.OperationalError:
        return False
    return True


@pytest.mark.skipif(not _fts5_available(), reason="SQLite built without FTS5")
def test_sqlite_fts5_finds_substring_words_and_not_others():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    docs = {1: "公司拖欠薪水三个月，社保断缴", 2: "食堂饭菜价格太贵", 3: "工资按时发放，没有欠款"}
    for rowid, text in docs.items():
        con.execute("INSERT INTO t(rowid, body) VALUES (?, ?)", (rowid, index_terms(text)))

    def search(q):
        return {r[0] for r in con.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_query(q),))}

    assert search("欠薪") == {1}
    assert search("社保 拖欠") == {1}
    assert search("饭菜") == {2}
    assert search("欠款") == {3}


def test_fts_query_postgres_form():
    assert fts_query("拖欠工资 社保", "postgresql") == "(拖欠 <-> 欠工 <-> 工资) & 社保"
    assert fts_query("   ") == ""


def test_thread_safe_first_use():
    results = []

    def work():
        results.append(tokens("职工食堂饭菜质量差"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)


# Issue #5: the search query side (tokens() is left as it is: the classifier depends on it) ----------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("夜班补贴每小时3.5元", "3.5"), ("补贴３．５元", "3.5"), ("涨了12.75%", "12.75"), ("v1.2版本", "v1.2")],
)
def test_a_decimal_is_one_term_in_the_index_and_in_the_query(text, number):
    doc = index_terms(text).split()
    assert query_terms(number) == [[number.replace(".", "dot")]]
    assert number.replace(".", "dot") in doc
    assert all("." not in term for term in doc)  # no punctuation for a tokenizer to cut at


@pytest.mark.skipif(not _fts5_available(), reason="SQLite built without FTS5")
def test_sqlite_fts5_finds_a_decimal_and_not_its_digits_apart():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    docs = {1: "夜班补贴每小时3.5元", 2: "3号楼5层漏水", 3: "补贴13.5元", 4: "补贴3.55元"}
    for rowid, text in docs.items():
        con.execute("INSERT INTO t(rowid, body) VALUES (?, ?)", (rowid, index_terms(text)))

    def search(q):
        return {r[0] for r in con.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_query(q),))}

    assert search("3.5") == {1}
    assert search("３．５") == {1}
    assert search("13.5") == {3}


def test_words_typed_without_spaces_are_words():
    assert query_terms("食堂涨价") == [["食堂"], ["涨价"]]
    (part,) = query_parts("食堂涨价")
    assert part.words == ["食堂", "涨价"] and part.phrase == ["食堂", "堂涨", "涨价"]
    # Single characters jieba leaves alone stay together; stop words go.
    assert [p.words for p in query_parts("加班费少发")] == [["加班费", "少发"]]
    assert [p.words for p in query_parts("工资的问题")] == [["工资"]]
    # A lone character is not searched (the index has no single characters) but stays in the phrase.
    (part,) = query_parts("饭菜贵")
    assert part.words == ["饭菜"] and part.ignored == ["贵"] and part.phrase == ["饭菜", "菜贵"]
    # Nothing but stop words and single characters: the run as typed, as before.
    assert query_terms("我的房") == [["我的", "的房"]]
    # One word stays one phrase.
    assert query_parts("拖欠工资")[0].phrase == [] and query_terms("职工食堂") == [["职工", "工食", "食堂"]]


@pytest.mark.skipif(not _fts5_available(), reason="SQLite built without FTS5")
def test_sqlite_fts5_unspaced_words_match_apart_and_rank_the_exact_run_first():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    docs = {
        1: "职工食堂饭菜涨价",
        2: "职工食堂涨价，分量减少，希望尽快改进伙食质量",  # longer: bm25 would rank it second on length
        3: "食堂卫生差",
        4: "班车票价涨价",
    }
    for rowid, text in docs.items():
        con.execute("INSERT INTO t(rowid, body) VALUES (?, ?)", (rowid, index_terms(text)))
    rows = con.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid", (fts_query("食堂涨价"),))
    assert [r[0] for r in rows] == [2, 1]


def test_fts_query_of_unspaced_words():
    assert fts_query("食堂涨价") == '(("食堂" AND "涨价") OR "食堂 堂涨 涨价")'
    assert fts_query("食堂涨价", "postgresql") == "食堂 & 涨价"
    assert fts_query("3.5") == '"3dot5"'

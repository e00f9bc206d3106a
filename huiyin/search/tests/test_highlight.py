"""Highlighting in the original text: escape first, then <mark> (pure, no database)."""

from huiyin.search.highlight import highlight, match_spans, snippet


def test_marks_every_occurrence_and_escapes_the_rest():
    html = highlight("<b>欠薪</b>：公司欠薪三个月 & 未付", ["欠薪"])
    assert html == "&lt;b&gt;<mark>欠薪</mark>&lt;/b&gt;：公司<mark>欠薪</mark>三个月 &amp; 未付"


def test_markup_in_the_text_never_survives():
    html = highlight('<script>alert("工伤")</script>', ["工伤"])
    assert "<script>" not in html
    assert html == "&lt;script&gt;alert(&quot;<mark>工伤</mark>&quot;)&lt;/script&gt;"


def test_full_width_and_upper_case_text_is_matched_and_kept_as_written():
    # The index is built from NFKC lower-case text; the highlight must map back to the original.
    assert highlight("ＸＦ编号与Ａｂｃ", ["xf", "abc"]) == "<mark>ＸＦ</mark>编号与<mark>Ａｂｃ</mark>"


def test_ascii_words_match_whole_words_only():
    assert match_spans("xf xfa axf xf", ["xf"]) == [(0, 2), (11, 13)]


def test_overlapping_words_are_merged():
    assert highlight("拖欠工资", ["拖欠", "欠工", "工资"]) == "<mark>拖欠工资</mark>"


def test_snippet_is_a_window_around_the_first_match():
    text = "无关内容。" * 40 + "食堂饭菜价格上涨，职工意见很大。" + "其他。" * 40
    html, found = snippet(text, ["食堂"], width=60)
    assert found
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>食堂</mark>饭菜价格上涨" in html
    assert len(html) < 120


def test_snippet_without_match_is_the_start_of_the_text():
    html, found = snippet("第一句。第二句。", ["工伤"])
    assert not found
    assert html == "第一句。第二句。"

from nlp_service.text.html import html_to_text, looks_like_html
from nlp_service.text.normalize import FLAT_MIN_CHARS, normalize
from nlp_service.text.script import to_simplified


def test_fullwidth_numbers_become_halfwidth_chinese_punctuation_stays():
    n = normalize("增长１２．５％，达到“１＋Ｎ”体系，Ｒ＆Ｄ经费１，０００亿元。")
    assert n.text == "增长12.5%，达到“1+N”体系，R&D经费1,000亿元。"


def test_invisible_and_control_characters_are_removed():
    assert normalize("宁\u200b波\ufeff科\x07技").text == "宁波科技"


def test_whitespace_folds_and_line_edges_are_trimmed():
    n = normalize("  撰文 成良田\u3000\u3000宣科  \r\n\r\n图片\t\t由市科技局提供 ")
    assert n.text == "撰文 成良田 宣科\n\n图片 由市科技局提供"


def test_indent_after_sentence_end_starts_a_new_paragraph():
    n = normalize("各位代表： 　　现在，我代表上海市人民政府报告工作。　　一、2019年工作回顾")
    assert n.text.split("\n") == ["各位代表：", "现在，我代表上海市人民政府报告工作。", "一、2019年工作回顾"]


def test_em_space_indent_also_starts_a_paragraph():
    # Shanghai's 2021 report separates paragraphs with " \u2003\u2003" inside one line.
    n = normalize("牢牢守住了国门。 \u2003\u2003四是加快完善公共卫生体系。")
    assert n.text.split("\n") == ["牢牢守住了国门。", "四是加快完善公共卫生体系。"]


def test_a_flat_scrape_keeps_its_paragraphs():
    # scrapes that collapsed every paragraph break into one space (the 2020 policy Q&A corpus)
    body = "加大创业担保贷款及贴息政策实施力度，对符合条件的小微企业给予最高500万元的担保贷款。" * 4
    raw = f"关于印发若干措施的通知 各地级以上市人民政府： {body}（省人力资源社会保障厅负责） 四、 进一步鼓励创业 {body}"
    assert len(raw) >= FLAT_MIN_CHARS and "\n" not in raw
    lines = normalize(raw).text.split("\n")
    assert lines[0] == "关于印发若干措施的通知 各地级以上市人民政府："  # a title's space is no break
    assert lines[1] == body + "（省人力资源社会保障厅负责）"
    assert lines[2] == "四、 进一步鼓励创业" and lines[3] == body
    # a short text, or one that has line breaks, keeps its spaces as written
    assert normalize("今年完成投资。 明年将继续。").text == "今年完成投资。 明年将继续。"
    assert normalize(f"标题\n{raw}").text.count("\n") == 1


def test_raw_offsets_map_every_character_back():
    raw = "　　增长１２．５％，\u200b达到目标。\r\n下一段。"
    n = normalize(raw)
    assert len(n.raw_offsets) == len(n.text) + 1
    for i, ch in enumerate(n.text):
        src = raw[n.raw_offsets[i]]
        assert src == ch or ch in "\n " or ord(src) - 0xFEE0 == ord(ch)
    s = n.text.index("达到")
    rs, re_ = n.raw_span(s, s + 2)
    assert raw[rs:re_] == "达到"


def test_traditional_text_is_detected_and_converted():
    text, decision = to_simplified("國務院關於發展國民經濟的第一個五年計劃的報告")
    assert decision.converted and decision.script == "traditional"
    assert text == "国务院关于发展国民经济的第一个五年计划的报告"


def test_simplified_text_is_left_untouched():
    # OpenCC t2s alone would rewrite 覆 in some phrases; simplified input must not change.
    text = "推动高质量发展，全面覆盖城乡。" * 20 + "反覆研究。"
    out, decision = to_simplified(text)
    assert out == text and not decision.converted


def test_html_is_reduced_to_text_with_headings():
    html = "<html><head><style>p{}</style></head><body><h1>标题</h1><p>第一段&amp;。</p><div>第二段。</div></body></html>"
    assert looks_like_html(html)
    assert [ln for ln in html_to_text(html).splitlines() if ln.strip()] == ["# 标题", "第一段&。", "第二段。"]
    n = normalize(html)
    assert n.input_format == "html" and "第一段&。" in n.text and "style" not in n.text


def test_plain_text_with_a_less_than_sign_is_not_html():
    assert not looks_like_html("增速<5%，比重>30%。")


def test_invisible_characters_do_not_hide_the_neighbours_of_a_rule():
    # "：" between digits becomes ":" even with a control character between them; offsets skip it
    n = normalize("一0\x07：0")
    assert n.text == "一0:0"
    assert list(n.raw_offsets) == [0, 1, 3, 4, 5]


def test_a_figure_typeset_digit_by_digit_is_read_whole():
    # the 1998 report spaces every digit; a list of digits without a unit and two lone digits stay apart
    n = normalize("粮食总产量稳定在4 9 2 5 0 万吨，投资增长1 0 ％，1 9 9 9 年1 2 月；共有3 个，第 1 2 节")
    assert n.text == "粮食总产量稳定在49250万吨，投资增长10%，1999年12月；共有3 个，第 1 2 节"
    assert n.text[8:13] == "49250" and [n.raw_offsets[i] for i in range(8, 13)] == [8, 10, 12, 14, 16]
    assert normalize(n.text).text == n.text


def test_any_space_the_space_rule_folds_reads_a_figure_alike():
    # an ideographic space or a tab where a second pass would see one space: one reading, stable
    for text in ("增长0\u3000％", "4\u30009\t2 5 0  万吨", "1\u3000\u30000 ％"):
        n = normalize(text)
        assert normalize(n.text).text == n.text, text
    assert normalize("增长0\u3000％").text == "增长0%"
    assert normalize("4\u30009\t2 5 0  万吨").text == "49250万吨"


def test_a_middle_dot_is_the_decimal_point_of_a_rate_only():
    assert normalize("全社会固定资产投资增长14·1％，9·11事件").text == "全社会固定资产投资增长14.1%，9·11事件"

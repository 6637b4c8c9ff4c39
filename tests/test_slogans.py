"""Slogans: quoted candidates classified, lexicon matches, counts and spans."""

from nlp_service.extract.slogans import candidate_kind, find_slogans, lexicon, quoted_spans

TEXT = ("实施科技创新“强基登峰”工程，构建“1+N”政策体系，部署“科创甬江2035”重点研发计划，破解“卡脖子”难题。"
        "11名外国专家获颁“西湖友谊奖”；亚运火炬“薪火”点燃；成果发表于“Science”；“要坚持改革思维，放大宁波特色优势。”"
        "发展新质生产力，“强基登峰”成效显著。")


def kinds(text):
    return {s.text: s.kind for s in find_slogans(text)}


def test_slogans_are_classified():
    k = kinds(TEXT)
    assert k["强基登峰"] == "campaign"
    assert k["1+N"] == "formula"
    assert k["科创甬江2035"] == "campaign"
    assert k["卡脖子"] == "catchphrase"


def test_awards_products_journals_and_speech_are_not_slogans():
    k = kinds(TEXT)
    for bad in ["西湖友谊奖", "薪火", "Science", "要坚持改革思维，放大宁波特色优势。"]:
        assert bad not in k


def test_unquoted_lexicon_slogan_and_counts():
    found = {s.text: s for s in find_slogans(TEXT)}
    assert found["新质生产力"].source == "lexicon"
    s = found["强基登峰"]
    assert s.count == 2 and all(TEXT[a:b] == "强基登峰" for a, b in s.spans)


def test_lexicon_has_counts_and_sources():
    entries = lexicon()
    assert len(entries) > 100
    assert entries["一带一路"].documents >= 3
    assert "发票申领" not in entries  # a web-page menu item, rejected by hand


def test_quotations_do_not_nest_across_pairs():
    assert [q for _, _, q in quoted_spans("“1+N”和‘410’")] == ["1+N", "410"]
    assert candidate_kind("《宁波市天使投资引导基金管理办法》", 0, 10, "宁波市天使投资引导基金管理办法") is None

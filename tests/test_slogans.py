"""Slogans: quoted candidates classified, lexicon matches, counts and spans."""

from pathlib import Path

from nlp_service.extract.slogans import candidate_kind, classify_quote, find_slogans, lexicon, quoted_spans

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


def test_lettered_parts_of_a_framework_are_no_slogans():
    text = "标准体系结构包括“A基础共性”、“B关键技术”、“C行业应用”三个部分，以“AI变革 洞见工业未来”为主题。"
    got = {q: classify_quote(text, s, e, q) for s, e, q in quoted_spans(text)}
    assert {q: v for q, v in got.items() if not q.startswith("AI")} == {
        "A基础共性": (None, "part_label"), "B关键技术": (None, "part_label"), "C行业应用": (None, "part_label")}
    assert got["AI变革 洞见工业未来"][0] is not None  # AI is a word, not a part's letter


def test_menus_fields_and_apps_are_no_slogans():
    # a part of a screen or form someone is told to use, or an app by its name (guide slogans-v2: names)
    text = ("登录后选择“其他申报”，进入“车购税申报”；在“调查问卷”子栏目中作答，点击“欠税缴纳”链接。"
            "打开政务服务APP“浙里办”。同时推出“一网通办”改革，打好“组合拳”。")
    got = {q: classify_quote(text, s, e, q) for s, e, q in quoted_spans(text)}
    for name in ("其他申报", "车购税申报", "调查问卷", "欠税缴纳", "浙里办"):
        assert got[name] == (None, "interface"), name
    assert got["一网通办"][0] is not None and got["组合拳"][0] is not None


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


NEGATIVE = Path(__file__).resolve().parents[1] / "corpus" / "negative" / "slogans.txt"
# names of craft, products, awards, events and institutions: none may come out as a slogan (works and
# other names — places, project areas — still do in a few lines: docs/benchmarks.md lists them)
NAME_CLASSES = {"vessel", "spacecraft", "satellite", "product", "award", "event", "institution"}


def negative_lines():
    for line in NEGATIVE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sentence, source = line.split("\t")
            yield sentence, source.rsplit("|", 1)[1]


def test_negative_corpus_names_are_no_slogans(pipeline):
    from dataclasses import replace

    from nlp_service.models.quotes import QuoteClassifier
    from nlp_service.pipeline import Pipeline

    for runner in (pipeline.for_tasks(("slogans",)),  # the rules (the default) and the learned filter
                   Pipeline(replace(pipeline.resources, quote_classifier=QuoteClassifier())).for_tasks(("slogans",))):
        check_negative_corpus(runner)


def check_negative_corpus(runner):
    lines = list(negative_lines())
    assert len(lines) >= 60 and {c for _, c in lines} >= {"vessel", "spacecraft", "product", "award"}
    wrong = [(cls, s.text, sentence) for sentence, cls in lines if cls in NAME_CLASSES
             for s in runner.extract(sentence).slogans if s.source == "quoted"]
    assert wrong == []


def test_the_learned_filter_decides_open_quotations(pipeline):
    from dataclasses import replace

    from nlp_service.models.quotes import QuoteClassifier
    from nlp_service.pipeline import Pipeline

    learned = Pipeline(replace(pipeline.resources, quote_classifier=QuoteClassifier()))  # NLPS_SLOGAN_MODEL=sklearn
    assert "quotes-sklearn@" in learned.model_names["slogans"]
    assert "quotes-sklearn@" not in pipeline.model_names["slogans"]  # the default: the rules alone
    text = "全面落实“米袋子”省长负责制，成功发射“天问一号”探测器，我们所谓的“小事情”其实不小。"
    found = {s.text: s for s in learned.extract(text).slogans}
    assert "天问一号" not in found  # a craft: ruled out before the model
    assert 0.0 < found["米袋子"].confidence <= 1.0 and found["米袋子"].confidence != 0.75  # the model's probability


def test_a_name_once_is_a_name_in_the_whole_document():
    text = "在“上海长宁”APP主页增设栏目，“上海长宁”发布了通知。"
    assert "上海长宁" not in {s.text for s in find_slogans(text)}

from nlp_service.segment.paragraphs import split_paragraphs
from nlp_service.segment.sentences import split_sentences
from nlp_service.segment.words import WordSegmenter, load_policy_words


def texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_paragraphs_are_lines_and_markdown_headings_drop_their_marker():
    text = "# 锻造创新引擎\n\n正文第一段。\n### ——访局长\n一、2024年工作回顾\n（一）总体要求\n第一条 享受本办法的企业须是。"
    ps = split_paragraphs(text)
    assert [text[p.start:p.end] for p in ps] == [
        "锻造创新引擎", "正文第一段。", "——访局长", "一、2024年工作回顾", "（一）总体要求", "第一条 享受本办法的企业须是。"]
    assert [(p.kind, p.level, p.rule) for p in ps] == [
        ("heading", 1, "markdown"), ("body", None, None), ("heading", 3, "markdown"),
        ("heading", 2, "cn_section"), ("heading", 3, "cn_subsection"), ("body", None, None)]


def test_a_numbered_sentence_is_not_a_heading():
    ps = split_paragraphs("一、坚持稳中求进，推动高质量发展。")
    assert ps[0].kind == "body"


def test_sentences_keep_closing_quotes_and_balance_quotations():
    t = "“我们将深入贯彻落实。要坚持改革思维！”费小琛说。新的一年，宁波将超常发力；力争突破900亿元……"
    assert texts(t, split_sentences(t)) == [
        "“我们将深入贯彻落实。要坚持改革思维！”", "费小琛说。", "新的一年，宁波将超常发力；", "力争突破900亿元……"]


def test_unbalanced_quotes_fall_back_to_plain_terminators():
    t = "探索新型举国体制。“我们正着力推动转变。未完"
    assert texts(t, split_sentences(t)) == ["探索新型举国体制。", "“我们正着力推动转变。", "未完"]


def test_sentence_offsets_are_shifted():
    assert split_sentences("甲。乙。", 10) == [(10, 12), (12, 14)]


def test_policy_dictionary_keeps_policy_terms_whole():
    seg = WordSegmenter()
    words = {e.word for e in load_policy_words()}
    for term in ["新质生产力", "规上工业企业", "一网通办", "一业一证"]:  # each in 5+ corpus documents
        assert term in words, f"{term} missing from policy_words.tsv"
        sentence = f"宁波着力推进{term}建设。"
        assert term in seg.cut(sentence), seg.cut(sentence)


def test_plain_jieba_splits_the_same_terms():
    # The reason the dictionary exists: without it jieba cuts these terms apart.
    bare = WordSegmenter(entries=[])
    split = [t for t in ["新质生产力", "规上工业企业", "一网通办"] if t not in bare.cut(f"推进{t}建设。")]
    assert split, "plain jieba already keeps these whole; the test premise is stale"


def test_word_spans_cover_text_without_whitespace():
    seg = WordSegmenter()
    t = "撰文 成良田 宣科"
    spans = seg.spans(t, 5)
    assert all(not t[s - 5:e - 5].isspace() for s, e in spans)
    assert "".join(t[s - 5:e - 5] for s, e in spans) == t.replace(" ", "")


def test_word_across_break_uses_dictionary_words_only():
    seg = WordSegmenter()
    assert seg.word_across("形成以宁", "波大学") == "宁波大学"
    assert seg.word_across("撰文 成良田 宣科", "图片由市科技局提供") is None


def test_ordinal_and_dotted_headings():
    for line, rule in [("第四，进一步提高对外开放水平", "ordinal"), ("第一、大力提高经济效益，积极扩大财源", "ordinal"),
                       ("2.1 风险管理", "dotted"), ("（3）控制系统标准", "numbered")]:
        (p,) = split_paragraphs(line)
        assert (p.kind, p.rule) == ("heading", rule), line
    for line in ["第四，进一步提高对外开放水平。", "（3）智能赋能技术：规范墙材行业工业大数据平台、", "2.5亿元用于补贴"]:
        assert split_paragraphs(line)[0].kind == "body", line


def test_jieba_dictionary_is_read_from_its_cache_as_jieba_builds_it(tmp_path):
    import jieba
    import jieba.posseg

    from nlp_service.segment.words import _initialize

    (tmp_path / "jieba.cache").write_bytes(b"not a marshal file")
    built = jieba.Tokenizer()
    _initialize(built, tmp_path)  # an unreadable cache: jieba builds the dictionary and writes its cache again
    assert built.initialized and len(built.FREQ) > 300_000

    read = jieba.Tokenizer()

    def build_again():
        raise AssertionError("the cache was not read")

    read.initialize = build_again
    _initialize(read, tmp_path)
    assert read.initialized
    assert read.FREQ == built.FREQ and read.total == built.total
    assert [w for w, _ in jieba.posseg.POSTokenizer(read).cut("科技创新策源能力")] == \
        [w for w, _ in jieba.posseg.POSTokenizer(built).cut("科技创新策源能力")]


def test_the_cache_folder_is_private(tmp_path, monkeypatch):
    from nlp_service.segment.words import private_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = private_cache_dir()
    assert folder == tmp_path / "nlp_service" and folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o777)  # writable by others: not used
    assert private_cache_dir() is None


def test_the_posseg_word_tags_are_read_from_their_cache_as_jieba_parses_them(tmp_path):
    import hashlib
    import os
    import subprocess
    import sys

    # each run imports jieba.posseg afresh: the first without a cache (jieba parses its dictionary,
    # the cache is written), the second from the cache, the third with a stale cache key (parsed again)
    probe = ("import hashlib, marshal, sys\n"
             "from nlp_service.segment.words import pos_tagger\n"
             "tags = pos_tagger().word_tag_tab\n"
             "print(len(tags), hashlib.sha256(marshal.dumps(sorted(tags.items()))).hexdigest())\n"
             "print([(w, t) for w, t in pos_tagger().cut('费小琛在宁波开展科研活动')])\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                              check=True).stdout

    parsed = run()
    cache = tmp_path / "nlp_service" / "jieba-posseg-tags.marshal"
    assert cache.exists()
    written = hashlib.sha256(cache.read_bytes()).hexdigest()
    assert run() == parsed  # the same table and the same tags, read from the cache
    assert hashlib.sha256(cache.read_bytes()).hexdigest() == written  # read, not written again
    assert int(parsed.split()[0]) > 300_000
    import marshal

    key, _ = marshal.loads(cache.read_bytes())
    cache.write_bytes(marshal.dumps(((key[0], key[1] + 1, key[2]), {"假": "x"})))  # another dictionary's
    assert run() == parsed

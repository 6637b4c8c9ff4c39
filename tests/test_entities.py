"""Entities: ORG / LOC / PER with counts and spans."""

from nlp_service.extract.entities import find_entities, tag


def test_long_organisation_names_are_assembled():
    t = "中国科学院宁波材料所与甬江实验室合作，市科技局局长费小琛在北京表示"
    assert [(t[s:e], k) for s, e, k in tag(t)] == [
        ("中国科学院宁波材料所", "ORG"), ("甬江实验室", "ORG"), ("市科技局", "ORG"), ("费小琛", "PER"), ("北京", "LOC")]


def test_ordinary_words_tagged_nr_by_jieba_are_not_people():
    t = "两国人民的友谊源远流长，师生共同努力。"  # jieba tags 友谊 and 师生 nr
    assert not [x for x in tag(t) if x[2] == "PER"]


def test_words_the_corpus_never_uses_as_names_are_not_people_and_names_still_are():
    t = "颁发生产许可证，支持企业满负荷生产，北斗卫星导航，纳入补助范畴。"  # jieba tags each of these nr
    assert not [t[s:e] for s, e, k in tag(t) if k == "PER"]
    t = "习近平总书记指出，国务院总理李克强表示。"  # 习近平: a full name of jieba's dictionary (nrfg), any surname
    assert [t[s:e] for s, e, k in tag(t) if k == "PER"] == ["习近平", "李克强"]


def test_words_the_corpus_never_uses_as_places_are_not_places_and_places_still_are():
    t = "自签订合同之日起，对新建企业给予补助，推进城市更新。"  # jieba tags 之日起, 新建, 城市 ns
    assert not [t[s:e] for s, e, k in tag(t) if k == "LOC"]
    t = "苏州和沈阳的企业在崂山举办活动。"  # places the miner's list would hold, read and kept (reject list)
    assert [t[s:e] for s, e, k in tag(t) if k == "LOC"] == ["苏州", "沈阳", "崂山"]


def test_counts_and_spans():
    text = "甬江实验室成立。甬江实验室发展。"
    ents = find_entities([(0, "甬江实验室成立。"), (8, "甬江实验室发展。")])
    e = next(x for x in ents if x.text == "甬江实验室")
    assert e.type == "ORG" and e.count == 2
    assert all(text[a:b] == "甬江实验室" for a, b in e.spans)


def test_people_daily_dev_f1_does_not_regress():
    import json

    from conftest import SHARED
    path = SHARED / "corpus" / "ner" / "dev.jsonl"
    if not path.exists():
        import pytest
        pytest.skip("../shared/corpus/ner is not available")
    tp = fp = fn = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = {(e["start"], e["end"], e["type"]) for e in row["entities"] if e["type"] in ("ORG", "LOC", "PER")}
        got = set(tag(row["text"]))
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.70  # measured 0.709 on dev (the rules were written on dev; test: 0.715)

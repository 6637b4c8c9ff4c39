"""Scan noise that touches figures is noise; a template's other figures are another story."""

import random

from nlp_service.dedup.minhash import normalise, verify

BASE = ("2023年全市实现地区生产总值12580亿元，比上年增长6.2%，其中第二产业增加值5120亿元，增长7.1%。"
        "全年新增城镇就业15.6万人，城镇调查失业率控制在5.0%以内，居民人均可支配收入达到68250元。"
        "全市研发经费投入强度达到3.05%，高新技术企业总数突破6200家，技术合同成交额达到486亿元。"
        "新建5G基站8600个，累计建成数字化车间和智能工厂320个，规模以上工业企业数字化改造覆盖率超过80%。"
        "全年完成固定资产投资增长8.4%，社会消费品零售总额增长7.6%，进出口总额增长5.3%。")
LOOKALIKE = {"0": "O", "1": "l", "5": "S", "6": "b", "8": "B", "2": "Z"}
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"


def scanned(text: str, rate: float, seed: int) -> str:
    """Every character with probability ``rate``: a digit garbled into a look-alike or dropped, any other replaced."""
    rng, out = random.Random(seed), []
    for c in text:
        if rng.random() >= rate:
            out.append(c)
        elif c.isdigit():
            out.append(LOOKALIKE.get(c, "") if rng.random() < 0.7 else "")
        else:
            out.append(rng.choice(HAN))
    return "".join(out)


def templated(text: str) -> str:
    """The same sentences with every figure changed: another year's report."""
    return "".join(str((int(c) + 3) % 10) if c.isdigit() else c for c in text)


def test_scan_noise_over_figures_is_a_copy():
    a = normalise(BASE)
    for seed in range(5):
        assert verify(a, normalise(scanned(BASE, 0.05, seed)), 0.6, 0.3) in ("near", "contained"), seed


def test_another_years_figures_are_another_story_noisy_or_not():
    a = normalise(BASE)
    assert verify(a, normalise(templated(BASE)), 0.6, 0.3) is None
    for seed in range(5):  # a scan of the other year's report is still the other year's report
        assert verify(a, normalise(scanned(templated(BASE), 0.05, seed)), 0.6, 0.3) is None, seed


def _archive_with_a_heavy_copy(seed: int) -> list[str]:
    from nlp_service.dedup.noise import noisy_copy

    story = BASE * 2  # a long report: 15% noise leaves ~0.28 of its 5-grams, ~0.45 of its 3-grams
    return [story, noisy_copy(story, 0.15, seed), templated(story)]


def test_the_noisy_route_finds_copies_noisy_all_over_and_keeps_templates_apart():
    from nlp_service.dedup.minhash import Params, find_duplicates

    found = 0
    for seed in range(10):
        texts = _archive_with_a_heavy_copy(seed)
        with_route = find_duplicates(texts).cluster.tolist()
        assert with_route[2] == 2, seed  # another year's figures stay another story
        found += with_route[1] == 0
    assert found >= 8
    without = sum(find_duplicates(_archive_with_a_heavy_copy(s), Params(noisy=False)).cluster.tolist()[1] == 0
                  for s in range(10))
    assert without < found  # the 5-gram route alone misses most of them


def test_the_noise_model_is_deterministic_and_touches_figures():
    from nlp_service.dedup.noise import cut_passage, noisy_copy

    assert noisy_copy(BASE, 0.1, 7) == noisy_copy(BASE, 0.1, 7) != noisy_copy(BASE, 0.1, 8)
    heavy = noisy_copy(BASE * 4, 0.3, 1)
    assert any(c in heavy for c in "OolISZBg")  # look-alike digits
    cut = cut_passage(BASE, 3)
    assert cut is not None and len(cut) < len(BASE) and cut_passage("只有一句话。", 3) is None


def test_the_learned_verifier_is_hash_checked_and_heeds_the_template_signs():
    from nlp_service.dedup.minhash import Params, judge
    from nlp_service.dedup.noise import noisy_copy
    from nlp_service.dedup.verifier import FEATURES, load, pair_features

    model = load()
    assert len(model.coef) == len(FEATURES) and 0 < model.threshold < 1
    learned = Params(verifier="learned")
    a = normalise(BASE)
    assert judge(a, normalise(noisy_copy(BASE, 0.05, 3)), 0.6, learned) in ("near", "contained")
    other = normalise(templated(BASE))
    assert judge(a, other, 0.6, learned) is None  # figures changed, nothing else: a template's fill
    assert model.probability(pair_features(a, a + "，")) > model.threshold


def test_figures_swapped_tells_a_template_fill_from_a_misread():
    from nlp_service.dedup.minhash import figures_swapped, opcodes

    a = "鸣放礼炮19响，31日举行。全年增长2024项。"
    for b, swapped in ((a.replace("19", "21").replace("31", "30"), True),  # another year's fill
                       (a.replace("2024", "224").replace("19", "1O"), False),  # a digit dropped, one misread
                       (a.replace("31", "3l").replace("2024", "2卫24"), False)):
        assert figures_swapped(a, b, opcodes(a, b)) is swapped, b


def test_every_verdict_says_why():
    from nlp_service.dedup.minhash import Params, explain

    learned = Params(verifier="learned")
    a = normalise(BASE)
    kind, why = explain(a, normalise(templated(BASE)), 0.6, learned)
    assert kind is None and "figures" in why
    kind, why = explain(a, a[:200], 0.6, learned)
    assert kind == "contained" and "inside" in why
    kind, why = explain(a, normalise(scanned(BASE, 0.05, 1)), 0.6, learned)
    assert kind in ("near", "contained") and why.startswith("model")
    assert explain(a, a + "x", 0.1, learned) == (None, "estimated Jaccard 0.10 below 0.3")


def test_candidate_buckets_window_and_size_limit():
    import numpy as np

    from nlp_service.dedup.minhash import candidate_pairs

    keys = np.array([[1]] * 20 + [[2]] * 4, dtype=np.uint64)  # one band: a bucket of 20, one of 4
    star_chain = {tuple(p) for p in candidate_pairs(keys[20:]).tolist()}
    assert star_chain == {(0, 1), (0, 2), (0, 3), (1, 2), (2, 3)}  # the first with all, each with the next
    assert (1, 3) in {tuple(p) for p in candidate_pairs(keys[20:], window=2).tolist()}
    limited = {tuple(p) for p in candidate_pairs(keys, window=8, max_bucket=16).tolist()}
    assert limited and all(a >= 20 and b >= 20 for a, b in limited)  # the bucket of 20 is left out


def test_a_figure_is_read_as_digits_whatever_its_script_or_its_garbling():
    from nlp_service.dedup.minhash import figure_changes, opcodes

    a = "第十八届全国人民代表大会开幕，代表2980名出席，会期7天。"
    b = a.replace("十八", "18")  # one figure written two ways: no change at all
    assert figure_changes(a, b, opcodes(a, b)) == (0, 0, False)
    c = a.replace("2980", "3O25")  # another figure, then garbled by a scan: the digits read (325) disagree
    assert figure_changes(a, c, opcodes(a, c))[0] == 1
    d = a.replace("2980", "29O")  # the same figure garbled: what is left (29) agrees with it
    assert figure_changes(a, d, opcodes(a, d)) == (0, 1, False)
    e = a.replace("2980", "296")  # a digit dropped and one misread as its look-alike (0 gone, 8 → 6)
    assert figure_changes(a, e, opcodes(a, e)) == (0, 1, False)
    f = a.replace("7天", "8天")  # 7 has no look-alike digit: another figure
    assert figure_changes(a, f, opcodes(a, f))[0] == 1


def test_a_look_alike_digit_misread_twice_is_no_template_slot():
    from nlp_service.dedup.minhash import opcodes, template_veto

    a = normalise(BASE)
    b = a.replace("3", "8")  # every 3 read as 8: a scanner's habit, not a slot filled twice
    assert template_veto(a, b, [op for op in opcodes(a, b) if op[0] != "equal"], 0.8) is None
    c = a.replace("全市", "全省")  # a word changed everywhere: a template's slot
    assert template_veto(a, c, [op for op in opcodes(a, c) if op[0] != "equal"], 0.8) is not None


def test_every_figure_changed_under_light_noise_is_a_template_under_heavy_noise_chance():
    from nlp_service.dedup.minhash import chance_all_figures_hit, opcodes

    a = normalise(BASE)
    other = normalise(templated(BASE))
    assert chance_all_figures_hit(a, other, opcodes(a, other)) < 1e-6  # nothing else edited: no noise did that
    copy = normalise(scanned(BASE, 0.05, 2))
    assert chance_all_figures_hit(a, copy, opcodes(a, copy)) == 1.0  # a scan at 5% leaves figures untouched
    noisy_other = normalise(scanned(templated(BASE), 0.15, 4))
    p = chance_all_figures_hit(a, noisy_other, opcodes(a, noisy_other))
    assert p < 0.05  # every one of 25 figures changed: a 15% scan alone does that almost never


def test_a_short_item_with_one_sentence_cut_is_contained_but_a_cut_figure_is_not():
    from nlp_service.dedup.minhash import Params, explain, one_cut

    full = normalise("国家主席习近平今天在人民大会堂同来访的某国总统举行会谈。两国元首一致同意推动双边关系取得新发展。"
                     "国务委员兼外交部部长等出席欢迎仪式。会谈后两国元首共同见证了合作文件的签署。")
    cut = full.replace("国务委员兼外交部部长等出席欢迎仪式", "")
    assert one_cut(cut, full) == "国务委员兼外交部部长等出席欢迎仪式"
    assert explain(cut, full, 0.6, Params(verifier="learned"))[0] == "contained"
    assert explain(cut, full, 0.6, Params(verifier="rules"))[0] is None  # the rules keep their strict limit
    with_figure = full.replace("出席欢迎仪式", "等3人出席欢迎仪式")
    dropped = with_figure.replace("国务委员兼外交部部长等等3人出席欢迎仪式", "")
    assert one_cut(dropped, with_figure) is not None
    assert explain(dropped, with_figure, 0.6, Params(verifier="learned"))[0] is None


def test_look_alike_digits_are_misreads_in_digits_only():
    """3 → 8 in digits is a scanner's misread; 二〇二五 → 二〇二六 in numerals is another year (the
    numerals' shapes are not the digits'): 国家主席将发表二〇二五年 / 二〇二六年新年贺词 are two notices."""
    from nlp_service.dedup.minhash import Params, explain, figure_changes, opcodes

    a = normalise(BASE)
    b = a.replace("305", "805")  # 3.05% once normalised
    assert figure_changes(a, b, opcodes(a, b)) == (0, 1, False)
    notice = normalise("国家主席习近平将于31日晚7时通过中央广播电视总台和互联网，发表二〇二五年新年贺词。"
                       "中央广播电视总台所属中央电视台综合频道、新闻频道、中文国际频道、4K频道，中国国际电视台各外语频道，"
                       "中央人民广播电台，中国国际广播电台，以及人民网、新华网等中央主要新闻媒体所属网站将准时播出。")
    next_year = notice.replace("二〇二五", "二〇二六")
    assert figure_changes(notice, next_year, opcodes(notice, next_year)) == (1, 0, False)
    assert explain(notice, next_year, 0.94, Params(verifier="learned"))[0] is None


def test_a_scan_that_misreads_look_alike_digits_of_a_text_with_few_figures_is_a_copy():
    """Noise that turns the 3 of one of a text's few figures into 8 edits figures "far more often than
    the rest" by a count of runs; read figure by figure it is a misread, and the copy is kept."""
    from nlp_service.dedup.minhash import Params, explain
    from nlp_service.dedup.noise import noisy_copy

    story = ("国务院新闻办公室今天举行新闻发布会，介绍2023年国民经济运行情况。国家统计局负责人表示，全年经济回升向好，"
             "高质量发展扎实推进，就业物价总体稳定，民生保障有力有效。发布会上，有关负责人回答了记者提问。"
             "负责人指出，要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，"
             "更好统筹发展和安全，持续推动经济实现质的有效提升和量的合理增长，为全面建设社会主义现代化国家开好局起好步。")
    a = normalise(story)
    kept = 0
    for seed in range(20):
        copy = normalise(noisy_copy(story, 0.05, seed).replace("2023", "2028"))  # and the scan read 3 as 8
        kept += explain(a, copy, 0.6, Params(verifier="learned"))[0] is not None
    assert kept >= 18

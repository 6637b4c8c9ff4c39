import random

from nlp_service.clean.repeats import find_exact_repeats, find_near_and_contained

P1 = "与中国科学院签订战略合作协议，支持中国科学院宁波材料所打造世界一流新材料研究机构，助力实现平台“零的突破”；"
P2 = "中国科学院大学宁波材料工程学院正式全面启用，为国科大首个京外科教融合学院。"
LONG = ("建设“大工程”，提升“硬实力”。着眼大创新，宁波以系统思维整合要素资源，形成以宁波大学、宁波东方理工大学（暂名）、"
        "甬江实验室4个龙头为引领，以西工大宁波研究院等10个标杆新型科研机构为重点支撑的“410”科创平台体系。")
PART = "宁波东方理工大学（暂名）、甬江实验室4个龙头为引领，以西工大宁波研究院等10个标杆新型科研机构为重点支撑的“410”科创平台体系。"


def test_exact_repeats_keep_the_first_and_ignore_whitespace():
    reps = find_exact_repeats({0: P1, 1: P2, 2: P1.replace("，", " ，"), 3: P1})
    assert [(r.index, r.of, r.kind, r.similarity) for r in reps] == [(2, 0, "exact", 1.0), (3, 0, "exact", 1.0)]


def test_short_lines_are_not_deduplicated():
    assert find_exact_repeats({0: "……", 1: "附件", 2: "……", 3: "附件"}) == []


def test_contained_repeat_points_to_the_later_full_paragraph():
    reps = find_near_and_contained({0: PART, 1: P2, 2: LONG})
    assert [(r.index, r.of, r.kind) for r in reps] == [(0, 2, "contained")]
    assert 0 < reps[0].similarity < 1


def test_contained_paragraph_with_an_extra_sentence_is_kept():
    reps = find_near_and_contained({0: PART + "这一句在别处没有出现过。", 1: LONG})
    assert reps == []


def ocr_noise(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff" and c not in "一二三四五六七八九十"]
    for i in rng.sample(letters, max(1, int(len(letters) * rate))):
        chars[i] = "口" if chars[i] != "口" else "日"
    return "".join(chars)


def test_ocr_noisy_copy_is_a_near_repeat_of_the_earlier_paragraph():
    noisy = ocr_noise(P1, 0.05, seed=1)
    assert noisy != P1
    reps = find_near_and_contained({0: P1, 1: P2, 2: noisy})
    assert [(r.index, r.of, r.kind) for r in reps] == [(2, 0, "near")]
    assert 0.85 <= reps[0].similarity < 1


def test_templated_paragraphs_differing_in_figures_are_not_repeats():
    a = "钢：全部建成后增加的年产能力将为六百一十万吨，五年内增加的年产能力为二百五十三万吨。"
    b = "铁：全部建成后增加的年产能力将为六百一十万吨，五年内增加的年产能力为二百三十六万吨。"
    assert find_near_and_contained({0: a, 1: b}) == []


def test_different_names_in_the_same_template_are_not_repeats():
    a = "各地要认真贯彻执行中华人民共和国公司法，依法规范企业的设立和经营行为。"
    b = "各地要认真贯彻执行中华人民共和国公务员法，依法规范企业的设立和经营行为。"
    assert find_near_and_contained({0: a, 1: b}) == []


def test_chains_resolve_to_a_kept_paragraph():
    noisy = ocr_noise(LONG, 0.04, seed=3)
    reps = {r.index: r.of for r in find_near_and_contained({0: LONG, 1: noisy, 2: PART})}
    assert reps[1] == 0
    assert reps[2] in (0,)  # PART sits inside LONG (and inside its noisy copy, which is itself a repeat)


def test_near_repeats_are_judged_by_the_archive_verifier(monkeypatch):
    # one verifier for an article and an archive: when the archive engine says "another story", the
    # article keeps both paragraphs, however alike they look
    from nlp_service.dedup import minhash

    para = "全年新增高新技术企业一千二百家，科技型中小企业评价入库数量继续位居全省前列，研发投入持续增长。"
    noisy = para.replace("技", "枝", 1).replace("入", "人", 1)
    assert [r.kind for r in find_near_and_contained({0: para, 1: noisy})] == ["near"]
    monkeypatch.setattr(minhash, "judge", lambda *a, **k: None)
    assert find_near_and_contained({0: para, 1: noisy}) == []

from nlp_service.clean.layout import Piece, find_broken_paragraphs, wrap_width


def joins(pipeline, *texts, headings=()):
    pieces = [Piece(i, t, i in headings) for i, t in enumerate(texts)]
    return [(j.head, j.tail, j.displaced) for j in find_broken_paragraphs(pieces, pipeline.resources.segmenter.word_across)]


def test_word_cut_by_the_layout_is_rejoined(pipeline):
    assert joins(pipeline, "着眼大创新，宁波以系统思维整合要素资源，形成以宁", "波大学、甬江实验室4个龙头为引领的体系。") == [(0, 1, False)]


def test_open_sentence_is_rejoined(pipeline):
    assert joins(pipeline, "2023年，宁波获省科技进步", "一等奖9项、省政府质量奖5项，均创历史新高。") == [(0, 1, False)]


def test_byline_lines_are_not_joined(pipeline):
    assert joins(pipeline, "撰文 成良田 宣科", "图片由市科技局提供") == []


def test_heading_is_never_joined(pipeline):
    assert joins(pipeline, "一、2021年工作回顾", "过去一年是党和国家历史上具有里程碑意义的一年。", headings=(0,)) == []


def test_finished_sentence_is_not_joined(pipeline):
    assert joins(pipeline, "全市创新策源体系不断完善。", "宁波大学入选省高水平大学建设名单。") == []


def test_list_item_is_not_joined(pipeline):
    assert joins(pipeline, "重点包括以下方面，", "（一）加快建设创新合作研究中心。") == []


def test_open_quotation_needs_a_tail_that_closes_it(pipeline):
    # “开 … must continue with a paragraph that closes the quotation, not with the next one on the page.
    assert joins(pipeline, "拓展创新“朋友圈”，走好“开", "市各类企业R&D经费达412.4亿元，比上年增长12.0%。") == []


def test_displaced_tails_are_paired_by_elimination(pipeline):
    got = joins(
        pipeline,
        "诊一问题办理一确认销账”闭环办理机制。",
        "放路”：深化中东欧科技创新合作，打响开放创新品牌。",
        "全市创新策源体系不断完善。",
        "拓展创新“朋友圈”，走好“开",
        "一方面，不断完善服务体系，构建“乡镇提出诉求一市县对接问",
    )
    assert sorted(got) == [(3, 1, True), (4, 0, True)]


def test_ambiguous_displaced_tails_stay_apart(pipeline):
    # Two heads ending in 开 and two tails starting with 放: no safe pairing.
    got = joins(
        pipeline,
        "放路”：深化合作。", "放日”：举办活动。", "全市体系不断完善。", "走好“开", "迎来“开",
    )
    assert got == []


def test_source_and_date_lines_are_not_joined(pipeline):
    assert joins(pipeline, "2017-10-27来源：南沙区发改局", "为落实《国务院关于扩大对外开放积极利用外资若干措施的通知》，制定本办法。") == []


def test_page_numbers_are_not_joined(pipeline):
    assert joins(pipeline, "构建覆盖不同层级和异构网络之间的组网，", "26", "规范网络地址分配和管理。") == []


def test_label_title_lines_and_titles_are_not_joined(pipeline):
    assert joins(pipeline, "应用七：辅助稽查办案", "利用人工智能技术，可以将现行有效法律法规进行结构化处理。") == []
    assert joins(pipeline, "山东省“十三五”科技创新规划", "为深入实施《“十三五”国家科技创新规划》，制定本规划。") == []


def test_a_title_opened_at_the_end_of_a_line_is_rejoined_with_its_close(pipeline):
    # 《 ends the line and 》 starts the line after the title: both breaks are the layout's
    assert joins(pipeline, "要认真贯彻执行《", "民族区域自治法", "》，加快这些地区的经济和文化发展。") == [
        (0, 1, False), (0, 2, False)]


def test_a_quotation_opened_at_the_end_of_a_line_is_rejoined(pipeline):
    assert joins(pipeline, "全年主要目标任务圆满完成，“", "十三五", "”实现了良好开局。") == [(0, 1, False), (0, 2, False)]


def test_a_line_that_starts_by_closing_is_joined_only_to_what_it_closes(pipeline):
    assert joins(pipeline, "全年主要目标任务圆满完成，", "》实现了良好开局。") == []


def test_a_figure_cut_from_its_unit_is_rejoined(pipeline):
    got = find_broken_paragraphs([Piece(0, "经济运行稳中向好。国内生产总值达到74.4", False),
                                  Piece(1, "万亿元，增长6.7%，名列世界前茅。", False)],
                                 pipeline.resources.segmenter.word_across)
    assert [(j.head, j.tail, j.evidence) for j in got] == [(0, 1, ("figure_across_break",))]


def test_a_numbered_label_is_not_a_figure_cut_from_its_unit(pipeline):
    # 附3 + 项目… reads as 3项 to the quantity grammar, but a label and its title are no sentence
    assert joins(pipeline, "附3", "项目突破的关键技术清单（选填）") == []
    assert joins(pipeline, "联系人：010-68205630", "支撑单位：") == []


def test_a_subscript_on_a_line_of_its_own_is_rejoined(pipeline):
    # M₂ and PM₂.₅ written with markup come out as a number alone on a line; it is no page number here
    assert joins(pipeline, "稳健的货币政策灵活适度，广义货币M", "2", "增长11.3%，低于13%左右的预期目标。") == [
        (0, 1, False), (0, 2, False)]
    assert joins(pipeline, "大力推进污染防治，细颗粒物（PM", "2.5", "）浓度下降6%。") == [(0, 1, False), (0, 2, False)]
    # a short fragment needs the line after it to finish the sentence
    assert joins(pipeline, "着力推进重点工作，加快建设", "王小明", "一、总体要求") == []


# a page of a PDF, wrapped at 24 characters, written for this test: two paragraphs, then a table
WRAPPED = [
    "为贯彻落实国家关于数字化转型的部署要求，加快推动本市",
    "制造业数字化转型，提升产业链供应链韧性和安全水平，结",
    "合本市实际，制定本方案。到2027年，全市规模以上工业",
    "企业数字化改造基本实现全覆盖，培育智能工厂100家、",
    "数字化车间300个，打造5个以上具有行业影响力的工业",
    "互联网平台。",
    "（一）加快数字化改造。支持企业实施设备更新和技术改造，",
    "推动研发设计、生产制造、经营管理等环节数字化转型，",
    "每年遴选一批标杆项目给予支持，形成可复制可推广的经验",
    "做法。",
    "（二）强化要素保障。统筹用好各级财政资金，引导金融机构",
    "加大对数字化转型项目的信贷支持力度，鼓励社会资本参与",
    "建设行业公共服务平台，完善人才引进和培养机制，营造良",
    "好的发展环境。",
    "1 A基础共性AA通用、智能制造术语国家标准已发布GB/T1-2020",
    "2 A基础共性AB参考、智能制造模型国家标准已发布GB/T2-2021",
]


def test_hard_wrapped_lines_are_rejoined_into_paragraphs(pipeline):
    pieces = [Piece(i, t, False) for i, t in enumerate(WRAPPED)]
    assert wrap_width(pieces) is not None
    got = find_broken_paragraphs(pieces, pipeline.resources.segmenter.word_across)
    heads = {j.tail: j.head for j in got}
    assert all(heads.get(i) == 0 for i in range(1, 6))  # the first paragraph, all six lines
    assert all(heads.get(i) == 6 for i in range(7, 10))  # the second opens with its list marker
    assert all(heads.get(i) == 10 for i in range(11, 14))
    assert 6 not in heads and 10 not in heads and 14 not in heads and 15 not in heads  # the table's rows stay apart
    assert all("wrapped_line" in j.evidence for j in got if j.tail in (2, 3))


def test_text_that_is_not_wrapped_has_no_wrap_width():
    lines = ["全市创新策源体系不断完善。", "宁波大学入选省高水平大学建设名单，甬江实验室建设加快推进。",
             "一、总体要求", "坚持创新驱动。"] * 3
    assert wrap_width([Piece(i, t, False) for i, t in enumerate(lines)]) is None


def test_a_line_that_starts_with_a_comma_continues_the_line_before(pipeline):
    got = joins(pipeline, "具有立法性质的法律", "、", "法规", "，国家机关的决议及其官方正式译文。")
    assert got == [(0, 1, False), (0, 2, False), (0, 3, False)]
    assert joins(pipeline, "全市创新策源体系不断完善。", "，宁波大学入选。") == []  # the line before ended its sentence


def test_a_page_number_inside_a_wrapped_paragraph_is_stepped_over(pipeline):
    lines = [*WRAPPED[:3], "— 2 —", *WRAPPED[3:]]
    got = find_broken_paragraphs([Piece(i, t, False) for i, t in enumerate(lines)],
                                 pipeline.resources.segmenter.word_across)
    heads = {j.tail: (j.head, j.evidence) for j in got}
    assert heads[4] == (0, ("wrapped_line", "across_page_number"))  # the line after the page number
    assert 3 not in heads  # the page number stays a paragraph of its own
    assert heads[6][0] == 0  # and the paragraph runs on to its end

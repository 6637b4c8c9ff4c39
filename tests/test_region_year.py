"""Region and year are pipeline outputs with evidence (extract.region_year)."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, needs_shared

from nlp_service.contract import to_v1


@pytest.mark.parametrize(("title", "text", "published", "region", "year"), [
    ("宁波市科技局2024年工作要点", "到2025年，宁波力争引进顶尖人才100名。", None, "宁波", 2024),
    ("黑龙江省人民政府办公厅关于印发……的通知", "各市（地）人民政府：现将方案印发给你们。", None, "黑龙江", None),
    ("2022年中华人民共和国国务院政府工作报告", "今年发展主要预期目标是：国内生产总值增长5.5%左右。", None, "全国", 2022),
    (None, "杭州市加快建设算力中心。\n\n杭州市推进人工智能产业。\n\n杭州市扩大开放。", "2023-05-04", "杭州", 2023),
    # a signature date; deadline and span years are not the article's own
    (None, "到2027年，全市建成算力中心5个。\n\n“十四五”（2021—2025年）期间持续推进。\n\n2024年3月1日", None, None, 2024),
    (None, "比2020年增长一倍。到2035年基本实现现代化。", None, None, None),
    # a work report's review heading names the year before the report's own
    (None, "一、2021年工作回顾\n\n过去一年，全市经济稳中向好。\n\n二、2022年工作安排", None, None, 2022),
    # the document's own number dates it; a number cited after a title (《…》（国发〔2017〕5号）) does not
    ("石政发〔2020〕3号-关于印发若干措施的通知", "各街道办事处：现将措施印发给你们。2019年全区增长6%。", None, None, 2020),
    (None, "为落实《国务院关于扩大对外开放积极利用外资若干措施的通知》(国发〔2017〕5号)，制定本办法。", None, "全国",
     None),
    # an untitled text whose first line is its title, the addressees after it on the same line
    (None, "江西省人民政府印发关于有效应对疫情稳定经济增长20条政策措施的通知 各市、县（区）人民政府：现将措施印发给你们。"
           "为全面落实党中央、国务院有关决策部署，制定本措施。", None, "江西", None),
    # a national body only in a cited title: the place the text keeps naming speaks (各县区 is no place)
    (None, "为落实《国务院关于扩大对外开放积极利用外资若干措施的通知》，制定本办法。\n\n德阳市支持外资企业。\n\n"
           "德阳市各县区要加强服务。\n\n德阳市扩大开放。", None, "德阳", None),
    # the issuers on the first line before the title (甘肃省医疗保障局 甘肃省财政厅 关于……的通知)
    (None, "甘肃省医疗保障局 甘肃省财政厅 关于延长参保缴费期的通知 各市州医疗保障局：为贯彻落实党中央、国务院决策部署，"
           "现就有关事宜通知如下。", None, "甘肃", None),
    # a national body the text carries out is no issuer: the place it keeps naming speaks
    (None, "上海市市长 各位代表：现在，我代表上海市人民政府，向大会报告工作。我们深入贯彻落实党中央、国务院决策部署。"
           "\n\n上海市经济平稳运行。\n\n上海市扩大开放。", None, "上海", None),
    # addressees only a national body writes to; a macro-region (东北地区) is no issuer
    (None, "各省、自治区、直辖市及新疆生产建设兵团工业和信息化主管部门：现将指南印发给你们。\n\n"
           "东北地区要加快转型。东北地区要扩大开放。东北地区要稳定就业。", None, "全国", None),
    # a document that calls itself 我市 and names that city twice, no place three times
    (None, "为加快推进我市智能建造工作，制定本意见。\n\n到2022年，济南市建成研发基地。\n\n济南市住房城乡建设局负责组织实施。",
     None, "济南", None),
    # a day the text counts "as of" is its own time; a year's end as of which it reports is last year's figure
    (None, "截至2031年2月3日24时，全区累计报告确诊病例12例，其中重症2例，治愈出院5例，其余病例均在定点医院隔离治疗。",
     None, None, 2031),
    (None, "截至2030年底，全区共有企业5万家。", None, None, None),
    # a news headline that opens with a province speaks for it (not one that lists provinces)
    (None, "贵州强化市场监管维护价格稳定 2月4日，省市场监管局公布第二批典型案例。", None, "贵州", None),
    (None, "福建：重要生活物资纳入应急运输保障范围 近日，省商务厅印发通知，要求各设区市商务局做好保障。", None, "福建", None),
    (None, "福建、江苏、山东积极协助台企复工复产 新华社北京2月18日电 连日来，国务院台办协调各地。", None, "全国", None),
    # a year written as one in the title, before a number that names a programme
    ("交通运输部科技司关于做好科技创新2030-“新一代人工智能”重大项目2021年度项目申报工作的通知", "各有关单位：现将有关要求通知如下。",
     None, None, 2021),
    # a provincial text that names its province's cities, never the province: the province, not its city named most
    (None, "各市人民政府，省政府各部门：\n\n支持青岛市建设软件名城。青岛市打造虚拟现实产业基地。青岛市发展集成电路。"
           "济南市建设算力中心。济南市发展人工智能。", None, "山东", None),
])
def test_region_and_year_with_evidence(pipeline, title, text, published, region, year):
    result = to_v1(pipeline.extract(text, title=title, published=published), 0.0, include_tokens=False)
    assert (result["region"]["name"], result["year"]["value"]) == (region, year)
    assert (result["region"]["evidence"] is None) == (region is None)
    assert (result["year"]["evidence"] is None) == (year is None)


def test_the_year_resolves_this_year_in_indicators_and_deadlines(pipeline):
    art = pipeline.extract("今年全市新增高新技术企业500家。\n\n今年要新建实验室3家。", title="杭州市2023年工作报告")
    assert art.year.value == 2023
    assert {i.period for i in art.indicators} == {"2023"}


@needs_shared
def test_the_sample_articles_year_is_2024(pipeline):
    art = pipeline.extract(SAMPLE.read_text(encoding="utf-8"))
    assert (art.year.value, art.region.value) == (2024, "宁波")


def test_a_licence_note_of_the_source_is_no_year_of_the_document(pipeline):
    text = ("我们要继续努力，把国民经济搞上去。\n\n这是一九六九年的报告。\n\n"
            "本作品来自中华人民共和国全国人民代表大会的决定，依据《中华人民共和国著作权法》不受著作权保护。\n\n"
            "2024年社群共识：本作品属于公有领域。")
    year = pipeline.extract(text).year
    assert (year.value, year.evidence) == (1969, "latest year named in the text (1969年)")  # not the note's 2024


def test_a_headline_going_on_to_a_place_inside_its_province_is_left_to_the_other_rules():
    from nlp_service.extract.region_year import _headline_province

    assert _headline_province("河南郑州：广撒“数据网” 新华社郑州2月13日电") is None
    assert _headline_province("上海宝山出台15项政策细则 记者从宝山区获悉") is None  # jieba tags 宝山 a person
    assert _headline_province("【金融赣军】江西省农信联社出台6项措施 自疫情发生以来") == "江西"

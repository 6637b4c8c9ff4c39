"""Commitment tracking: targets, outcomes, statuses (guide tracking-v1), the store, the API and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SHARED

from nlp_service.contract import to_v1
from nlp_service.tracking.metrics import metric_key, same_free_metric
from nlp_service.tracking.track import Figure, figures, judge, same_metric, track

# two reports of a made-up city, written for these tests: the targets of 2030 and what 2031 reports
REPORT_2030 = ("2030年江州市政府工作报告\n\n二、2030年主要目标任务\n\n"
               "今年全市经济社会发展的主要预期目标是：地区生产总值增长6%左右；城镇新增就业12万人以上；"
               "居民消费价格涨幅3%左右；城镇调查失业率5.5%以内。\n\n今年要新建改建农村公路300公里，新增养老床位2000张。")
REPORT_2031 = ("2031年江州市政府工作报告\n\n一、2030年工作回顾\n\n过去一年，全市地区生产总值增长5.2%，城镇新增就业13.4万人，"
               "居民消费价格上涨1.1%，城镇调查失业率平均为5.1%。全年新建改建农村公路315公里。\n\n"
               "二、2031年主要目标任务\n\n今年全市经济社会发展的主要预期目标是：地区生产总值增长5.5%左右。")
EXPECTED_2030 = {  # target figure → (status, outcome figure)
    "地区生产总值增长6%左右": ("not_met", "全市地区生产总值增长5.2%"),
    "城镇新增就业12万人以上": ("met", "城镇新增就业13.4万人"),
    "居民消费价格涨幅3%左右": ("met", "居民消费价格上涨1.1%"),
    "城镇调查失业率5.5%以内": ("met", "城镇调查失业率平均为5.1%"),
    "要新建改建农村公路300公里": ("met", "新建改建农村公路315公里"),
    "新增养老床位2000张": ("no_evidence", None),
}


def _figures(pipeline, text: str, year: int, article_id: str = "a"):
    """(targets, reported figures) of one report of the made-up city."""
    return figures(to_v1(pipeline.extract(text, published=str(year)), 0.0), article_id, region="江州")


def _targets_and_documents(pipeline, *reports: tuple[str, int]):
    docs, targets = [], []
    for k, (text, year) in enumerate(reports):
        t, reported = _figures(pipeline, text, year, f"a{k}")
        targets += t
        docs.append((year, "江州", reported))
    return targets, docs


def _tracked(pipeline, *reports: tuple[str, int]):
    return {x.target.figure.text: x for x in track(*_targets_and_documents(pipeline, *reports))}


def test_targets_settled_by_the_next_report(pipeline):
    got = _tracked(pipeline, (REPORT_2030, 2030), (REPORT_2031, 2031))
    for target, (status, outcome) in EXPECTED_2030.items():
        assert got[target].status == status, (target, got[target].reason)
        assert [e.text for e in got[target].evidence] == ([outcome] if outcome else [])
        assert got[target].target.due == 2030
    # the 2031 target has no later report: not due, never met
    assert got["地区生产总值增长5.5%左右"].status == "not_due"
    # a report's own figures never settle its own targets, and later plans are no outcomes
    assert all(e.article_id == "a1" for t in got.values() for e in t.evidence)



def test_a_matcher_passed_to_track_chooses_the_outcome(pipeline):
    """``pick`` sees one document's figures of the due year: a matcher that never links leaves no evidence."""
    targets, docs = _targets_and_documents(pipeline, (REPORT_2030, 2030), (REPORT_2031, 2031))
    seen = []

    def never(target, found):
        seen.append({g.period for g in found})
        return None

    assert {x.status for x in track(targets, docs, never) if x.target.due == 2030} == {"no_evidence"}
    assert seen and all(periods == {"2030"} for periods in seen)
    first = track(targets, docs, lambda target, found: found[0])  # any figure of the year: judged as given
    assert all(x.evidence and x.evidence[0].period == "2030" for x in first if x.target.due == 2030)


# outcomes stated in words (guide tracking-v1 §8.3): the aim for a named metric reached or missed
REPORT_2032 = ("2032年江州市政府工作报告\n\n二、2032年主要目标任务\n\n"
               "今年全市经济社会发展的主要预期目标是：城镇调查失业率5.5%以内；进出口总额增长6%左右；"
               "居民消费价格涨幅3%左右。")
REPORT_2033 = ("2033年江州市政府工作报告\n\n一、2032年工作回顾\n\n过去一年，城镇调查失业率明显低于年初预期目标。"
               "受外部需求收缩影响，全市进出口总额出现下降，预期增长目标未能实现。居民消费价格调控等完成了全年主要目标任务。\n\n"
               "二、2033年主要目标任务\n\n为实现全年预期目标，要保持物价总水平基本稳定。")


def test_outcomes_stated_in_words_settle_their_metric(pipeline):
    got = _tracked(pipeline, (REPORT_2032, 2032), (REPORT_2033, 2033))
    unemployment, trade, prices = (got["城镇调查失业率5.5%以内"], got["进出口总额增长6%左右"],
                                   got["居民消费价格涨幅3%左右"])
    assert unemployment.status == "met"  # lower than the aim, and less is better
    assert unemployment.evidence[0].text.endswith("城镇调查失业率明显低于年初预期目标")
    assert unemployment.evidence[0].value is None and unemployment.evidence[0].period == "2032"
    assert trade.status == "not_met" and "未能实现" in trade.reason
    # an aim still ahead (为实现全年预期目标) and the main aims together (主要目标任务) settle nothing
    assert prices.status == "no_evidence" and not prices.evidence


REPORT_2034 = ("2034年江州市政府工作报告\n\n二、2034年主要目标任务\n\n"
               "今年单位生产总值能耗要降低3%左右，二氧化硫排放要减少2%，新增养老床位2000张。")
REPORT_2035 = ("2035年江州市政府工作报告\n\n一、2034年工作回顾\n\n过去一年，狠抓节能减排，各项约束性指标超额完成。\n\n"
               "二、2035年主要目标任务\n\n要确保约束性指标完成。")


def test_the_binding_targets_are_settled_together(pipeline):
    # 约束性指标 names energy, carbon and emission intensity at once (as the gold reads 2016 on 2015); no others
    got = _tracked(pipeline, (REPORT_2034, 2034), (REPORT_2035, 2035))
    energy, sulphur, beds = (got[k] for k in sorted(got, key=lambda k: ("能耗" not in k, "二氧化硫" not in k)))
    assert energy.status == "met" and energy.evidence[0].text.endswith("各项约束性指标超额完成")
    assert sulphur.status == "met" and sulphur.target.figure.key.startswith("emissions")
    assert beds.status == "no_evidence"


REPORT_2036 = ("2036年江州市政府工作报告\n\n二、2036年主要目标任务\n\n"
               "今年保障性安居工程新开工5万套，其中棚户区改造3万套。")
REPORT_2037 = ("2037年江州市政府工作报告\n\n一、2036年工作回顾\n\n过去一年，保障性安居工程住房基本建成4.8万套，"
               "棚户区住房改造开工3.2万套。")


def test_a_shantytown_target_is_settled_by_the_shantytown_outcome(pipeline):
    # 保障性安居工程 and 棚户区改造 are two quantities (housing, housing_shantytown): not the first housing figure
    got = _tracked(pipeline, (REPORT_2036, 2036), (REPORT_2037, 2037))
    shanty = next(t for k, t in got.items() if "棚户区" in k)
    assert [e.text for e in shanty.evidence] == ["棚户区住房改造开工3.2万套"]


REPORT_2038 = ("2038年江州市政府工作报告\n\n二、2038年主要目标任务\n\n"
               "今年全市经济社会发展的主要预期目标是：城镇调查失业率、城镇登记失业率分别为4.8%左右和4.3%左右。")
REPORT_2039 = ("2039年江州市政府工作报告\n\n一、2038年工作回顾\n\n过去一年，城镇调查失业率稳定在4.4%以内，"
               "城镇登记失业率为4.0%。")


def test_a_list_of_metrics_gives_each_figure_its_own(pipeline):
    # 分别为 pairs the metrics with the figures: the surveyed rate is settled by the surveyed outcome
    got = _tracked(pipeline, (REPORT_2038, 2038), (REPORT_2039, 2039))
    surveyed, registered = (next(t for k, t in got.items() if k.startswith(v)) for v in ("4.8", "4.3"))
    assert [e.text for e in surveyed.evidence] == ["城镇调查失业率稳定在4.4%以内"]
    assert [e.text for e in registered.evidence] == ["城镇登记失业率为4.0%"]


REPORT_2040 = ("2040年江州市政府工作报告\n\n二、2040年主要目标任务\n\n"
               "启动新的三年棚改攻坚计划，今年开工5万套。")
REPORT_2041 = ("2041年江州市政府工作报告\n\n一、2040年工作回顾\n\n过去一年，棚户区住房改造5.3万套。"
               "全市粮食总产量达到120万吨，增产3万吨。农村居民人均纯收入21000元，实际增长6.5%。")


def test_a_clause_of_a_verb_only_measures_what_the_clause_before_names(pipeline):
    got = _tracked(pipeline, (REPORT_2040, 2040), (REPORT_2041, 2041))
    started = next(t for k, t in got.items() if "5万套" in k)
    assert started.target.figure.key == "housing_shantytown"  # 棚改, named by the clause before
    assert [e.text for e in started.evidence] == ["棚户区住房改造5.3万套"] and started.status == "met"
    keys = {(f.value, f.unit): f.key for f in _figures(pipeline, REPORT_2041, 2041)[1] if isinstance(f, Figure)}
    assert keys[6.5, "%"] == "income_growth_rural"  # 实际增长6.5%: a rate of the income named before
    assert keys[3, "万吨"] is None  # 增产3万吨: a change of the amount before it, not the grain output


def test_an_amount_a_clause_of_a_verb_adds_is_no_level_of_the_subject_before_it(pipeline):
    # 增加177万吨 and 比上年增加177万吨 change the grain output the clause before names: the target is settled
    # by the level (1300 ≥ 1250), never by the increase (177 < 1250 would read not_met)
    target = ("2062年江州市政府工作报告\n\n二、2062年主要目标任务\n\n今年粮食总产量稳定在1250万吨以上。")
    for added in ("增加177万吨", "比上年增加177万吨", "上升了177万吨"):
        outcome = f"2063年江州市政府工作报告\n\n一、2062年工作回顾\n\n过去一年，全市粮食总产量达到1300万吨，{added}。"
        keys = {f.value: f.key for f in _figures(pipeline, outcome, 2063)[1] if isinstance(f, Figure)}
        assert keys == {1300: "grain_output", 177: None}, added
        got = _tracked(pipeline, (target, 2062), (outcome, 2063))
        grain = next(t for k, t in got.items() if "1250" in k)
        assert [e.text for e in grain.evidence] == ["全市粮食总产量达到1300万吨"] and grain.status == "met", added


def test_a_bare_number_counts_what_its_metric_counts(pipeline):
    # 1000万 has no counter, 800万人 has one: one key, so the outcome settles the target (short of it)
    target = ("2042年江州市政府工作报告\n\n二、2042年主要目标任务\n\n力争今年农村贫困人口再减少10万以上。")
    outcome = ("2043年江州市政府工作报告\n\n一、2042年工作回顾\n\n过去一年，贫困人口减少8万人。")
    got = _tracked(pipeline, (target, 2042), (outcome, 2043))
    reduced = next(t for k, t in got.items() if "10万" in k)
    assert [e.text for e in reduced.evidence] == ["贫困人口减少8万人"] and reduced.status == "not_met"


def test_figures_before_a_shared_object_are_measured_by_it(pipeline):
    # 完成55万平方米、2.8万户…房屋改造: the object follows both figures of the list, in their own clause
    target = ("2044年江州市政府工作报告\n\n二、2044年主要目标任务\n\n"
              "统筹推进城市更新、住房保障，完成55万平方米、2.8万户中心城区旧里房屋改造。")
    outcome = ("2045年江州市政府工作报告\n\n一、2044年工作回顾\n\n过去一年，完成75.3万平方米中心城区旧里房屋改造。")
    got = _tracked(pipeline, (target, 2044), (outcome, 2045))
    area = next(t for k, t in got.items() if k.startswith("55万"))
    assert [e.text for e in area.evidence] == ["75.3万平方米"] and area.status == "met"


def test_a_duration_in_years_is_no_target(pipeline):
    text = ("2046年江州市政府工作报告\n\n二、2046年主要目标任务\n\n"
            "落实第二轮土地承包到期后再延长30年的政策，新能源汽车购置税优惠政策再延长三年，审批时间压缩至60天。")
    targets = [t.figure.text for t in _figures(pipeline, text, 2046)[0]]
    assert not any("30年" in t or "三年" in t for t in targets)
    assert any("60天" in t for t in targets)  # a time limit is a level to reach


def test_a_figure_over_several_years_is_no_target_of_the_reports_year(pipeline):
    text = ("2048年江州市政府工作报告\n\n二、2048年主要目标任务\n\n"
            "今年要新建改建农村公路300公里。五年内全市新建铁路200公里，农民收入年均增长6%以上。")
    later = "2049年江州市政府工作报告\n\n一、2048年工作回顾\n\n全年新建改建农村公路310公里，新建铁路40公里，农民收入增长5%。"
    got = _tracked(pipeline, (text, 2048), (later, 2049))
    assert got["要新建改建农村公路300公里"].status == "met"
    several = [t for f, t in got.items() if "200公里" in f or "6%" in f]
    assert len(several) == 2
    for t in several:  # due when the five years end, which the text does not say: never judged on 2048
        assert (t.target.due, t.status, t.evidence) == (None, "not_due", [])
        assert "several years" in t.reason
    # a year written in numerals (二〇四五年) is one year, not 五年
    text = "2045年江州市政府工作报告\n\n二、2045年主要目标任务\n\n二〇四五年全市要新建学校5所。"
    (target,) = _figures(pipeline, text, 2045)[0]
    assert "5所" in target.figure.text and target.due == 2045



def test_whom_a_measure_serves_is_no_target(pipeline):
    text = ("2050年江州市政府工作报告\n\n二、2050年主要目标任务\n\n"
            "今年高校毕业生12万人，要促进多渠道就业，城镇新增就业10万人以上。"
            "对小微企业年应纳税所得额不到100万元的部分，减按12.5%计入应纳税所得额。"
            "今年要帮助农村贫困人口减少1000人以上，一般性支出按不低于5%的幅度压减。")
    targets = [t.figure.text for t in _figures(pipeline, text, 2050)[0]]
    assert not any("12万人" in t or "100万元" in t for t in targets), targets  # a cohort's size, a bound
    for kept in ("10万人", "1000人", "5%"):  # the targets beside them stay, a floor of 不低于 too
        assert any(kept in t for t in targets), (kept, targets)


def test_a_count_of_started_homes_is_not_settled_by_finished_ones(pipeline):
    target = ("2048年江州市政府工作报告\n\n二、2048年主要目标任务\n\n今年保障性安居工程新安排7万套。")
    outcome = ("2049年江州市政府工作报告\n\n一、2048年工作回顾\n\n过去一年，城镇保障性安居工程住房基本建成7.7万套。")
    got = _tracked(pipeline, (target, 2048), (outcome, 2049))
    started = next(t for k, t in got.items() if "7万套" in k)
    assert started.target.figure.key == "housing" and started.status == "no_evidence"


def test_without_the_later_report_nothing_is_due(pipeline):
    got = _tracked(pipeline, (REPORT_2030, 2030))
    assert {t.status for t in got.values()} == {"not_due"}


def _figure(value, unit="%", comparator="approx", direction="up", high=None, change=None, base=None, norm=None):
    return Figure(article_id="x", year=2030, region=None, text="", sentence=None, context="", phrase="", metric=None,
                  key="k", direction=direction, value=value, value_high=high, unit=unit, base_unit=base,
                  normalized_value=norm, comparator=comparator, change=change, period="2030", start=0, end=0)


@pytest.mark.parametrize(("target", "actual", "status"), [
    (_figure(6.0), _figure(5.6), "met"),                                   # 左右: within 0.5 point
    (_figure(6.0), _figure(5.4), "not_met"),
    (_figure(6.0), _figure(9.2), "met"),                                   # beyond the target in its good direction
    (_figure(3.0, direction="down"), _figure(3.4), "met"),                 # a price target: at most 3 + 0.5
    (_figure(3.0, direction="down"), _figure(3.6), "not_met"),
    (_figure(13.0, direction="neutral"), _figure(13.6), "not_met"),        # M2: close to the target, both ways
    (_figure(13.0, direction="neutral"), _figure(12.6), "met"),
    (_figure(5.5, comparator="floor"), _figure(5.0), "not_met"),           # 以上: no tolerance
    (_figure(4.5, comparator="ceiling", direction="down"), _figure(4.02), "met"),
    (_figure(6.0, comparator="range", high=6.5), _figure(6.1), "met"),     # 6-6.5%: at least the low end
    (_figure(6.0, comparator="range", high=6.5), _figure(5.9), "not_met"),
    (_figure(7.0, change="增长"), _figure(1.0, change="下降"), "not_met"),  # a fall against a growth target
    (_figure(3.4, comparator="floor", change="下降"), _figure(5.0, change="下降"), "met"),  # fell by more: met
    (_figure(1000, "万人", "floor", base="人", norm=1e7), _figure(1314, "万人", base="人", norm=1.314e7), "met"),
    (_figure(2.0, "亿元", "exact", base="元", norm=2e8), _figure(1.97, "亿元", base="元", norm=1.97e8), "met"),  # 2%
    (_figure(2.0, "亿元", "exact", base="元", norm=2e8), _figure(1.9, "亿元", base="元", norm=1.9e8), "not_met"),
])
def test_status_rules_of_the_guide(target, actual, status):
    assert judge(target, actual)[0] == status


@pytest.mark.parametrize(("context", "unit", "key"), [
    ("国内生产总值增长", "%", "gdp_growth"), ("全市生产总值增长", "%", "gdp_growth"),
    ("居民消费价格上涨", "%", "cpi"), ("把全年零售物价上涨幅度控制在", "%", "cpi"),
    ("城镇调查失业率平均为", "%", "urban_surveyed_unemployment"), ("城镇新增就业", "万人", "urban_new_jobs"),
    ("国内生产总值达到", "万亿元", None),  # a level is not a growth rate
    ("全社会研发经费支出相当于全市生产总值的比例", "%", None),  # a share of GDP is no GDP figure
    ("二氧化硫排放量减少", "%", "emissions:二氧化硫"), ("氮氧化物排放减少", "%", "emissions:氮氧化物"),
    ("单位地区生产总值能耗要降低", "%", None),  # an intensity per unit of output is not the output's growth
    ("单位生产总值二氧化碳排放量下降", "%", "carbon_intensity"),
    ("其中易地搬迁脱贫", "万人", "relocation_poverty"),  # not poverty_reduction: the relocated are counted
    ("近1400万农业转移人口在城镇落户", "万", "urban_settlement"),
    ("粮食（不包括大豆）的产量为", "亿斤", "grain_output"),  # a note and 的 inside the phrase
])
def test_metric_keys(context, unit, key):
    found = metric_key(context, unit)
    assert (found[0] if found else None) == key


@pytest.mark.parametrize(("a", "b", "same"), [
    ("新建改建健身步道80条", "新建改建健身步道107条", True),
    ("绿地1000公顷", "绿地1031.8公顷", True),
    ("新建林地5万亩", "新增森林5.1万亩", False),  # another word: not guessed
    ("中央财政还将安排150亿元", "全年中央财政用于三农的支出达到2975亿元", False),  # shares only the payer
    ("增加5232亿元", "拟发行长期建设国债800亿元", False),  # a unit is no metric
    ("环保投入相当于全市生产总值的比例保持在3%左右", "全社会研发经费支出相当于全市生产总值的比例达到4.1%", False),
    # a standard raised from one level to another: 由…到 is the frame, 公共 keeps its 共
    ("人均基本公共卫生服务经费补助标准由35元提高到40元", "基本公共卫生服务经费财政补助从人均40元提高到45元", True),
    ("城乡居民医保补助标准由420元提高到450元", "基本公共卫生服务经费补助从人均40元提高到45元", False),
    ("完成100公里架空线入地及合杆整治", "完成架空线入地和杆箱整治207公里", True),  # the conjunction is no word of it
])
def test_free_metrics(a, b, same):
    assert same_free_metric(a, b) is same


def _free(phrase, value, norm):
    return replace(_figure(value, "亿元", "exact", base="元", norm=norm), key=None, phrase=phrase, context=phrase)


@pytest.mark.parametrize(("target", "outcome", "same"), [
    # words in common, magnitudes 24x apart: another quantity (1030亿元 of a programme, 42.7亿元 of one item)
    (_free("国家财政将每年安排支出", 1030, 1.03e11), _free("中央财政支出", 42.7, 4.27e9), False),
    (_free("中央财政支出", 40, 4e9), _free("中央财政支出", 42.7, 4.27e9), True),
    (_free("中央财政支出", 20, 2e9), _free("中央财政支出", 42.7, 4.27e9), True),  # 2.1x: the widest of the gold
])
def test_a_free_metric_outcome_is_within_a_plausible_magnitude(target, outcome, same):
    assert same_metric(target, outcome) is same


def test_tracking_through_the_store_and_the_api(tmp_path):
    from fastapi.testclient import TestClient

    from nlp_service.api.app import create_app
    from nlp_service.settings import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}")
    with TestClient(create_app(settings)) as client:
        for text, year in ((REPORT_2030, 2030), (REPORT_2031, 2031)):
            r = client.post("/v1/articles", json={"text": text, "published": str(year), "region": "江州"})
            assert r.status_code == 201, r.text
        page = client.get("/v1/tracking", params={"region": "江州", "year": 2030}).json()
        got = {x["commitment"]["figure"]: x for x in page["items"]}
        assert {k: (v["status"], v["evidence"][0]["text"] if v["evidence"] else None) for k, v in got.items()} \
            == EXPECTED_2030
        gdp = got["地区生产总值增长6%左右"]
        assert gdp["commitment"]["metric"] == "gdp_growth" and gdp["commitment"]["value"] == 6.0
        assert gdp["evidence"][0]["year"] == 2031 and gdp["reason"].startswith("5.2 ≥")
        met = client.get("/v1/tracking", params={"region": "江州", "status": "met"}).json()
        assert met["total"] == 4 and all(x["evidence"] for x in met["items"])
        assert client.get("/v1/tracking", params={"year": 2031}).json()["items"][0]["status"] == "not_due"
        assert client.get("/v1/tracking", params={"metric": "cpi"}).json()["total"] == 1
        assert client.get("/v1/tracking", params={"status": "won"}).status_code == 422
        one = client.get(f"/v1/commitments/{gdp['commitment']['id']}").json()
        assert one["tracking"][0]["status"] == "not_met" and one["tracking"][0]["evidence"][0]["value"] == 5.2
        assert client.get("/v1/commitments/999999").status_code == 404
        assert "/v1/tracking" in client.get("/openapi.json").json()["paths"]


WORK_REPORTS = SHARED / "corpus" / "gov-work-reports" / "state_council_reports_1954_2022.jsonl"


@pytest.mark.skipif(not WORK_REPORTS.exists(), reason="../shared/corpus is not beside the repo")
def test_ingest_consecutive_reports_then_track(tmp_path: Path):
    # four consecutive State Council reports of the train and dev years (never the frozen test years)
    lines = [ln for ln in WORK_REPORTS.open(encoding="utf-8")
             if json.loads(ln)["title"][:5] in ("2015年", "2016年", "2017年", "2018年")]
    assert len(lines) == 4
    (tmp_path / "reports.jsonl").write_text("".join(lines), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    cli = [sys.executable, "-m", "nlp_service.cli"]
    subprocess.run([*cli, "ingest", str(tmp_path / "reports.jsonl"), "--database", db, "-q"], check=True,
                   capture_output=True)
    out = subprocess.run([*cli, "track", "--database", db, "--json"], check=True, capture_output=True, text=True)
    items = json.loads(out.stdout)
    def first(metric: str, due: int) -> dict:
        return next(x for x in items if x["commitment"]["metric"] == metric and x["commitment"]["due"] == due)

    for year in (2015, 2017):  # the growth target, settled by the next year's report (6.9% against 7%左右, 6.5%左右)
        assert first("gdp_growth", year)["status"] == "met"
        assert first("gdp_growth", year)["evidence"][0]["year"] == year + 1
    for year in (2015, 2016, 2017):
        assert first("urban_new_jobs", year)["status"] == "met"
    # CPI: the 2017 report states 2016's rise (2%); the 2016 and 2018 reports give only five-year averages
    assert first("cpi", 2016)["status"] == "met" and first("cpi", 2016)["evidence"][0]["text"] == "居民消费价格上涨2%"
    assert first("cpi", 2015)["status"] == first("cpi", 2017)["status"] == "no_evidence"
    assert {x["status"] for x in items if x["commitment"]["due"] == 2018} == {"not_due"}
    assert all(x["evidence"] for x in items if x["status"] in ("met", "not_met"))
    table = subprocess.run([*cli, "track", "--database", db, "--year", "2016"], check=True, capture_output=True,
                           text=True).stdout
    assert "国内生产总值增长6.5%" in table and "targets:" in table.splitlines()[-1]


def test_a_standard_raised_from_last_years_level_settles_last_years_target(pipeline):
    """由X提高到Y: X is the level reached the year before the report — the outcome of that year's target."""
    plan_2030 = "2030年江州市政府工作报告\n\n今年城乡居民医保财政补助由每人每年600元提高到650元。"
    plan_2031 = "2031年江州市政府工作报告\n\n今年城乡居民医保财政补助由每人每年650元提高到700元。"
    got = _tracked(pipeline, (plan_2030, 2030), (plan_2031, 2031))
    targets = {t.target.figure.value: t for t in got.values()}
    assert set(targets) == {650.0, 700.0}  # the levels raised from are no targets
    assert targets[650.0].status == "met" and targets[650.0].evidence[0].value == 650.0
    assert targets[650.0].evidence[0].article_id == "a1" and targets[700.0].status == "not_due"


def test_the_scorer_reads_gold_quotes_of_full_width_reports_as_the_extractor_does():
    from nlp_service.tracking.evaluate import _overlaps

    # the gold quotes the raw record of an old report; the extractor reports its NFKC-folded text
    assert _overlaps("工业生产总值比1955年将增长19.7%", "１９５６年工业生产总值比１９５５年将增长１９．７％")
    assert not _overlaps("工业生产总值比1955年将增长19.7%", "１９５６年农业总产值将增长９．３％")


def test_the_scorer_compares_values_in_base_units_too(pipeline):
    from types import SimpleNamespace

    from nlp_service.tracking.evaluate import _same_value

    # the extractor reads a compound Chinese numeral whole; the gold writes it in 亿元
    res = to_v1(pipeline.extract("一九五八年的基本建设总投资额，拟定为一百四十五亿七千七百万元。", published="1958"), 0.0)
    ind = next(i for i in res["indicators"] if "一百四十五" in i["text"])
    fig = SimpleNamespace(value=ind["value"], normalized_value=ind["normalized_value"], base_unit=ind["base_unit"])
    assert _same_value(fig, 145.77, "亿元")
    assert not _same_value(fig, 145.7, "亿元")
    assert not _same_value(fig, 145.77, "亿斤")  # another base unit


def test_the_level_a_change_starts_from_is_an_earlier_years(pipeline):
    target = ("2052年江州市政府工作报告\n\n二、2052年主要目标任务\n\n"
              "今年居民消费价格涨幅控制在3%左右，单位生产总值能耗降低4%左右。")
    later = ("2053年江州市政府工作报告\n\n一、2052年工作回顾\n\n"
             "居民消费价格涨幅由上年的4.9%回落到2.8%。单位生产总值能耗由前三年分别上升1.5%、2.2%，转为下降1.2%。"
             "全市没有实现年初确定的单位生产总值能耗降低4%左右的目标。\n\n城镇化率由2050年的60.5%提高到62%。\n\n"
             "二、2053年主要目标任务\n\n今年城乡居民医保财政补助由每人每年420元提高到450元。")
    got = _tracked(pipeline, (target, 2052), (later, 2053))
    cpi = next(t for f, t in got.items() if "3%" in f)
    assert (cpi.status, [e.text for e in cpi.evidence]) == ("met", ["回落到2.8%"]), cpi.reason
    energy = next(t for f, t in got.items() if "4%" in f)  # not the rise of the years before, not the aim recalled
    assert (energy.status, [e.value for e in energy.evidence]) == ("not_met", [1.2]), energy.reason
    periods = {f.value: f.period for f in _figures(pipeline, later, 2053)[1] if isinstance(f, Figure)}
    # a review's 上年 and 前三年 are years before the one reviewed; a plan's level is the year reviewed's,
    # a level that names its year is that year's
    assert (periods[4.9], periods[1.5], periods[2.2]) == (None, None, None)
    assert (periods[2.8], periods[420], periods[60.5]) == ("2052", "2052", "2050")


def test_an_increase_is_settled_by_an_increase_not_by_a_level(pipeline):
    target = ("2054年江州市政府工作报告\n\n二、2054年主要目标任务\n\n今年农村危房改造3.6万户，增加1万户。")
    later = "2055年江州市政府工作报告\n\n一、2054年工作回顾\n\n农村危房改造4.3万户。"
    got = _tracked(pipeline, (target, 2054), (later, 2055))
    level = next(t for f, t in got.items() if "3.6万户" in f)
    increase = next(t for f, t in got.items() if "1万户" in f and "3.6" not in f)
    assert (level.status, [e.value for e in level.evidence]) == ("met", [4.3]), level.reason
    assert (increase.status, increase.evidence) == ("no_evidence", []), increase.reason  # +1万 is not 4.3万


def test_a_change_in_a_five_year_review_reaches_the_level_of_its_last_year(pipeline):
    target = ("2056年江州市政府工作报告\n\n二、2056年主要目标任务\n\n今年城镇化率达到62%。")
    later = ("2057年江州市政府工作报告\n\n一、过去五年工作回顾\n\n"
             "城镇化率从55.2%提高到62.4%。全市新增就业60万人。")
    got = _tracked(pipeline, (target, 2056), (later, 2057))
    (urban,) = got.values()
    assert (urban.status, [e.value for e in urban.evidence]) == ("met", [62.4]), urban.reason
    periods = {f.value: f.period for f in _figures(pipeline, later, 2057)[1] if isinstance(f, Figure)}
    assert periods[60] == "2052-2056"  # the heading dates its section: the five years before the report


def test_affordable_housing_is_not_settled_by_shantytown_renovation(pipeline):
    target = ("2058年江州市政府工作报告\n\n二、2058年主要目标任务\n\n今年保障性安居工程新安排7万套。")
    outcome = ("2059年江州市政府工作报告\n\n一、2058年工作回顾\n\n过去一年，棚户区住房改造开工6万套。")
    (started,) = _tracked(pipeline, (target, 2058), (outcome, 2059)).values()
    assert (started.status, started.evidence) == ("no_evidence", []), started.reason


def test_the_scorer_lists_a_wrong_link_in_words(pipeline):
    from nlp_service.tracking.evaluate import TrackingScore, _score_pair

    target = ("今年发展的主要预期目标是：国内生产总值增长6%左右。", "2019")
    outcome = ("去年国内生产总值增长5.9%。城镇新增就业1350万人。", "2020")
    tgt, _ = figures(to_v1(pipeline.extract(target[0], published=target[1]), 0.0, include_tokens=False), "t",
                     region="全国", year=2019)
    _, rep = figures(to_v1(pipeline.extract(outcome[0], published=outcome[1]), 0.0, include_tokens=False), "o",
                     region="全国", year=2020)
    tracked = track([t for t in tgt if t.due == 2019], [(2020, "全国", rep)])
    gold = {"id": "x-1", "status": "met", "target": {"text": "国内生产总值增长6%左右", "metric_key": "gdp_growth",
                                                      "value": 6, "unit": "%"},
            "outcome": {"text": "国内生产总值增长5.9%", "value": 5.9, "unit": "%"}}
    right = TrackingScore()
    _score_pair(right, gold, tracked, set())
    assert right.link_ok == right.status_ok == 1 and right.errors == []
    wrong = TrackingScore()  # the same system output against a gold outcome it does not name
    _score_pair(wrong, {**gold, "status": "no_evidence", "outcome": None}, tracked, set())
    assert wrong.link_ok == 0 and len(wrong.errors) == 1
    assert "gold no_evidence, system met" in wrong.errors[0] and "国内生产总值增长5.9%" in wrong.errors[0]


def test_the_test_years_errors_are_not_listed():
    from nlp_service.cli import main

    assert main(["eval", "--tracking", "--split", "test", "-v"]) == 2

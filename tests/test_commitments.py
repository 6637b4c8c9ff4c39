"""Commitments: clause splitting, context, the gate, fields, and the figures on the gold excerpts."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SCORER, SEED_GOLD, needs_shared
from hypothesis import given
from hypothesis import strategies as st

from nlp_service.extract.clauses import split_clauses
from nlp_service.extract.commitments import (
    ClauseContext,
    action_and_target,
    clause_contexts,
    document_actor,
    document_kind,
    forward_evidence,
    never,
    rule_label,
)
from nlp_service.text.markers import LICENCE_NOTE

POLICY = ("宁波将超常发力抓创新，加快芯片技术突破，部署“科创甬江2035”重点研发计划项目200个以上，力争攻克成果20项以上。"
          "去年，全市累计为上百家初创企业发放信用贷款6.5亿元，高新技术企业数量实现三年翻番。")
# the target section of a State Council work report (2019, a train document of the clause labels)
TARGETS = ("2019年国务院政府工作报告\n\n三、2019年政府工作任务\n\n今年经济社会发展的主要预期目标是：国内生产总值增长6%－6.5%；"
           "城镇新增就业1100万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右。今年拟安排地方政府专项债券2.15万亿元，"
           "比去年增加8000亿元。")
NEGATIVE = ROOT / "corpus" / "negative" / "commitments.txt"


@given(st.text(alphabet="宁波将力争，、：“”‘’（）的对给予奖励。 1+N2035", max_size=80))
def test_clauses_tile_the_sentence(text):
    spans = split_clauses(text)
    pos = 0
    for s, e in spans:
        assert text[pos:s].strip() == ""  # only spaces between clauses
        assert s < e
        pos = e
    assert text[pos:].strip() == ""


def test_a_condition_stays_with_its_provision():
    t = "对新认定的国家高新技术企业，给予20万元奖励。"
    assert [t[s:e] for s, e in split_clauses(t)] == [t]


def ctx(clause, carried="", **kw):
    return ClauseContext(clause, f"{carried}【{clause}】", carried=carried, **kw)


def test_markers_carry_forward_never_back():
    assert forward_evidence(ctx("部署项目200个以上，", "宁波将超常发力抓创新，")) == "sentence"
    assert forward_evidence(ctx("站在全新起点，")) is None
    assert forward_evidence(ctx("加快建设研究中心", in_list=True)) == "list"
    assert forward_evidence(ctx("将奖励比例下限提高至75%，")) is None  # 将 as the object marker is no future
    # a review part tells past aims with 要: only a clear future marker counts there
    assert forward_evidence(ctx("向结构调整要助力，", section="review")) is None
    assert forward_evidence(ctx("明年将继续实施，", section="review")) == "marker"


def test_bare_deadlines_lead_ins_purpose_and_procedure_are_never_commitments():
    for clause, why in [("到2025年，全区", "fragment"), ("今年发展的主要预期目标是：", "lead-in"),
                        ("为贯彻落实党中央关于科技创新的战略部署，", "purpose"), ("现印发给你们，请认真贯彻执行。", "procedure"),
                        ("特制定本行动计划。", "procedure"), ("在常态化疫情防控下，", "frame"),
                        ("（一）加强组织协调 ..................... 12", "contents")]:
        assert never(ctx(clause)) == why, clause
    assert never(ctx("加快发展先进制造业集群。")) is None


def test_rules_separate_pledge_from_record():
    assert rule_label(ctx("力争技术交易额突破900亿元。"))[0] == "commitment"
    assert rule_label(ctx("累计发放信用贷款6.5亿元，"))[0] == "achievement"
    assert rule_label(ctx("费小琛说。"))[0] == "other"
    assert rule_label(ctx("城镇新增就业1100万人以上，", in_list=True, section="plan"))[0] == "commitment"


def test_action_skips_quotes_and_prepositions():
    assert action_and_target("以世界一流标准打造甬江科创区") == ("打造", "甬江科创区")
    assert action_and_target("从‘有没有’向‘好不好’转变")[0] == "转变"


def test_document_kinds():
    assert document_kind("2019年国务院政府工作报告", "各位代表：") == "work-report"
    assert document_kind(None, "关于印发《X市支持中小企业若干措施》的通知 各区政府：") == "measures"
    assert document_kind(None, "为推动产业发展，特制定本实施方案。一、总体要求") == "action-plan"
    assert document_kind(None, "多地保障生活必需品供应 新华社北京1月28日电") == "news"


def test_commitments_of_a_policy_paragraph(pipeline):
    art = pipeline.extract(POLICY, published="2024-02-01")
    texts = [c.text for c in art.commitments]
    assert "力争攻克成果20项以上" in texts
    assert any("部署“科创甬江2035”" in t for t in texts)
    assert not any("累计" in t or "翻番" in t for t in texts)  # the review sentence gives none
    c = next(c for c in art.commitments if c.text.startswith("力争攻克"))
    assert (c.quantity.value, c.quantity.unit, c.quantity.comparator) == (20.0, "项", ">=")
    assert (c.modality, c.strength, c.deadline) == ("力争", "strive", None)  # no year stated or implied
    for c in art.commitments:
        assert art.clean_text[c.start:c.end] == c.text
        assert set(c.evidence) <= {"marker", "sentence", "list", "plan", "heading", "standing", "merged"}


def test_every_item_of_a_target_list_is_one_commitment_with_inherited_fields(pipeline):
    art = pipeline.extract(TARGETS, title="2019年国务院政府工作报告", published="2019-03-05")
    by_text = {c.text: c for c in art.commitments}
    for item in ("国内生产总值增长6%－6.5%", "城镇新增就业1100万人以上", "城镇调查失业率5.5%左右", "居民消费价格涨幅3%左右"):
        c = next(c for t, c in by_text.items() if item in t)
        assert (c.actor, c.deadline) == ("国务院", "2019"), item
        assert c.modality == "目标", item
        assert c.quantity is not None, item
    assert not any(t.endswith("目标是") or t.startswith("今年经济社会发展") for t in by_text)  # no bare lead-in
    budget = next(c for t, c in by_text.items() if "专项债券" in t)  # a budget pledge with its amount
    assert budget.modality == "拟" and budget.quantity.value == 2.15 and budget.quantity.unit == "万亿元"
    assert "比去年增加8000亿元" in budget.text and "merged" in budget.evidence  # one commitment per pledge
    assert sum("8000亿元" in t for t in by_text) == 1


def test_an_untitled_plan_is_titled_by_its_first_line_and_its_tasks_take_its_span(pipeline):
    # a record that opens with its title line, then its first numbered part: the numbered line is no title
    text = ("服务业数字化转型行动方案（2021—2023）\n\n一、总体目标\n\n为推进服务业高质量发展，制定本方案。\n\n"
            "二、重点任务\n\n（一）加快建设服务业数字化平台。推动企业上云用数赋智。")
    art = pipeline.extract(text)
    assert art.title == "服务业数字化转型行动方案（2021—2023）"
    task = next(c for c in art.commitments if "加快建设服务业数字化平台" in c.text)
    assert task.deadline == "2021-2023"


def test_a_news_item_on_a_new_document_reports_its_provisions(pipeline):
    text = ("江西：六大举措保障就业\n\n2月13日，省政府办公厅、省人社厅联合印发《关于做好就业工作的通知》，"
            "从保障企业用工、支持企业稳定就业等方面提出措施。对重点企业指定专人对接，优先发布用工信息。"
            "今年以来，全省已帮助企业招工10万人。")
    art = pipeline.extract(text)
    found = {c.text: c for c in art.commitments}
    # no future word anywhere: the lead's 联合印发《……》 makes the item a report of the document's
    # provisions — its clauses reach the classifier as a plan part's, which keeps what it believes
    sites = clause_contexts(art.paragraphs, art.clean_text, title=art.title, kind="news")
    provisions = [s.ctx for s in sites if s.ctx.clause.startswith(("对重点企业", "优先发布"))]
    assert len(provisions) == 2 and all(forward_evidence(c) == "plan" for c in provisions)
    assert "优先发布用工信息" in found
    assert {c.actor for c in found.values()} == {"省政府办公厅、省人社厅"}
    assert not any("帮助企业招工" in t for t in found)  # what was done stays an achievement


def test_a_call_carries_over_its_sentence_also_in_a_review_part(pipeline):
    # a congress report's review part ends with a call: who must act, then comma pieces without a modal
    text = ("一、过去五年的工作\n\n五年来，我们取得了显著成就。全党要牢牢把握社会主义初级阶段这个基本国情，"
            "牢牢立足社会主义初级阶段这个最大实际，坚持改革开放。我们已经完成了主要任务。")
    texts = [c.text for c in pipeline.extract(text).commitments]
    assert {"牢牢立足社会主义初级阶段这个最大实际", "坚持改革开放"} <= set(texts)
    assert not any("取得了显著成就" in t or "完成了主要任务" in t for t in texts)


def test_a_speech_address_closes_the_review_part_of_a_report_without_headings(pipeline):
    text = ("各位代表！\n\n五年来，我们完成了第四个五年计划，粮食连年丰收。\n\n各位代表！\n\n"
            "我们的首要任务，是继续开展增产节约运动。要依靠广大群众，认真解决好人民内部矛盾。"
            "新时期党的一切工作，都必须保证党的基本路线的贯彻执行。")
    texts = [c.text for c in pipeline.extract(text).commitments]
    assert "认真解决好人民内部矛盾" in texts
    assert "都必须保证党的基本路线的贯彻执行" in texts  # no procedural formula: nobody is asked to carry out a notice
    assert not any("粮食连年丰收" in t or "完成了第四个五年计划" in t for t in texts)


def test_where_a_document_names_its_issuer_beyond_its_title():
    # a signature spaced out or broken by the layout, with a register's note after the date
    assert document_actor(None, "……。专此函复。\n科 技 部\n2019年5月22日\n（此件主动公开）", "notice") == "科技部"
    assert document_actor(None, "各地要做好防控工作。" * 40 + "严肃责任追究。 广西壮族自治区新型冠状病毒感染的肺炎疫情 防控工作领导小组指挥部 2020年1月27日 "
                                "扫一扫在手机打开当前页", "notice") == "广西壮族自治区新型冠状病毒感染的肺炎疫情防控工作领导小组指挥部"
    # a body's numbered order; a guide that says who wrote it; the item on carrying it out
    assert document_actor(None, "某市疫情防控指挥部令（第1号） 各区县人民政府：为切实加强防控工作……", "notice") \
        == "某市疫情防控指挥部"
    assert document_actor(None, "智慧社区是……。本指南由住房和城乡建设部组织编制。一、总则", "notice") == "住房和城乡建设部"
    closing = "一、主要任务\n（一）推动绿色发展。\n二、保障措施\n（一）强化组织实施。国家能源局牵头建立专项协调推进机制。"
    assert document_actor(None, closing, "notice") == "国家能源局"
    # news: the body a reporter heard from (a bank, an association), a document a place issued, a day's issue
    assert document_actor(None, "工行支持复工 中证网讯 记者26日从中国工商银行获悉，工行实施……", "news") == "中国工商银行"
    assert document_actor(None, "上海宝山出台细则 记者从宝山区近期发布的《实施细则》中了解到，……", "news") == "宝山区"
    assert document_actor(None, "宁波发布意见 新华社宁波2月16日电（记者 顾小立）宁波市委、市政府16日联合印发《若干意见》，……",
                          "news") == "宁波市委"
    assert document_actor(None, "国家能源局：保障煤炭供应 新华社北京2月1日电 国家能源局1日发布通知，部署……", "news") == "国家能源局"
    assert document_actor(None, "权威发布 2月6日，国务院联防联控机制召开新闻发布会，介绍……", "news") == "国务院联防联控机制"
    assert document_actor(None, "郑州市市长主持召开市政府常务会议 2月21日，郑州市市长主持召开市政府第47次常务会议。会议要求……",
                          "news") == "郑州市"


def test_the_department_table_names_each_department_once():
    from nlp_service.evaluation import department_names, load_department_table

    table = load_department_table()
    english = [en for en, _ in table]
    assert len(english) == len(set(english)) and all(zh and all(zh) for _, zh in table)
    # the longest English name that opens the record's list wins: the office, not its ministry
    assert department_names("General Office of the Ministry of Industry and Information Technology, "
                            "General Office of the Ministry of Finance", table)[0] == "工业和信息化部办公厅"
    assert department_names("Ministry of Industry and Information Technology of the People's Republic of China",
                            table)[0] == "工业和信息化部"
    assert department_names("Ministry of Magic", table) is None


def test_a_group_named_by_where_it_comes_from_acts_before_its_modal(pipeline):
    text = "住宅小区管理要求明确：返京人员必须据实登记，及时申报。"
    c = next(c for c in pipeline.extract(text).commitments if "据实登记" in c.text)
    assert c.actor == "返京人员"


def test_the_issuer_of_an_unsigned_plan_is_the_body_that_carries_it_out(pipeline):
    text = ("智能制造发展规划\n\n一、重点任务\n\n（一）推动企业数字化转型。\n\n二、组织实施\n\n"
            "工业和信息化部会同有关部门做好规划的组织实施，各地要结合实际抓好落实。")
    task = next(c for c in pipeline.extract(text).commitments if "推动企业数字化转型" in c.text)
    assert task.actor == "工业和信息化部"
    # a scrape joins the signature to the last sentence with one space
    signed = "关于做好复工的通知\n\n各银行要加大信贷投放。 中国人民银行成都分行办公室\xa0\xa0 2020年2月1日"
    loan = next(c for c in pipeline.extract(signed).commitments if "加大信贷投放" in c.text)
    assert loan.actor == "各银行"
    assert document_actor(None, "各银行要加大信贷投放。 中国人民银行成都分行办公室\xa0\xa0 2020年2月1日",
                          "notice") == "中国人民银行成都分行办公室"
    # joint issuers before the title: the first leads; one body alone before other words is the site
    # a scrape came from, not the issuer
    assert document_actor(None, "甘肃省医疗保障局 甘肃省财政厅 关于延长参保缴费期的通知 各市州医疗保障局：……",
                          "notice") == "甘肃省医疗保障局"
    assert document_actor(None, "财政部 税务总局 关于捐赠税收政策的公告 为进一步支持疫情防控工作，现公告如下。",
                          "notice") == "财政部"
    assert document_actor(None, "铜川市人民政府 政策文件 各区县人社局：为做好疫情防控工作，现通知如下。",
                          "notice") != "铜川市人民政府"
    # a signature block with 印发 after its date; an unsigned plan of a province that calls itself 我省
    assert document_actor(None, "各市要抓好落实。\n\n山东省人民政府办公厅 2020年12月10日印发", "notice") == "山东省人民政府办公厅"
    printed = "提高社会公众对人工智能的认知水平。" * 20 + "\n\n青岛市工业和信息化局办公室 2020年9月22日印发"
    assert document_actor(None, printed, "notice") == "青岛市工业和信息化局"  # the bureau's office prints it
    assert document_actor(None, "为全面提升我省创新能力，制定本方案。山东省加快建设。山东省推进改造。江苏省经验值得借鉴。",
                          "action-plan") == "山东省"
    # 国务院 and a joint mechanism sign; a title forwarded by a body the scrape left out names the one forwarded
    assert document_actor(None, "各地区各部门要抓好落实。\n\n国务院\n2022年6月6日", "notice") == "国务院"
    assert document_actor(None, "要确保供应。 国务院应对新型冠状病毒感染肺炎疫情联防联控机制 2020年2月12日",
                          "notice") == "国务院应对新型冠状病毒感染肺炎疫情联防联控机制"
    assert document_actor(None, "转发北京市应急管理局关于危化品企业复产复工的安全提示 为做好本市……", "notice") \
        == "北京市应急管理局"
    assert document_actor("山东省人民政府办公厅转发省发展改革委关于推进项目建设的通知", "各市要抓好落实。",
                          "notice") == "山东省人民政府办公厅"
    # an office's seal in brackets stands for its body's; a document a notice carries out names no author
    assert document_actor(None, "各省粮食局：请抓好落实。\n附件：1.进展表\n（国家粮食局办公室代章）\n2018年5月2日",
                          "notice") == "国家粮食局"
    assert document_actor(None, "培养方案（试行）\n为落实教育部、财政部印发的《若干意见》，进一步深化改革。",
                          "notice") is None
    # a work report without its title says for whom it speaks
    assert document_actor(None, "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。", "work-report") == "国务院"
    assert document_actor(None, "各位代表：现在，我代表上海市人民政府，向大会报告工作。", "work-report") == "上海市人民政府"


def test_plan_document_provisions_are_commitments(pipeline):
    text = "南沙区促进科技创新若干措施\n\n第八条 对新认定的国家高新技术企业，给予20万元奖励。\n\n第九条 申请单位须在南沙注册。"
    art = pipeline.extract(text)
    assert any("给予20万元奖励" in c.text for c in art.commitments)
    assert not any("须在南沙注册" in c.text for c in art.commitments)


@needs_shared
def test_past_results_and_procedure_are_not_commitments(pipeline):
    lines = [x for x in NEGATIVE.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]
    assert len(lines) >= 60
    found = {line: [c.text for c in pipeline.extract(line).commitments] for line in lines}
    assert {k: v for k, v in found.items() if v} == {}


def _sample_scores(tmp_path):
    out = tmp_path / "r.json"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "nlp_service.cli", "extract", str(SAMPLE), "--json"], stdout=fh, check=True)
    scores = json.loads(subprocess.run([sys.executable, str(SCORER), str(SEED_GOLD), str(out)],
                                       capture_output=True, text=True, check=True).stdout)
    return scores, json.loads(out.read_text())


@needs_shared
@pytest.mark.xfail(strict=True, reason="measured recall 0.90 / precision 0.57 at version 46: most predictions the seed "
                   "gold lacks are clauses of quoted plans, clauses that continue a 将/要/着力 sentence, which "
                   "guide commitments-v2 counts, and news clauses of the gate's report route "
                   "(docs/commitments.md)")
def test_sample_article_meets_the_issue_bars(tmp_path):
    scores, _ = _sample_scores(tmp_path)
    assert scores["commit_recall"] == 1.0 and scores["commit_precision"] >= 0.9


@needs_shared
def test_sample_article(tmp_path):
    scores, result = _sample_scores(tmp_path)
    assert scores["slogan_recall"] >= 0.9 and scores["slogan_hard_errors"] == []
    assert scores["commit_hard_errors"] == 0
    pledge = next(c for c in result["commitments"] if "技术交易额突破900亿元" in c["text"])
    assert (pledge["modality"], pledge["strength"], pledge["action"], pledge["target"]) == ("力争", "strive", "突破", "技术交易额")
    assert pledge["quantity"]["value"] == 900 and pledge["quantity"]["unit"] == "亿元"
    speech = next(c for c in result["commitments"] if "抓战略" in c["text"])
    # 我们 resolved to the speaker's body: the official who has the floor (宁波市科技局局长费小琛说, read whole)
    assert speech["actor"] == "宁波市科技局"


@needs_shared
def _dev_rows() -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-m", "nlp_service.cli", "eval", "--commitments", "--split", "dev"],
                         capture_output=True, text=True, check=True).stdout
    return {line.split()[0]: line.split() for line in out.splitlines() if line.startswith(("dev-", "ALL"))}


def _pr(rows: list[list[str]]) -> tuple[float, float]:
    gold, found, predicted = (sum(int(r[k]) for r in rows) for k in (1, 2, 3))
    right = sum(round(float(r[4]) * int(r[3])) for r in rows)  # predictions that are right (gold or optional)
    return right / predicted, found / gold


def test_dev_excerpts_the_bars_were_met_on_still_meet_them():
    """dev-01 … dev-44 (corpus/gold/commitments-v2): the issue's bars for P and R, kept by every version since."""
    rows = [r for k, r in _dev_rows().items() if k.startswith("dev-v")  # the ten v1 gold excerpts, then dev-01 … 44
            or (k.startswith("dev-") and int(k.split("-")[1]) <= 44)]
    precision, recall = _pr(rows)
    assert precision >= 0.88 and recall >= 0.88, (precision, recall)


@pytest.mark.xfail(strict=True, reason="with the news, notice and congress-report excerpts that joined dev after "
                   "their scoring as val (dev-45 … dev-368), recall on all 368 is 0.843 at version 46 (P 0.858): "
                   "news recall 0.765")
def test_all_dev_excerpts_meet_the_bars():
    row = _dev_rows()["ALL"]
    assert float(row[4]) >= 0.88 and float(row[5]) >= 0.88, row


def _later_test_excerpts(frozen: dict) -> list[dict]:
    """The excerpts of the blind splits frozen after the first (test-b, test-c, …) in FROZEN.json."""
    return [t for v in frozen.values() if isinstance(v, dict) and "excerpts" in v for t in v["excerpts"]]


def test_gold_files_are_valid_and_the_test_split_is_frozen():
    gold = Path(ROOT / "corpus" / "gold" / "commitments-v2")
    frozen = json.loads((gold / "FROZEN.json").read_text(encoding="utf-8"))
    assert len(frozen["test"]) >= 40 and len({t["kind"] for t in frozen["test"]}) >= 6
    assert len(frozen["test-b"]["excerpts"]) >= 20  # the second blind split, frozen before its labels
    assert len(frozen["test-c"]["excerpts"]) >= 40  # the third
    blind = frozen["test"] + _later_test_excerpts(frozen)
    files = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in gold.glob("test-*.json")}
    assert set(files) == {t["id"] for t in blind}
    for t in blind:  # the excerpt is the one frozen, and it is annotated
        g = files[t["id"]]
        assert (g["source"], g["source_start"], g["source_end"]) == (t["source"], t["source_start"], t["source_end"])
        assert g["annotator"]
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_commitment_gold.py")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:]


def test_no_train_clause_stands_in_a_test_document():
    rows = [json.loads(x) for x in (ROOT / "corpus/clauses/v2/clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    frozen = json.loads((ROOT / "corpus/gold/commitments-v2/FROZEN.json").read_text(encoding="utf-8"))
    labelled = {x.split("\t", 1)[0] for f in (ROOT / "corpus/clauses/v2/labels").glob("*.tsv")
                for x in f.read_text(encoding="utf-8").splitlines() if x and not x.startswith(("#", "id\t"))}
    assert len(labelled) >= 2172 + 1500  # the v1 clauses relabelled and the new ones (guide commitments-v2)
    # the clauses of every document a test excerpt comes from are kept out of training
    assert len(rows) >= 3400 and {r["label"] for r in rows} == {"commitment", "achievement", "other"}
    fresh = [t for t in _later_test_excerpts(frozen) if t["tier"] == "fresh"]  # else an unread run of a used one
    assert not {r["doc"] for r in rows} & {t["source"] for t in frozen["test"] + fresh}
    # nor is any train sentence a sentence of a test excerpt (reprints), compared on Han characters;
    # the one exception is the source's licence note that closes every congress report (著作权法 ……)
    han = re.compile(r"[\u4e00-\u9fff]")
    test_text = "".join("".join(han.findall(json.loads(p.read_text(encoding="utf-8"))["text"]))
                        for p in (ROOT / "corpus/gold/commitments-v2").glob("test-*.json"))
    sentences = {"".join(han.findall(r["sentence"])) for r in rows if not LICENCE_NOTE.search(r["sentence"])}
    assert not [s for s in sentences if len(s) >= 10 and s in test_text]


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_clause_lists(pipeline, text):
    from nlp_service.extract.commitments import find_commitments

    assert find_commitments((), text, title=None, year=None, indicators=(), paragraph_topics={},
                            classifier=pipeline.resources.clause_classifier) == []


def test_a_figure_a_work_report_sets_for_its_year_is_a_commitment(pipeline):
    # read in the spring of the year it plans: 今年 with a figure sets a target (the classifier alone
    # turned these two down in the 2015 report)
    text = ("各位代表：\n\n二、2015年政府工作总体部署\n\n加快推进农业现代化。坚持“三农”重中之重地位不动摇，"
            "加快转变农业发展方式，让农业更强、农民更富、农村更美。\n\n今年粮食产量要稳定在5.5亿吨以上，"
            "保障粮食安全和主要农产品供给。今年新增退耕还林还草66.7万公顷，造林600万公顷。"
            "今年是改革开放37周年。今年一季度已经减税1000亿元。")
    texts = [c.text for c in pipeline.extract(text, title="2015年国务院政府工作报告").commitments]
    assert {"今年粮食产量要稳定在5.5亿吨以上", "今年新增退耕还林还草66.7万公顷"} <= set(texts)
    assert not any("周年" in t or "一季度" in t for t in texts)


def test_a_figure_a_work_report_says_the_year_will_reach_is_a_commitment(pipeline):
    # 将 + a change + a figure: the plan figures of the old reports, which the classifier read as reports
    text = ("各位代表：\n\n二、1956年的国家计划\n\n按照1956年国家计划，国营工业的劳动生产率将比上年提高17.2%；"
            "国营工业和公私合营工业的生产成本将比上年降低8.2%。本年内铁路货物周转量将比上年增长10%。"
            "1955年的工业总产值已经比上年增长了8%。")
    texts = [c.text for c in pipeline.extract(text, title="1956年国务院政府工作报告").commitments]
    assert any("劳动生产率将比上年提高17.2%" in t for t in texts)
    assert any("生产成本将比上年降低8.2%" in t for t in texts)
    assert any("铁路货物周转量将比上年增长10%" in t for t in texts)
    assert not any("已经比上年增长了8%" in t for t in texts)


def test_a_figure_a_work_report_sets_by_a_plan_verb_is_a_commitment(pipeline):
    # 拟定为, 指标为, 计划增加: how the plans of the old reports set their figures; not the plan a figure is measured by
    text = ("各位代表：\n\n二、一九五八年的国民经济计划\n\n一九五八年农业机器拖拉机站计划增加拖拉机一千四百五十七台。"
            "发电量拟定为二百二十四亿五千万度。棉花的指标为三千五百万担，比上一年增加二百二十万担。"
            "一九五七年的工业总产值完成年度计划的百分之一百零四。")
    texts = [c.text for c in pipeline.extract(text, title="1958年国务院政府工作报告").commitments]
    assert any("计划增加拖拉机一千四百五十七台" in t for t in texts)
    assert any("发电量拟定为二百二十四亿五千万度" in t for t in texts)
    assert any("棉花的指标为三千五百万担" in t for t in texts)
    assert not any("完成年度计划" in t for t in texts)


def test_the_items_of_a_list_a_modal_opens_with_yixia_inherit_its_modal(pipeline):
    from nlp_service.extract.commitments.context import list_intro_end

    # 必须把握好以下政策原则：一是……。二是……: each item is a 必须; 目标和任务 names no 目标 modal
    text = ("各位代表：\n\n二、2007年的主要任务\n\n实现今年经济社会发展的目标和任务，必须把握好以下政策原则："
            "一是稳定、完善和落实政策。二是加强和改善宏观调控，控制固定资产投资和信贷规模。")
    found = {c.text: c for c in pipeline.extract(text, title="2007年国务院政府工作报告").commitments}
    assert found["一是稳定、完善和落实政策"].modality == "必须"
    assert found["控制固定资产投资和信贷规模"].modality == "必须"
    # 以下 opens a list only after a modal: what one can see (可以看到), or an app's duties (应用软件), is no task list
    assert list_intro_end("我们可以看到以下的动人的数字：") is None
    assert list_intro_end("生产企业对所提供的应用软件负有以下管理责任：") is None


def test_who_is_encouraged_acts_also_after_a_second_verb_and_a_determiner():
    from nlp_service.extract.commitments import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    clause = "鼓励和支持各民主党派、人民团体、舆论机关和人民群众进行监督。"
    f = commitment_fields(ClauseContext(clause, f"【{clause}】"), document_actor="国务院")
    assert (f.modality, f.actor) == ("鼓励", "各民主党派、人民团体、舆论机关和人民群众")
    clause = "鼓励银行机构加大信贷投放。"
    assert commitment_fields(ClauseContext(clause, f"【{clause}】"), document_actor="国务院").actor == "银行机构"


@pytest.mark.parametrize(("rest", "action", "target"), [
    ("加快建设国际科创中心", "建设", "国际科创中心"),  # jieba tags 建设 vn: after 加快 alone it is the verb
    ("进一步改革教学内容和教学方法", "改革", "教学内容和教学方法"),
    ("加快发展", "发展", None),                         # the adverb-like verb is no target
    ("技术交易额突破900亿元", "突破", "技术交易额"),     # what is measured stands before the verb
    ("每年培育30项左右智能制造首台（套）重大技术装备", "培育", None),  # 每年 is no target (the figure's metric is)
    ("依法对其不加收税款滞纳金", "不加收", "税款滞纳金"),  # a negation is part of the action, never dropped
    ("落实制造强省发展战略", "落实制造", "强省发展战略"),  # jieba tags 落实 a: a policy verb all the same
    ("必须坚决支持", "支持", None),
    ("认真落实税收优惠政策", "落实", "税收优惠政策"),  # jieba's one word 认真落实/z: adverb and verb cut apart
    ("尽量减少赴实体窗口现场的频次", "减少", "赴实体窗口现场的频次"),
    ("免税款予以退还", "退还", "免税款"),              # 予以 is no part of the target
    ("为纳税人、缴费人提供线上服务", "提供", "线上服务"),  # 缴费/v 人: a noun, who pays
    ("继续提高退休人员基本养老金", "提高", "退休人员基本养老金"),  # 退休/v 人员: no second action
    ("实现人的全面发展", "实现", "人的全面发展"),      # 人 after a verb and before 的: its object
    ("以高尚的精神塑造人。", "塑造", "人"),
    ("赤字率下降到2%左右", "下降", None),             # what it reaches: the figure's metric tells, not 到
    ("南沙区给予150万元补贴", "给予", None),           # who acts is no target (the figure's metric is)
    ("深入贯彻落实科学发展观", "贯彻落实", "科学发展观"),  # jieba's set phrase 贯彻落实/i: two verbs, one action
])
def test_action_after_adverb_like_verbs(rest, action, target):
    from nlp_service.extract.commitments.fields import action_and_target

    assert action_and_target(rest) == (action, target)


@pytest.mark.parametrize(("clause", "actor"), [
    ("明确提出企业要有力有序推动复工复产", "企业"),          # who is told acts, not who tells
    ("通知要求各地邮政管理部门要向地方党委政府汇报", "各地邮政管理部门"),
    ("形势要求我们必须抓住机遇", "我们"),
    ("符合疫情防控要求的餐饮企业可有序复工", "符合疫情防控要求的餐饮企业"),  # 要求的: no telling
    ("企业主要负责人要统筹组织企业复工复产", "企业主要负责人"),  # the subject runs to the modal, past 主要
    ("慈善组织应当事先将募捐方案报民政部门备案", "慈善组织"),      # an organisation is a body
    ("我们更寄希望于台湾人民，要广泛团结台湾同胞", "我们"),          # the modal opens a clause of the same subject
    ("建设一批以企业为主体的创新中心，探索开放协同创新模式", None),  # a verb and a quantity: what is made
])
def test_who_is_told_to_act_is_the_actor(clause, actor):
    from nlp_service.extract.commitments.fields import _modal_and_actor

    assert _modal_and_actor(clause)[1] == actor


@pytest.mark.parametrize(("clause", "actor"), [
    ("市中小企业服务中心对企业运行情况进行监测", "市中小企业服务中心"),  # the longest name before 对, not 市中小企业
    ("司法行政部门开通法律服务热线", "司法行政部门"),
    ("各级公共服务平台建立问题反映渠道", "各级公共服务平台"),
    ("区融资担保公司尽快降低担保费率", "区融资担保公司"),              # an adverb before the verb
    ("全省高新技术企业达到5000家", None),                              # what is measured, not who acts
    ("产业互联网平台初步建立", None),                                  # what is built
    ("中小微企业享受减免政策", None),                                  # a beneficiary: the granting side acts
    ("指导企业制定应急预案", None),                                    # opens with a verb: the body is its object
    ("大力支持企业参与标准制定", None),
    ("对符合条件的企业给予补贴", None),
    ("新引进的研发机构在区内购置用房的，给予补贴", None),              # who meets a condition does not act
])
def test_a_body_named_before_its_verb_acts_without_a_modal_word(clause, actor):
    from nlp_service.extract.commitments.fields import _own_subject

    assert _own_subject(clause) == actor


def test_a_speakers_body_is_read_from_where_its_name_starts():
    from nlp_service.extract.commitments.fields import speaker_body

    # a name longer than the pattern's reach is not cut (not 子技术标准化研究院, 化部信息通信管理局)
    assert speaker_body("会上，中国电子技术标准化研究院院长赵波作了发言") == "中国电子技术标准化研究院"
    assert speaker_body("，工业和信息化部信息通信管理局局长韩夏表示") == "工业和信息化部信息通信管理局"
    assert speaker_body("记者从甘肃省人力资源和社会保障厅厅长处获悉") == "甘肃省人力资源和社会保障厅"


def test_a_bracket_naming_part_of_a_body_is_no_lead_unit():
    from nlp_service.extract.commitments.fields import _lead_unit

    assert _lead_unit("要及时向税务总局（纳税服务司）报告") is None
    assert _lead_unit("远程医疗覆盖所有县级医院（省卫生健康委牵头，各市政府配合）").group(1) == "省卫生健康委"


def test_a_department_of_a_ministry_in_the_title_is_the_author():
    from nlp_service.extract.commitments.fields import document_actor

    assert document_actor("交通运输部科技司关于做好项目申报工作的通知", "各有关单位：请做好申报。") == "交通运输部科技司"


def test_a_news_text_that_opens_with_its_own_title_speaks_for_its_author():
    from nlp_service.extract.commitments.fields import document_actor

    text = ("某市经济和信息化局关于落实支持企业发展政策的说明 2月5日，某市政府办公厅印发《若干措施》。"
            "区经信局梳理了有关事项，说明如下。")
    assert document_actor(None, text, "news") == "某市经济和信息化局"


def test_an_untitled_texts_title_line_with_its_issuers(pipeline):
    from nlp_service.extract.commitments.context import ISSUER_LEAD, document_kind

    text = ("财政部 海关总署 税务总局关于防控疫情进口物资免税政策的公告 财政部公告2020年第6号 "
            "根据财政部、海关总署和税务总局联合发布的《慈善捐赠物资免征进口税收暂行办法》等有关规定，"
            "自2020年1月1日至3月31日，实行更优惠的进口税收政策，现公告如下：\n\n"
            "一、对捐赠用于疫情防控的进口物资，免征进口关税和进口环节增值税、消费税。")
    # the title line says what the document is (a date like 3月31日， is no sign of news then)
    assert document_kind(None, text) == "notice"
    assert document_actor(None, text, "notice") == "财政部"  # 海关总署: a body too
    assert ISSUER_LEAD.search(text) is None  # a document it acts on (根据……联合发布的《……》) is no news of its own
    found = pipeline.extract(text).commitments
    assert found and all(c.start > text.index("的公告") for c in found)  # the title is no commitment


def test_ordinal_headings_stay_under_the_part_they_divide(pipeline):
    # 第一，…… divides 二、……建议 (the plan part of a work report): its tasks keep the part's section
    text = ("一、关于过去五年的政府工作\n\n五年来，经济持续发展，粮食产量达到五亿吨。\n\n"
            "二、关于1998年政府工作的建议\n\n第一，进一步稳定和加强农业\n\n"
            "加强农田水利基本建设，扩大防洪库容，加固河流堤防，疏浚中小河流。")
    art = pipeline.extract(text, title="1998年国务院政府工作报告")
    assert [p.level for p in art.paragraphs if p.kind == "heading"] == [2, 2, 3]
    assert {"扩大防洪库容", "加固河流堤防"} <= {c.text for c in art.commitments}


def test_a_provision_acts_after_its_condition():
    from nlp_service.extract.commitments import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    clause = "泄漏举报人信息的，依法追究责任"
    f = commitment_fields(ClauseContext(clause, f"【{clause}】"), document_actor="指挥部")
    assert (f.action, f.target) == ("追究", "责任")


def test_a_target_list_lead_in_gives_the_modality_without_its_colon_and_addressees_are_no_commitments():
    from nlp_service.extract.commitments import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields
    from nlp_service.extract.commitments.gate import never

    clause = "每年培育10家左右智能制造系统解决方案供应商，"
    f = commitment_fields(ClauseContext(clause, f"【{clause}】", in_list=True, lead_in="具体目标："))
    assert f.modality == "目标"
    line = "……工作的通知 各市、县（区）人民政府，平潭综合实验区管委会，各大企业，【各高等院校:】"
    assert never(ClauseContext("各高等院校:", line)) == "addressees"
    task = "【各地要做好以下工作：】"
    assert never(ClauseContext("各地要做好以下工作：", task)) != "addressees"


def test_a_marker_inside_a_quoted_name_says_nothing_of_the_sentence():
    from nlp_service.extract.commitments.context import says_future
    from nlp_service.extract.commitments.fields import _modal_and_actor

    past = "为继续落实“两个确保”和“三条保障线”，2003年中央财政支出700亿元"
    assert not says_future(past) and _modal_and_actor(past)[0] is None
    assert says_future("实现“十四五”良好开局")  # a five-year plan in quotes still looks forward
    speech = "他说：“我们将加快建设创新型城市。”"  # quoted speech is no name: its 将 counts
    assert says_future(speech) and _modal_and_actor(speech)[0] == "将"


def test_a_place_named_before_the_modal_is_the_actor_over_the_documents_author():
    from nlp_service.extract.commitments import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    for clause, actor in (("新疆将充分利用互联网招聘、在线面试等多种举措。", "新疆"),  # a region, not the author
                          ("山东将建立农产品跨省流通协调机制。", "山东"),
                          ("今年将建立农产品跨省流通协调机制。", "卫健委")):  # a time word is no actor
        f = commitment_fields(ClauseContext(clause, f"【{clause}】"), document_actor="卫健委")
        assert (f.modality, f.actor) == ("将", actor), clause


@pytest.mark.parametrize(("text", "deadline"), [
    ("确保到二○二○年基本实现机械化", "2020"),         # a year of the 2000s in numerals (congress reports)
    ("努力实现“九五”计划和二零一零年远景目标", "2010"),
    ("从二〇二〇年到二〇三五年基本实现社会主义现代化", "2020-2035"),
    ("在一九五八年完成", "1958"),
    ("三千九百年", None),                                  # a numeral that is no year
])
def test_deadlines_read_years_written_in_numerals(text, deadline):
    from nlp_service.extract.commitments.fields import deadline_in

    assert deadline_in(text) == deadline


def test_a_cited_title_gives_no_modal_word_and_no_deadline():
    from nlp_service.extract.commitments.fields import _modal_and_actor, commitment_fields

    assert _modal_and_actor("为落实《国家中长期科学和技术发展规划纲要》提出的任务，启动实施专项")[0] is None
    ctx = ClauseContext("启动实施重点专项，", "为落实《发展规划纲要（2006—2020年）》，【启动实施重点专项，】",
                        carried="为落实《发展规划纲要（2006—2020年）》，")
    assert commitment_fields(ctx).deadline is None


@pytest.mark.parametrize(("text", "unit"), [
    ("对省内未发生疫情村庄(社区)的劳务人员，支持优先聘用。（省人社厅牵头）", "省人社厅"),  # (社区) goes on: no tag
    ("建立县（市、区）统一指挥、村（社区、网格）为作战单元的体系。", None),
    ("对数字经济园区（以下简称示范园区）实行入库管理。", None),                        # a note, no tag
    ("加强统筹协调。（省发展改革委牵头，各市政府配合）", "省发展改革委"),
])
def test_a_lead_unit_tag_closes_its_task(text, unit):
    from nlp_service.extract.commitments.fields import _lead_unit

    found = _lead_unit(text)
    assert (found.group(1) if found else None) == unit


@pytest.mark.parametrize(("clause", "sentence", "before", "why"), [
    ("统筹规划，", "【统筹规划，】协同推进。", "", "lead-in"),        # a principle's label heads its paragraph
    ("需求牵引，", "【需求牵引，】适度超前。", "", "lead-in"),
    ("应用牵引。", "【应用牵引。】", "", "lead-in"),
    ("统筹规划，", "【统筹规划，】协同推进。", "要求各地：", None),   # inside a paragraph: not a label
    ("三、保障措施", "【三、保障措施】", "", "lead-in"),               # a numbered sentence of its own naming its part
    ("三、保障措施，", "【三、保障措施，】加强组织领导。", "", None),   # not a sentence of its own: the classifier decides
])
def test_labels_of_principles_and_parts_are_no_tasks(clause, sentence, before, why):
    from nlp_service.extract.commitments.gate import never

    assert never(ClauseContext(clause, sentence, before=before)) == why


def test_the_gate_and_the_fields_read_yao_and_jiang_alike():
    from nlp_service.extract.commitments.context import FUTURE
    from nlp_service.extract.commitments.fields import _modal_and_actor

    for text in ("落实《国家中长期科学和技术发展规划纲要》", "将数字技术广泛应用于政府管理服务"):
        assert not FUTURE.search(text) and _modal_and_actor(text)[0] is None
    assert FUTURE.search("我们要加快发展") and _modal_and_actor("我们要加快发展")[0] == "要"


def test_a_news_clause_acts_for_the_official_who_has_the_floor(pipeline):
    # a press conference hands the floor from one ministry to the next: a clause without a subject
    # acts for the last official given the floor before it, also in a later paragraph
    text = ("多部门介绍复工复产情况 国务院联防联控机制11日举行发布会。\n\n"
            "国家发展改革委秘书长丛亮表示，各地要根据疫情实际分类施策。\n\n"
            "交通运输部运输服务司司长徐亚华表示，一方面，将全力做好交通运输服务保障工作。\n\n"
            "在做好交通运输服务保障方面，还将做好农民工返岗的包车运输，逐步恢复城市公共交通服务。")
    actors = {c.text: c.actor for c in pipeline.extract(text).commitments}
    assert actors["各地要根据疫情实际分类施策"] == "各地"
    assert actors["还将做好农民工返岗的包车运输"] == "交通运输部运输服务司"
    assert actors["逐步恢复城市公共交通服务"] == "交通运输部运输服务司"


def test_a_news_item_names_its_source_body():
    from nlp_service.extract.commitments.fields import document_actor

    assert document_actor(None, "春耕备耕有序推进 记者从黑龙江省农业农村厅获悉，……", "news") == "黑龙江省农业农村厅"
    assert document_actor(None, "复课安排公布 2月6日，据中山市教育和体育局消息，……", "news") == "中山市教育和体育局"


def test_a_rule_a_news_item_quotes_is_a_commitment_the_law_it_explains_is_not(pipeline):
    new_rule = ("中山在线学习方案公布 2月6日，据中山市教育和体育局消息，在线学习指导意见正式出台。"
                "同时，严禁学校和培训机构借网络学习名义违规组织培训，严禁商业广告进校园。")
    found = {c.text: c.actor for c in pipeline.extract(new_rule).commitments}
    assert found.get("严禁商业广告进校园") == "中山市教育和体育局"
    law = ("疫情防控捐赠法律问答 记者整理了相关法律问题。捐赠人可以与慈善组织约定捐赠财产的用途，"
           "但捐赠人不得向利害关系人进行定向捐赠。法律依据：《慈善法》第四十条 捐赠人与慈善组织约定捐赠财产的用途。")
    assert not [c for c in pipeline.extract(law).commitments if "不得" in c.text]
    from nlp_service.extract.commitments import ClauseContext
    from nlp_service.extract.commitments.gate import explicit_rule

    assert not explicit_rule(ClauseContext("社区防控来不得半点马虎，", "【社区防控来不得半点马虎，】"))
    assert not explicit_rule(ClauseContext("应当指出，", "【应当指出，】"))


def test_the_agent_a_clause_names_acts():
    from nlp_service.extract.commitments import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    def actor(clause: str) -> str | None:
        return commitment_fields(ClauseContext(clause, f"【{clause}】"), document_actor="某省人民政府").actor

    assert actor("数字版教材由市教育和体育局准备好。") == "市教育和体育局"
    assert actor("由市农业农村局会同相关部门负责政策解释。") == "市农业农村局"
    assert actor("一律由国家计委审批。") == "国家计委"
    assert actor("由传统的柜面操作调整为医疗机构直接上传信息。") == "某省人民政府"  # 由……调整为: no agent


def test_a_news_item_that_names_the_document_first_reports_its_provisions():
    from nlp_service.extract.commitments.context import DOCUMENT_ISSUED, ISSUER_LEAD

    lead = "2月6日，据中山市教育和体育局消息，《中山市中小学延期开学期间在线学习指导意见》正式出台。"
    assert ISSUER_LEAD.search(lead) is None and DOCUMENT_ISSUED.search(lead)
    assert not DOCUMENT_ISSUED.search("《数字经济发展报告》发布会在京举行。")  # a press conference


def test_a_deployment_in_news_carries_to_the_items_it_opens(pipeline):
    text = ("人社部：多措并举做好稳就业\n\n人力资源社会保障部就业促进司司长张莹说，人社部会同有关部门做出专门部署，"
            "全力做好稳就业工作。\n\n一是充分挖掘现有的就业机会。对重点企业指定专人对接，优先发布用工信息。\n\n"
            "二是支持中小微企业稳定就业。扩大中小微企业稳岗返还政策的受益面。\n\n"
            "今年以来，全国已帮助企业招工10万人。")
    art = pipeline.extract(text)
    sites = clause_contexts(art.paragraphs, art.clean_text, title=art.title, kind="news")
    by_clause = {s.ctx.clause.rstrip("，。"): s.ctx for s in sites}
    # the items of the enumeration a deployment opens look forward (paragraphs apart from it) ...
    for item in ("对重点企业指定专人对接", "优先发布用工信息", "扩大中小微企业稳岗返还政策的受益面"):
        assert forward_evidence(by_clause[item]) == "sentence", item
    # ... until a paragraph that is no item of it; what was done stays without evidence
    done = next(c for k, c in by_clause.items() if "帮助企业招工" in k)
    assert forward_evidence(done) is None
    # the deployment of the decision already made, not one that was only mentioned (按照……作出的部署)
    from nlp_service.extract.commitments.context import DEPLOYS
    assert DEPLOYS.search("人社部会同有关部门做出专门部署，") and DEPLOYS.search("《通知》提出了4个方面的要求。")
    assert not DEPLOYS.search("按照党中央作出的部署，")


def test_a_news_pledge_gives_its_modal_to_the_sentences_that_list_it():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    pledge = "据了解，福建省将开足马力“扩产一批”，最大限度促进现有企业释放产能。"
    item = ClauseContext("支持关键材料、配件的配套生产；", "【支持关键材料、配件的配套生产；】", kind="news", carried=pledge)
    assert commitment_fields(item).modality == "将"
    # not the modal of a purpose (为确保……) or of a rule (不得), and not outside news
    purpose = ClauseContext("支持关键材料、配件的配套生产；", "【支持关键材料、配件的配套生产；】", kind="news",
                            carried="为确保物资供应，省工信厅组织企业开展生产。")
    assert commitment_fields(purpose).modality is None
    notice = ClauseContext("支持关键材料、配件的配套生产；", "【支持关键材料、配件的配套生产；】", kind="notice", carried=pledge)
    assert commitment_fields(notice).modality is None


def test_the_validation_split_scores_commitments_only():
    out = subprocess.run([sys.executable, "-m", "nlp_service.cli", "eval", "--split", "val"],
                         capture_output=True, text=True)
    assert out.returncode != 0 and "commitments only" in out.stderr
    gold = ROOT / "corpus" / "gold" / "commitments-v2"
    val = [p for p in gold.glob("dev-*.json") if json.loads(p.read_text(encoding="utf-8"))["split"] == "val"]
    assert val  # held back from the rules of the version that first scores them


@needs_shared
def test_no_validation_document_is_a_reprint_of_another_gold_document():
    """A `val` excerpt measures documents the rules were not written on: none shares more than a tenth of
    its sentences with the document of another gold excerpt (the draw's own test, `_twin`)."""
    import importlib.util

    from nlp_service.training.corpus import source_document

    spec = importlib.util.spec_from_file_location("freeze_split", ROOT / "scripts" / "freeze_commitment_split.py")
    assert spec and spec.loader
    freeze = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(freeze)
    split_of: dict[str, set[str]] = {}
    for p in (ROOT / "corpus" / "gold" / "commitments-v2").glob("*.json"):
        g = json.loads(p.read_text(encoding="utf-8"))
        if "source" in g:
            split_of.setdefault(g["source"], set()).add(g["split"])
    texts = {src: source_document(src)[0] for src in split_of}
    val = [src for src, splits in split_of.items() if "val" in splits]
    assert val
    for src in val:
        others = set().union(*(freeze.sentence_keys(t) for s, t in texts.items() if s != src))
        assert not freeze._twin(texts[src], others), src


def test_a_framework_that_says_so_is_an_official_document():
    from nlp_service.extract.commitments.context import document_kind

    opening = "人工智能是人类发展新领域。为有效防范化解人工智能安全风险，制定本框架。\n1.人工智能安全治理原则"
    assert document_kind(None, opening) == "notice"  # not a news item: its 应 rules are provisions


def test_a_requirement_a_news_item_quotes_looks_forward(pipeline):
    text = ("国家卫健委：关心一线医务人员\n\n国家卫生健康委介绍，近日国务院办公厅转发《关于改善一线医务人员工作条件切实关心"
            "医务人员身心健康若干措施》的通知，要求改善医务人员工作和休息条件，维护医务人员身心健康，落实医务人员待遇。"
            "按照疫情防控要求，全市已有12家医院完成改造。")
    art = pipeline.extract(text)
    sites = clause_contexts(art.paragraphs, art.clean_text, title=art.title, kind="news")
    by_clause = {s.ctx.clause.rstrip("，。"): s.ctx for s in sites}
    assert forward_evidence(by_clause["要求改善医务人员工作和休息条件"]) == "marker"  # the requirement itself
    assert forward_evidence(by_clause["落实医务人员待遇"]) == "sentence"  # 要求 + a long first item carries on
    # 要求 as the noun of a basis (按照……要求) states none; what follows it reports the past
    basis = next(c for k, c in by_clause.items() if k.startswith("按照疫情防控要求"))
    assert forward_evidence(basis) is None


def test_a_news_paragraph_on_a_document_just_issued_is_a_plan_part(pipeline):
    text = ("重庆多措并举支持企业\n\n记者从市经信委获悉，全市已有1200家企业复工。" + "各区县已组织企业有序复工复产。" * 30 + "\n\n"
            "对疫情防控研发企业予以资助。市科技局发布《若干举措》，对涉及疫情防控企业的新产品研发，优先给予立项支持。")
    art = pipeline.extract(text)
    sites = clause_contexts(art.paragraphs, art.clean_text, title=art.title, kind="news")
    support = next(s.ctx for s in sites if "优先给予立项支持" in s.ctx.clause)
    done = next(s.ctx for s in sites if "1200家企业复工" in s.ctx.clause)
    assert support.section == "plan" and done.section != "plan"


def test_a_congress_report_lays_down_tasks_outside_its_review_part(pipeline):
    text = ("同志们：\n\n现在，我代表第十五届中央委员会向大会作报告。\n\n一、过去五年的工作\n\n"
            "五年来，我们加强立法工作，形成了较为完备的法律体系。\n\n二、政治建设和政治体制改革\n\n"
            "（一）加强社会主义法制建设。加强立法工作，提高立法质量。推行电子政务，降低行政成本。")
    art = pipeline.extract(text, title="在中国共产党第十六次全国代表大会上的报告")
    sites = clause_contexts(art.paragraphs, art.clean_text, title=art.title, kind="cpc-report")
    task = next(s.ctx for s in sites if s.ctx.clause.startswith("推行电子政务"))
    done = next(s.ctx for s in sites if "形成了较为完备的法律体系" in s.ctx.clause)
    # a part named by a field of work (政治建设和……) lays down tasks without a marker word
    assert (task.section, forward_evidence(task)) == ("plan", "plan")
    assert done.section == "review" and forward_evidence(done) is None
    assert any(c.text.startswith("推行电子政务") for c in art.commitments)


@needs_shared
def test_a_licence_note_and_a_copyright_notice_hold_no_commitment(pipeline):
    from nlp_service.text.markers import LICENCE_BLOCK_START
    from nlp_service.training.corpus import source_document

    # the 16th congress report closes with its source's licence note (本作品来自……, 版权失效模板)
    text, title = source_document("gov-work-reports/cpc_congress_reports.jsonl#全面建设小康社会，开创中国特色社会主义事业新局面 (十六大)")
    art = pipeline.extract(text, title=title)
    note = LICENCE_BLOCK_START.search(art.clean_text)
    assert note and art.commitments and all(c.start < note.start() for c in art.commitments)
    notice = "未经授权不得转载、摘编或利用其它方式使用上述作品。"
    assert never(ClauseContext(notice, f"【{notice}】", kind="news")) == "licence"
    assert never(ClauseContext("本网将追究其相关法律责任。", "违者【本网将追究其相关法律责任。】", kind="news")) == "licence"


def test_will_before_an_adverb_or_a_preposition_is_the_future():
    from nlp_service.extract.commitments.context import says_future

    # 将 before 优先/通过 is the future even with a verb the object marker takes (纳入, 减免) after it
    assert says_future("将优先纳入市技术创新与应用发展专项重点支持方向，")
    assert says_future("开发区将通过减免租金、提供补贴等多项举措为企业减压，")
    # 将 + an object + such a verb moves the object and says nothing of time
    assert not says_future("将重点人群纳入管理，") and not says_future("将从业人员纳入服务范围，")


def test_a_requirement_introduced_with_a_comma_looks_forward():
    clause = "通知要求，有力有序释放煤炭优质先进产能，"
    assert forward_evidence(ClauseContext(clause, f"【{clause}】确保市场平稳运行。", kind="news")) == "marker"


def test_a_news_lead_on_a_counted_set_of_measures_reports_a_new_policy():
    from nlp_service.extract.commitments.context import _issues_a_document

    assert _issues_a_document("云南省出台十条措施加强产业就业扶贫 为全力确保……，2月24日，省扶贫开发工作领导小组出台10项措施")
    assert _issues_a_document("北京海关日前发布《关于支持新冠肺炎疫情防控 帮扶企业复工复产有关措施的公告》，出台24条措施")
    # a count alone is no document issued, nor is a press conference
    assert not _issues_a_document("国务院常务会议确定3项措施，部署……")
    assert not _issues_a_document("记者从市政府新闻发布会获悉，全市已有1200家企业复工。")
    # a headline that counts the measures, a notice named without its title, an issuer after the
    # reporter's byline or after the verb of a press conference
    assert _issues_a_document("山西：21条税收措施助力企业复产扩能 疫情就是命令……")
    assert _issues_a_document("记者9日了解到，国家发展改革委、财政部、工业和信息化部近日发布通知，明确发挥政府储备作用")
    assert _issues_a_document("新华社济南2月14日电（记者 贾云鹏）山东省政府办公厅日前印发《关于积极应对……的若干措施》")


def test_the_issuer_of_a_news_lead_is_no_reporters_verb():
    from nlp_service.extract.commitments.context import ISSUER_LEAD

    m = ISSUER_LEAD.search("召开新闻发布会，宣布市文化改革和发展领导小组办公室出台《关于……的若干措施》")
    assert m is not None and m.group(1) == "市文化改革和发展领导小组办公室"


def test_what_a_document_requires_is_no_work_done():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.gate import document_requires

    def ctx(lead: str, clause: str) -> ClauseContext:
        return ClauseContext(clause, lead + "【" + clause + "】", kind="news", carried=lead)

    assert document_requires(ctx("通知要求，", "全面启动村(社区)防控工作，"))
    assert document_requires(ctx("在项目审批上，市生态环境局要求各级环保部门", "即刻审批疫情防控相关项目，"))
    assert not document_requires(ctx("根据市卫健委要求，", "迅速成立50人医疗护理团队，"))  # the ground of an act
    assert not document_requires(ctx("通知要求，", "全市已经完成排查。"))  # a past marker in the clause
    assert not document_requires(ctx("", "通知要求，"))  # the lead itself


def test_an_obligation_looks_forward_a_word_with_its_character_does_not():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.gate import forward_evidence

    def evidence(clause: str) -> str | None:
        return forward_evidence(ClauseContext(clause, "【" + clause + "】", kind="news"))

    assert evidence("企业须严格落实返沪员工上岗前14天隔离制度；") == "marker"
    assert evidence("企业应实行封闭管理，") == "marker"
    # without the word only news's report route passes the clause on (the classifier decides); a notice's none
    assert evidence("做好应对工作，") == "report" and evidence("保障市场供应，") == "report"
    assert forward_evidence(ClauseContext("做好应对工作，", "【做好应对工作，】", kind="notice")) is None


def test_a_count_of_what_a_document_holds_is_no_commitment():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.gate import never

    for clause in ("加大金融服务支持力度的措施6条", "共分聚合力、促精品、育动能、强支持、优服务5个部分28条"):
        assert never(ClauseContext(clause, "【" + clause + "】", kind="news")) == "contents"
    assert never(ClauseContext("出台10条措施，", "【出台10条措施，】", kind="news")) != "contents"


def test_the_subject_before_a_modal_is_read_after_an_earlier_sentence_the_clause_carries():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    # a news block carries the deployment's sentence before the clause's own: the subject stops at its 。
    carried = "《通知》对医养结合机构做好防控工作提出了4个方面的要求。各医养结合机构要切实落实主体责任，"
    ctx = ClauseContext("加强应急值守，", carried + "【加强应急值守，】", kind="news", carried=carried)
    assert commitment_fields(ctx).actor == "各医养结合机构"


def test_who_is_told_acts():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    def actor(sentence: str, clause: str) -> str | None:
        before = sentence[:sentence.index(clause)]
        ctx = ClauseContext(clause, before + "【" + clause + "】", kind="news", carried=before)
        return commitment_fields(ctx, document_actor="某省人民政府").actor

    assert actor("公安部要求各地公安机关迅速启动战时工作机制，依法打击造谣滋事行为。", "依法打击造谣滋事行为。") == "各地公安机关"
    assert actor("通知要求各地加强统筹协调，加强沟通协作。", "加强沟通协作。") == "各地"
    # 要求 as the noun of a basis names nobody: the author acts
    assert actor("按照疫情防控要求保持良好的生活习惯，加强用眼卫生。", "加强用眼卫生。") == "某省人民政府"
    # who is called or guided (号召, 指导) acts too; the people named end who acts, a manner word ends it
    call = "会议号召，全国各族人民紧密团结在党中央周围，以科学发展观为指导，坚持稳中求进工作总基调。"
    assert actor(call, "坚持稳中求进工作总基调。") == "全国各族人民"  # not the 指导 of 以……为指导
    assert actor("积极指导企业主动与职工沟通，通过电话、网络等方式远程办公。", "通过电话、网络等方式远程办公。") == "企业"
    assert actor("在市委的指导下，做好防控工作。", "做好防控工作。") == "某省人民政府"  # 指导下: no one told


def test_a_congress_report_titled_political_report_is_one():
    from nlp_service.extract.commitments.context import document_kind

    assert document_kind("在中国共产党第十一次全国代表大会上的政治报告", "同志们：") == "cpc-report"


def test_a_spaced_title_line_gives_the_kind():
    from nlp_service.extract.commitments.context import document_kind

    text = ("“综合交通运输与智能交通”重点专项2021 年度项目申报指南建议（征求意见稿）\n为落实……的任务，现提出 2021 年度项目申报指南建议。"
            "\n1.1 高速公路基础设施……关键技术研究\n研究内容：研究……")
    assert document_kind(None, text) == "notice"


def test_who_is_asked_or_named_as_agent_or_as_the_public_acts():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.fields import commitment_fields

    def actor(clause: str, sentence: str | None = None) -> str | None:
        ctx = ClauseContext(clause, sentence or "【" + clause + "】", kind="notice")
        return commitment_fields(ctx, document_actor="江西省人民政府办公厅").actor

    assert actor("请各地积极配合专项督导组开展相关工作，") == "各地"
    assert actor("由各设区市政府办公室和赣江新区管委会办公室提供书面材料，") == "各设区市政府办公室和赣江新区管委会办公室"
    assert actor("居民要严格遵守在公共场所佩戴口罩的规定，") == "居民"
    assert actor("申请人应提交材料，") == "申请人"
    assert actor("及时申请补贴，") == "江西省人民政府办公厅"  # 申请 is no request to someone


def test_a_policy_guide_is_a_notice_and_a_news_lead_may_launch_one():
    from nlp_service.extract.commitments.context import _issues_a_document, document_kind

    assert document_kind(None, "新冠肺炎疫情防控税收优惠政策指引 面对新型冠状病毒感染肺炎疫情防控的严峻形势，……") == "notice"
    assert _issues_a_document("昨天，省政府办公厅政务公开办联合省医保局推出“三个确保”，采取特殊医保政策")


def test_advice_an_authority_gives_looks_forward():
    from nlp_service.extract.commitments.context import ClauseContext
    from nlp_service.extract.commitments.gate import forward_evidence

    lead = "市税务局表示，建议公众尽量选择网上办税渠道，"
    assert forward_evidence(ClauseContext("错峰前往，", lead + "【错峰前往，】", kind="news", carried=lead)) == "sentence"
    from nlp_service.extract.commitments.gate import _ADVISES

    assert not _ADVISES.search("提出建议的代表") and not _ADVISES.search("采纳代表们的建议")  # the noun


def test_a_subject_named_earlier_in_a_notice_paragraph_acts_in_its_later_sentences():
    from nlp_service.extract.commitments.fields import commitment_fields

    para = "医疗机构应当根据疫情防控需要，调整诊疗流程。合理配置专业技术力量。"
    later = "【合理配置专业技术力量。】"
    notice = ClauseContext("合理配置专业技术力量。", later, kind="notice")
    assert commitment_fields(notice, paragraph=para, document_actor="国家卫生健康委").actor == "医疗机构"
    # in a report the author speaks for what follows a body's task
    report = ClauseContext("合理配置专业技术力量。", later, kind="work-report")
    assert commitment_fields(report, paragraph=para, document_actor="国务院").actor == "国务院"
    # the nearest earlier sentence that names one
    two = "医疗机构应当调整诊疗流程。医务人员要做好个人防护。合理配置专业技术力量。"
    assert commitment_fields(notice, paragraph=two, document_actor="国家卫生健康委").actor == "医务人员"


@pytest.mark.parametrize(("clause", "modality"), [
    ("企业应实行封闭管理，", "应"), ("须定时对场所消毒，", "须"),
    ("增强应付突发事件的能力，", None), ("相应调整工作安排，", None), ("毋须另行申报，", None),
])
def test_ying_and_xu_are_modals_only_outside_the_words_that_hold_them(clause, modality):
    from nlp_service.extract.commitments import gate
    from nlp_service.extract.commitments.fields import commitment_fields

    ctx = ClauseContext(clause, f"【{clause}】", kind="notice")
    assert commitment_fields(ctx).modality == modality
    assert bool(gate._OBLIGATION.search(clause)) == (modality is not None)  # the gate reads them alike
    # 应该 is the fields' 应 too; the gate leaves it out, as it leaves 应当 to the rules it lays down
    should = ClauseContext("企业应该实行封闭管理，", "【企业应该实行封闭管理，】", kind="notice")
    assert commitment_fields(should).modality == "应" and not gate._OBLIGATION.search(should.clause)


def test_the_items_of_a_goals_part_are_targets():
    from nlp_service.extract.commitments.gate import explicit_goal

    goal = ClauseContext("建成功能强大、服务完善的中国林业云，", "【建成功能强大、服务完善的中国林业云，】实现……",
                         heading="四、智慧林业建设目标", kind="notice", section="plan")
    assert explicit_goal(goal)
    assert not explicit_goal(ClauseContext(goal.clause, goal.sentence, heading="三、主要任务", kind="notice"))
    done = ClauseContext("已建成中国林业云，", "【已建成中国林业云，】", heading="四、建设目标", kind="notice")
    assert not explicit_goal(done)  # a result reported under the heading is no target


def test_an_obligation_carries_to_the_clauses_that_go_on_listing_it():
    sentence = "企业应实行封闭管理，【严格执行车辆、人员登记制度；】"
    ctx = ClauseContext("严格执行车辆、人员登记制度；", sentence, kind="news", carried="企业应实行封闭管理，")
    assert forward_evidence(ctx) == "sentence"
    plain = ClauseContext("严格执行车辆、人员登记制度；", sentence.replace("应", ""), kind="news",
                          carried="企业实行封闭管理，")
    assert forward_evidence(plain) == "report"  # no obligation: only news's route to the classifier
    reported = ClauseContext("严格执行车辆、人员登记制度；", "企业已实行封闭管理，【严格执行车辆、人员登记制度；】",
                             kind="news", carried="企业已实行封闭管理，")
    assert forward_evidence(reported) is None  # a sentence that reports what was done passes none of its clauses


def test_a_lead_in_that_announces_the_items_lends_them_no_modal_word():
    from nlp_service.extract.commitments.fields import commitment_fields

    item = "加强监测预警，"
    announced = ClauseContext(item, f"【{item}】", kind="notice", in_list=True,
                              lead_in="为贯彻落实党中央决策部署，坚决打赢疫情防控阻击战，现将有关事项通知如下：")
    assert commitment_fields(announced).modality is None  # 坚决 is the purpose's, not the item's
    told = ClauseContext(item, f"【{item}】", kind="notice", in_list=True, lead_in="各地要做好以下工作：")
    assert commitment_fields(told).modality == "要"


def test_a_guide_asks_its_provisions_of_those_it_is_written_for(pipeline):
    text = ("新型冠状病毒感染的肺炎流行期间餐饮服务单位防控指引\n\n根据防控要求，制定本指引。\n\n"
            "一、人员要求。每日对从业人员进行健康检查，建立健康台账。就餐人员应主动配合体温测量。")
    actors = {c.text: c.actor for c in pipeline.extract(text).commitments}
    assert actors["每日对从业人员进行健康检查"] == "餐饮服务单位"  # no subject: those the guide is written for
    assert actors["就餐人员应主动配合体温测量"] == "就餐人员"       # a subject of its own acts


def test_a_numbered_item_that_names_a_task_is_a_commitment(pipeline):
    text = ("关于推动数字文化产业高质量发展的意见\n\n各省文化和旅游厅：\n\n"
            "（二十）融入区域发展战略。推动数字文化产业与区域协调发展战略深度融合。\n\n（二）发展目标。到2025年，产业规模持续壮大。")
    found = [c.text for c in pipeline.extract(text).commitments]
    assert any(t.startswith("（二十）融入区域发展战略") for t in found), found
    assert not any(t.startswith("（二）发展目标") for t in found), found


def test_a_deputy_speaks_for_the_body_unless_another_post_follows():
    from nlp_service.extract.commitments.fields import speaker_body

    assert speaker_body("在新闻发布会上，重庆市税务局副局长姚朝智通报了系列政策。") == "重庆市税务局"
    assert speaker_body("2月21日，市委副书记、市长唐良智前往北碚区。他强调，要深入贯彻。") == "市政府"  # the mayor's
    assert speaker_body("举行新闻发布会，请国家卫生健康委党组成员、副主任王贺胜等介绍情况。") == "国家卫生健康委"  # invited

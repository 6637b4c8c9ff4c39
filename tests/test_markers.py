"""The form rules of text.markers, and paragraphs carrying the rule they matched."""

from __future__ import annotations

import pytest

from nlp_service.segment.paragraphs import split_paragraphs
from nlp_service.text.markers import han_count, heading_rule, list_marker, section_heading_line, strip_list_marker


@pytest.mark.parametrize(("text", "name"), [
    ("（一）加强组织领导。", "paren"), ("(3)控制系统", "paren"), ("一、总体要求", "cn_number"),
    ("二是加快建设。", "enumeration"), ("1．完善机制", "arabic"), ("①推进改革", "circled"),
    ("第三，扩大开放。", "ordinal"), ("第十二条 本办法自发布之日起施行。", "article"), ("——坚持创新", "bullet"),
    ("加快建设一批实验室。", None), ("2.5亿元用于补助。", "arabic"), ("", None),
])
def test_list_markers_are_named(text, name):
    assert list_marker(text) == name


def test_strip_list_marker_keeps_the_body():
    assert strip_list_marker("（二） 加快建设。") == "加快建设。"
    assert strip_list_marker("加快建设。") == "加快建设。"


@pytest.mark.parametrize(("line", "rule"), [
    ("一、2024年工作回顾", ("cn_section", 2)), ("（一）总体要求", ("cn_subsection", 3)),
    ("第一章 总则", ("chapter", 2)), ("2.1 风险管理", ("dotted", 3)), ("2.5亿元", None),
    ("一、加快建设。", None), ("（一）总体要求：", None), ("一、" + "很长的标题" * 9, None),
])
def test_heading_rules(line, rule):
    assert heading_rule(line) == rule


def test_flat_text_heading_lines():
    assert section_heading_line("一、鼓励企业科技防疫")
    assert not section_heading_line("四、")  # a bare marker: its title follows
    assert not section_heading_line("一、鼓励企业科技防疫。")


def test_paragraphs_record_their_heading_rule_and_list_marker():
    spans = split_paragraphs("一、总体要求\n（一）加强组织领导。各地要落实责任。\n二是完善机制。\n正文没有编号。")
    assert [(s.kind, s.rule, s.marker) for s in spans] == [
        ("heading", "cn_section", "cn_number"), ("body", None, "paren"), ("body", None, "enumeration"),
        ("body", None, None)]


def test_han_count_covers_extension_a_and_compatibility_ideographs():
    assert han_count("宁波㐀豈abc1") == 4


def test_the_licence_note_starts_where_a_paragraph_opens_with_its_words():
    from types import SimpleNamespace

    from nlp_service.text.markers import before_licence

    paras = [SimpleNamespace(text=t) for t in (
        "推动公共数据进入公有领域，扩大开放范围。",  # the word inside a sentence of the text: content
        "一、加快建设创新平台。",
        " 本作品来自中华人民共和国政府的官方文件，在中国不受著作权保护。",
        "2024年社群共识……",
    )]
    assert [p.text for p in before_licence(paras)] == [paras[0].text, paras[1].text]

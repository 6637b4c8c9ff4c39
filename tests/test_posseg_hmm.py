"""The array Viterbi search of jieba.posseg gives jieba's own routes and tags."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import SAMPLE, corpus_documents
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp_service.segment.posseg_hmm import hmm_tagger, viterbi

jieba_posseg = pytest.importorskip("jieba.posseg")
from jieba.posseg.viterbi import viterbi as jieba_viterbi  # noqa: E402  (after the importorskip)


def jieba_route(obs: str) -> list[tuple[str, str]]:
    p = jieba_posseg
    return jieba_viterbi(obs, p.char_state_tab_P, p.start_P, p.trans_P, p.emit_P)[1]


# characters of government text, names and rare characters (a state set jieba narrows or not at all)
ALPHABET = "费小琛张伟王芳李强习近平国务院科技局甬江实验室研发投入增长左右确保完成目标任务之乎者也曌囧槑𠀀a1"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=10))
def test_routes_equal_jiebas_on_any_string(obs):
    assert viterbi().route(obs) == jieba_route(obs)


def test_routes_equal_jiebas_on_corpus_runs():
    if not SAMPLE.exists():
        pytest.skip("../shared corpus is not beside the repo")
    docs = itertools.islice(corpus_documents(), 0, None, 40)
    runs = [m.group()[:10] for _, text in itertools.islice(docs, 12) for m in re.finditer(r"[\u4e00-\u9fd5]+", text)]
    assert len(runs) > 500
    for obs in runs[:800]:
        assert viterbi().route(obs) == jieba_route(obs), obs


@pytest.mark.parametrize("text", ["市科技局局长费小琛在北京表示", "张三丰和李小龙2024年在宁波ABC公司", "的"])
def test_tagger_cuts_as_jieba_posseg(text):
    expected = [(p.word, p.flag) for p in jieba_posseg.dt.cut(text, HMM=True)]
    assert [(p.word, p.flag) for p in hmm_tagger().cut(text, HMM=True)] == expected

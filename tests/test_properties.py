"""Property tests: any text never crashes the pipeline and every span stays valid."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp_service.errors import InputError
from nlp_service.segment.sentences import split_sentences
from nlp_service.text.normalize import normalize

# Text built from the characters that matter here: Chinese, quotes, terminators,
# full-width forms, whitespace of every kind, invisible and control characters.
ALPHABET = st.sampled_from(list(
    "宁波科技创新新质生产力一二三十百万亿国發展經濟“”‘’「」。，、；：！？…—（）《》#0123456789"
    "０１２３．％＋Ａａ&%+.-abc \t\u3000\u00a0\n\r\u2028\u200b\ufeff\x07<>/p"
))
TEXT = st.text(ALPHABET, max_size=400) | st.text(max_size=200)


@given(TEXT)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pipeline_never_crashes_and_spans_are_valid(pipeline, text):
    try:
        art = pipeline.extract(text)
    except InputError as exc:
        assert exc.code.kind.code in {"empty_text", "no_chinese"}
        return
    clean = art.clean_text
    assert len(art.clean_to_raw) == len(clean) + 1
    for p in art.paragraphs:
        assert clean[p.start:p.end] == p.text
        for s in p.sentences:
            assert p.start <= s.start < s.end <= p.end
            for t in s.tokens:
                assert s.start <= t.start < t.end <= s.end
    for ind in art.indicators:
        assert clean[ind.start:ind.end] == ind.text and ind.text in ind.sentence
    kept = {p.index for p in art.paragraphs}
    for ip in art.input_paragraphs:
        if ip.status.value == "kept":
            assert ip.index in kept
        elif ip.status.value == "duplicate":
            assert ip.duplicate_of in kept
        else:
            assert ip.merged_into in kept
        assert 0 <= ip.raw_start <= ip.raw_end <= len(text) or art.input_format == "html"


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_normalize_offsets_are_monotonic_and_in_range(text):
    n = normalize(text)
    offs = list(n.raw_offsets)
    assert len(offs) == len(n.text) + 1
    if n.input_format == "text":
        assert all(0 <= o <= len(text) for o in offs)
        assert offs == sorted(offs)


@given(st.text(ALPHABET, max_size=300))
@settings(max_examples=300, deadline=None)
def test_sentences_tile_the_paragraph(text):
    spans = split_sentences(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    # nothing but spaces falls between sentences
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")

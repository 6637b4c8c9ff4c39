"""Every government document of the corpus goes through the pipeline intact; the lexicons rest on it."""

import collections
from pathlib import Path

from conftest import corpus_documents, needs_shared

from nlp_service.clean.repeats import letters, noisy_copy
from nlp_service.extract.commitments.gate import MIN_HAN, body_han, has_predicate
from nlp_service.segment.sentences import split_sentences
from nlp_service.text.normalize import normalize

pytestmark = needs_shared


def check_article(art):
    text = art.clean_text
    for c in art.commitments:  # every commitment is a pledge, never a bare deadline or lead-in
        assert text[c.start:c.end] == c.text
        assert body_han(c.text) >= MIN_HAN, c.text
        assert c.quantity is not None or has_predicate(c.text), c.text
    for p in art.paragraphs:
        assert 0 <= p.start < p.end <= len(text) and text[p.start:p.end] == p.text
        for s in p.sentences:
            assert p.start <= s.start < s.end <= p.end and text[s.start:s.end] == s.text
            for t in s.tokens:
                assert s.start <= t.start < t.end <= s.end and text[t.start:t.end] == t.text
    assert len(art.clean_to_raw) == len(text) + 1


def lost_sentences(raw, art):
    """Sentences that occur once in the normalised input and not in clean_text.

    Compared without whitespace and punctuation. A sentence of a paragraph marked as a
    near repeat is not lost when its kept twin holds a noisy copy of it (by design).
    """
    norm = normalize(raw).text
    sentences = [letters(line[s:e]) for line in norm.split("\n") for s, e in split_sentences(line)]
    counts = collections.Counter(sentences)
    clean = letters(art.clean_text)
    kept_text = {p.index: p.text for p in art.paragraphs}
    twin_sentences = [
        letters(kept_text[p.duplicate_of][a:b])
        for p in art.input_paragraphs if p.duplicate_kind == "near"
        for a, b in split_sentences(kept_text[p.duplicate_of])
    ]
    return [s for s in sentences
            if s and counts[s] == 1 and s not in clean and not any(noisy_copy(s, t) for t in twin_sentences)]


def test_whole_corpus_no_crash_valid_spans_nothing_lost(pipeline):
    n_docs = 0
    lost = {}
    for doc_id, raw in corpus_documents():
        art = pipeline.extract(raw)
        check_article(art)
        missing = lost_sentences(raw, art)
        if missing:
            lost[doc_id] = missing[:3]
        n_docs += 1
    assert n_docs >= 900
    assert lost == {}


def test_rjieba_fast_path_gives_the_same_articles_as_jieba(pipeline):
    """The default segmenter (rjieba + ASCII-run re-cut) must match the jieba reference exactly."""
    from nlp_service.pipeline import Pipeline

    assert pipeline.resources.segmenter.backend == "rjieba"
    reference = Pipeline.build("jieba")
    compared = 0
    for n, (doc_id, raw) in enumerate(corpus_documents()):
        if n % 10:
            continue
        fast, ref = pipeline.extract(raw), reference.extract(raw)
        assert fast.clean_text == ref.clean_text, doc_id
        assert fast.input_paragraphs == ref.input_paragraphs, doc_id
        assert [t.text for s in fast.sentences for t in s.tokens] == [t.text for s in ref.sentences for t in s.tokens]
        compared += 1
    assert compared >= 90


def test_no_lexicon_entry_rests_on_the_sample_article_alone():
    """Every policy word and every slogan of the shipped lexicons occurs in a corpus document other
    than the sample article (the development example is no source of rules)."""
    from nlp_service.training.corpus import SOURCES, documents

    resources = Path(__file__).resolve().parents[1] / "nlp_service" / "resources"
    entries = {line.split("\t")[0] for name in ("policy_words.tsv", "slogans.tsv")
               for line in (resources / name).read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#") and not line.startswith("word\t")}
    corpus = "\x00".join(text for group in SOURCES for _, text, _ in documents(group))
    assert len(entries) > 600
    assert sorted(w for w in entries if w not in corpus) == []

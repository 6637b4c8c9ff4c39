"""Registrations of every pipeline component (the one place, see ``registry``).

Each adapter below reads the ``Work`` fields it requires and returns a copy
with the fields it assigns. The algorithms live in their own modules.
"""

from __future__ import annotations

from array import array
from dataclasses import replace
from functools import partial

from nlp_service.clean.layout import Piece, find_broken_paragraphs
from nlp_service.clean.repeats import Repeat, find_exact_repeats, find_near_and_contained
from nlp_service.document import InputParagraph, Paragraph, ParagraphStatus, Sentence
from nlp_service.errors import ErrorCode, InputError
from nlp_service.extract.commitments import find_commitments
from nlp_service.extract.entities import find_entities
from nlp_service.extract.indicators import (
    SentenceContext,
    find_indicators,
    heading_years,
    paragraph_years,
    review_years,
    years_before,
)
from nlp_service.extract.region_year import article_region, article_year
from nlp_service.extract.slogans import find_slogans
from nlp_service.models.clauses import RulesClassifier
from nlp_service.registry import register
from nlp_service.segment.paragraphs import ParagraphSpan, split_paragraphs
from nlp_service.segment.sentences import split_sentences
from nlp_service.text.markers import CITED_TITLE, han_count, has_han
from nlp_service.text.normalize import normalize
from nlp_service.work import Resources, Work

SEPARATOR = "\n\n"


@register("normalize.v1", requires=("raw",), assigns=("norm",))
def normalize_text(work: Work, res: Resources) -> Work:
    """Normalise; refuse empty text and text without Chinese."""
    if not work.raw.strip():
        raise InputError(ErrorCode.EMPTY_TEXT)
    norm = normalize(work.raw)
    if not norm.text.strip():
        raise InputError(ErrorCode.EMPTY_TEXT, "The text is empty once markup and invisible characters are removed.")
    if not has_han(norm.text):
        raise InputError(ErrorCode.NO_CHINESE)
    return replace(work, norm=norm)


@register("paragraphs.v1", requires=("norm",), assigns=("paragraphs",))
def paragraphs(work: Work, res: Resources) -> Work:
    """Split into input paragraphs (lines), recognising headings."""
    assert work.norm is not None
    return replace(work, paragraphs=tuple(split_paragraphs(work.norm.text)))


@register("repeats.exact.v1", requires=("paragraphs",), assigns=("repeats",))
def exact_repeats(work: Work, res: Resources) -> Work:
    """Mark paragraphs that repeat an earlier one exactly."""
    texts = {p.index: work.paragraph_text(p.index) for p in work.paragraphs}
    return replace(work, repeats={r.index: r for r in find_exact_repeats(texts)})


@register("layout.v1", requires=("paragraphs", "repeats"), assigns=("joins",))
def layout(work: Work, res: Resources) -> Work:
    """Rejoin paragraphs broken by the page layout (kept paragraphs only)."""
    pieces = [Piece(p.index, work.paragraph_text(p.index), p.kind == "heading")
              for p in work.paragraphs if p.index not in work.repeats]
    return replace(work, joins=tuple(find_broken_paragraphs(pieces, res.segmenter.word_across)))


@register("repeats.near.v1", requires=("paragraphs", "repeats", "joins"), assigns=("repeats",))
def near_repeats(work: Work, res: Resources) -> Work:
    """Mark joined units that stand inside, or nearly copy, another unit."""
    units = work.units()
    found = find_near_and_contained({head: work.unit_text(members) for head, members in units.items()})
    merged: dict[int, Repeat] = dict(work.repeats)
    merged.update({r.index: r for r in found})
    return replace(work, repeats=merged)


@register("assemble.v1", requires=("paragraphs", "repeats", "joins"), assigns=("clean_text", "kept", "inputs"))
def assemble(work: Work, res: Resources) -> Work:
    """Build the clean text from kept units and record every input paragraph's fate."""
    assert work.norm is not None
    norm = work.norm
    units = {h: m for h, m in work.units().items() if h not in work.repeats}
    parts: list[str] = []
    clean_to_raw = array("l")
    spans: dict[int, tuple[int, int]] = {}
    pos = 0
    for head in sorted(units):
        if parts:
            parts.append(SEPARATOR)
            nxt = work.paragraphs[head].start
            clean_to_raw.extend([norm.raw_offsets[nxt]] * len(SEPARATOR))
            pos += len(SEPARATOR)
        marker = _markdown_marker(norm.text, work.paragraphs[head])
        if marker:  # kept in front of the heading's span, so the clean text re-reads as the same heading
            parts.append(norm.text[marker[0]:marker[1]])
            clean_to_raw.extend(norm.raw_offsets[marker[0]:marker[1]])
            pos += marker[1] - marker[0]
        start = pos
        for member, piece in zip(units[head], work.unit_pieces(units[head]), strict=True):
            p = work.paragraphs[member]
            parts.append(piece)  # the paragraph's text; one character to one, so its offsets stand
            clean_to_raw.extend(norm.raw_offsets[p.start:p.end])
            pos += p.end - p.start
        spans[head] = (start, pos)
    clean_to_raw.append(len(work.raw) if norm.input_format == "text" else norm.raw_offsets[-1])
    clean = "".join(parts)

    merged_into = work.merged_into
    join_evidence = {j.tail: j.evidence + (("displaced",) if j.displaced else ()) for j in work.joins}
    inputs = []
    for p in work.paragraphs:
        raw_start, raw_end = norm.raw_span(p.start, p.end)
        make = partial(InputParagraph, index=p.index, text=norm.text[p.start:p.end], kind=p.kind, level=p.level,
                       raw_start=raw_start, raw_end=raw_end)
        rep = work.repeats.get(p.index)
        if p.index in merged_into:
            inputs.append(make(status=ParagraphStatus.MERGED, merged_into=merged_into[p.index],
                               evidence=join_evidence[p.index]))
        elif rep is not None:
            inputs.append(make(status=ParagraphStatus.DUPLICATE, duplicate_of=work.resolve(rep.of),
                               duplicate_kind=rep.kind, similarity=rep.similarity))
        else:
            s, e = spans[p.index]
            inputs.append(make(status=ParagraphStatus.KEPT, start=s, end=e))
    kept = tuple((head, units[head], spans[head]) for head in sorted(units))
    return replace(work, clean_text=clean, clean_to_raw=clean_to_raw, kept=kept, inputs=tuple(inputs))


def _markdown_marker(text: str, para: ParagraphSpan) -> tuple[int, int] | None:
    """Where the ``# `` of a markdown heading stands in the normalised text (its span excludes it)."""
    if para.rule != "markdown":
        return None
    line_start = text.rfind("\n", 0, para.start) + 1
    while text[line_start] in " \t":
        line_start += 1
    return line_start, para.start


@register("sentences.v1", requires=("clean_text", "kept"), assigns=("sentences",))
def sentences(work: Work, res: Resources) -> Work:
    """Split every kept paragraph into sentences."""
    return replace(work, sentences={head: tuple(split_sentences(work.clean_text[s:e], s))
                                    for head, _, (s, e) in work.kept})


@register("words.v1", requires=("clean_text", "kept", "sentences"), assigns=("document",))
def words(work: Work, res: Resources) -> Work:
    """Cut every sentence into words and build the kept paragraphs."""
    text = work.clean_text
    paras = []
    n_sent = 0
    for head, members, (s, e) in work.kept:
        sents = []
        for a, b in work.sentences[head]:
            toks = tuple(res.segmenter.words_at(text[a:b], a))
            sents.append(Sentence(n_sent, head, a, b, text[a:b], toks))
            n_sent += 1
        p = work.paragraphs[head]
        paras.append(Paragraph(head, tuple(members), p.kind, p.level, s, e, text[s:e], tuple(sents), p.rule, p.marker))
    return replace(work, document=tuple(paras))


@register("year.v1", requires=("document",), assigns=("year",))
def year(work: Work, res: Resources) -> Work:
    """The year the article speaks in, with its evidence (``extract.region_year.article_year``)."""
    return replace(work, year=article_year(work.published, work.inferred_title(), work.document))


@register("region.v1", requires=("document", "entities"), assigns=("region",))
def region(work: Work, res: Resources) -> Work:
    """The region the article speaks for, with its evidence (``extract.region_year.article_region``)."""
    return replace(work, region=article_region(work.inferred_title(), work.entities, work.clean_text))


@register("indicators.v1", requires=("document", "year"), assigns=("indicators",))
def indicators(work: Work, res: Resources) -> Work:
    """Numeric indicators of every sentence, with the headings above and the article's year as period context."""
    published_year = work.year.value if isinstance(work.year.value, int) else None
    found = []
    # a span in the title dates the whole text, as a heading above every section (……行动计划（2024-2025年）);
    # a single year does not: a report's title names the year it is given, its review is of the year before
    title = work.inferred_title()
    years_of_headings: list[str] = [y for y in heading_years(title, None) if "-" in y][-1:] if title else []
    for para in work.document:
        para_years = paragraph_years(para.text, cited=para.kind == "heading")
        if published_year and para.kind != "heading" and (n := review_years(para.text)):
            # 2015年是“十二五”收官之年。过去五年，……城镇保障性安居工程住房建设4013万套: the five years before
            # the report, not the year the paragraph names first (a heading such as 过去五年工作回顾 may
            # head a section that reports the last year too: only the paragraph's own words count)
            para_years = (years_before(published_year, n), *para_years)
        if para.kind == "heading" and (named := heading_years(para.text, published_year)):
            years_of_headings.append(named[0])
        for sent in para.sentences:
            ctx = SentenceContext(sent.text, sent.start, para_years, tuple(years_of_headings), published_year)
            found.extend(find_indicators(ctx))
    return replace(work, indicators=tuple(found))




@register("slogans.v1", requires=("document",), assigns=("slogans",))
def slogans(work: Work, res: Resources) -> Work:
    """Quoted slogans (classified) and lexicon slogans; book titles 《…》 are skipped."""
    blocked = tuple((m.start(), m.end()) for m in CITED_TITLE.finditer(work.clean_text))
    return replace(work, slogans=tuple(find_slogans(work.clean_text, blocked, res.quote_classifier)))


MIN_TOPIC_HAN = 8  # a paragraph with fewer Han characters (a date line, a bare number) gets no topics


@register("topics.v1", requires=("document",), assigns=("topics", "paragraph_topics"))
def topics(work: Work, res: Resources) -> Work:
    """Topic labels of every kept paragraph and of the article (paragraph scores weighted by length)."""
    model = res.topic_model
    if model is None:
        return work
    from nlp_service.models.topics import article_labels, labels_of

    title = work.inferred_title()
    paras = [p for p in work.document if p.text != title and han_count(p.text) >= MIN_TOPIC_HAN]
    if not paras:
        return replace(work, topics=(), paragraph_topics={})
    scores = model.scores([(title, p.text) for p in paras])
    per_para = {p.index: tuple(labels_of(row, model.threshold)) for p, row in zip(paras, scores, strict=True)}
    article = article_labels(scores, [len(p.text) for p in paras], model.threshold)
    return replace(work, topics=tuple(article), paragraph_topics=per_para)


@register("commitments.v2", requires=("document", "year", "indicators", "paragraph_topics"),
          assigns=("commitments",))
def commitments(work: Work, res: Resources) -> Work:
    """Targets, pledges and tasks, with their fields (``nlp_service.extract.commitments``)."""
    title = work.inferred_title()
    found = find_commitments(work.document, work.clean_text, title=title,
                             year=work.year.value if isinstance(work.year.value, int) else None,
                             indicators=work.indicators,
                             paragraph_topics=work.paragraph_topics,
                             classifier=res.clause_classifier or RulesClassifier(), issuer=work.issuer)
    return replace(work, commitments=tuple(found))


@register("entities.v1", requires=("document",), assigns=("entities",))
def entities(work: Work, res: Resources) -> Work:
    """ORG / LOC / PER spans with counts."""
    return replace(work, entities=tuple(find_entities((s.start, s.text) for p in work.document for s in p.sentences)))

r"""The extraction pipeline: registered components run in order over one article.

Build once (loading the word segmenter and dictionaries takes about a second),
then call :meth:`Pipeline.extract` from any number of threads.

Example:
    >>> pipe = Pipeline.build()
    >>> art = pipe.extract("宁波科技创新交出了一份答卷。\n\n宁波科技创新交出了一份答卷。")
    >>> [p.status.value for p in art.input_paragraphs]
    ['kept', 'duplicate']

"""

from __future__ import annotations

import hashlib
import re

import nlp_service.components  # noqa: F401  (registers the components)
from nlp_service import registry
from nlp_service.document import Article
from nlp_service.segment.words import WordSegmenter
from nlp_service.work import Resources, Work

DEFAULT_COMPONENTS: tuple[str, ...] = (
    "normalize.v1",
    "paragraphs.v1",
    "repeats.exact.v1",
    "layout.v1",
    "repeats.near.v1",
    "assemble.v1",
    "sentences.v1",
    "words.v1",
    "indicators.v1",
)
_SENTENCE_END = re.compile(r"[。！？!?；;：:]")
MAX_TITLE_CHARS = 60


class Pipeline:
    """Runs the configured components; holds only read-only resources."""

    def __init__(self, resources: Resources, components: tuple[str, ...] = DEFAULT_COMPONENTS) -> None:
        self.resources = resources
        self.components = tuple(registry.get(name) for name in components)
        produced = {"raw"}
        for comp in self.components:
            missing = [r for r in comp.requires if r not in produced]
            if missing:
                raise ValueError(f"component {comp.name} needs {missing}, which no earlier component assigns")
            produced.update(comp.assigns)

    @classmethod
    def build(cls, tokenizer: str = "rjieba") -> Pipeline:
        """A pipeline with the default components and the given word segmenter, warmed up.

        The warm-up runs one short article so that lazy imports (cn2an, OpenCC)
        and caches are loaded at start-up rather than in the first request.
        """
        pipeline = cls(Resources(segmenter=WordSegmenter(tokenizer)))
        pipeline.extract("宁波城镇新增就业1200万人以上，增长百分之五。")
        return pipeline

    @property
    def component_names(self) -> tuple[str, ...]:
        """Versioned names of the components, in order."""
        return tuple(c.name for c in self.components)

    @property
    def model_names(self) -> dict[str, str]:
        """The models and lexicons behind the components, by task."""
        seg = self.resources.segmenter
        return {"words": f"{seg.backend}+policy_words@{seg.dictionary_size}"}

    def extract(self, text: str, *, id: str | None = None, title: str | None = None,  # noqa: A002
                published: str | None = None) -> Article:
        """Analyse one article.

        Raises:
            InputError: empty text, or no Chinese in it.

        """
        work = Work(raw=text, published=published)
        for comp in self.components:
            work = comp.fn(work, self.resources)
        assert work.norm is not None
        return Article(
            id=id or hashlib.sha256(work.norm.text.encode("utf-8")).hexdigest(),
            title=title or _infer_title(work),
            published=published,
            clean_text=work.clean_text,
            paragraphs=work.document,
            input_paragraphs=work.inputs,
            clean_to_raw=work.clean_to_raw,
            script=work.norm.script.script,
            converted_to_simplified=work.norm.script.converted,
            input_format=work.norm.input_format,
            components=self.component_names,
            indicators=work.indicators,
            models=self.model_names,
        )


def _infer_title(work: Work) -> str | None:
    """The first heading among the first paragraphs, else a short first line."""
    for p in work.document[:3]:
        if p.kind == "heading":
            return p.text
    if work.document:
        first = work.document[0]
        if len(first.text) <= MAX_TITLE_CHARS and not _SENTENCE_END.search(first.text) and len(work.document) > 1:
            return first.text
    return None

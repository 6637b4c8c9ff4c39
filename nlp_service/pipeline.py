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

import gc
import hashlib
import time

import nlp_service.components  # noqa: F401  (registers the components)
from nlp_service import registry
from nlp_service.document import Article
from nlp_service.segment.words import WordSegmenter
from nlp_service.settings import DEFAULT_CLAUSE_MODEL, DEFAULT_SLOGAN_MODEL, DEFAULT_TOPIC_MODEL, Settings
from nlp_service.work import Resources, Work

# the cleaning and segmentation every result needs (clean text, paragraphs, sentences, words)
_ALWAYS = frozenset(("normalize.v1", "paragraphs.v1", "repeats.exact.v1", "layout.v1", "repeats.near.v1",
                     "assemble.v1", "sentences.v1", "words.v1"))
DEFAULT_COMPONENTS: tuple[str, ...] = (
    "normalize.v1",
    "paragraphs.v1",
    "repeats.exact.v1",
    "layout.v1",
    "repeats.near.v1",
    "assemble.v1",
    "sentences.v1",
    "words.v1",
    "year.v1",
    "indicators.v1",
    "slogans.v1",
    "entities.v1",
    "region.v1",
    "topics.v1",
    "commitments.v2",
)


# what a caller may ask for (``components=`` of the API, ``--components`` of the CLI): the Work field
# each task fills; cleaning, sentences and words always run
TASKS: dict[str, str] = {"indicators": "indicators", "slogans": "slogans", "entities": "entities",
                         "topics": "topics", "commitments": "commitments", "region": "region", "year": "year"}


def parse_tasks(spec: str | None) -> tuple[str, ...] | None:
    """``"indicators,commitments"`` → ``("indicators", "commitments")``; None or "" → None (everything).

    Raises:
        ValueError: an unknown task name (the message lists the known ones).

    """
    if not spec or not spec.strip():
        return None
    names = tuple(dict.fromkeys(x.strip() for x in spec.split(",") if x.strip()))
    unknown = [n for n in names if n not in TASKS]
    if unknown:
        raise ValueError(f"unknown component(s) {', '.join(unknown)}; choose from {', '.join(TASKS)}")
    return names


def components_for(tasks: tuple[str, ...], components: tuple[str, ...] = DEFAULT_COMPONENTS) -> tuple[str, ...]:
    """The names of ``components`` that ``tasks`` need, in order.

    Each task's component comes with every component it requires, transitively (commitments bring
    indicators, topics and the year).
    """
    needed = {TASKS[t] for t in tasks}
    chosen = []
    for name in reversed(components):
        comp = registry.get(name)
        if needed & set(comp.assigns) or name in _ALWAYS:
            chosen.append(name)
            needed |= set(comp.requires)
    return tuple(reversed(chosen))


def settle_heap() -> None:
    """Take what the process has loaded so far (models, dictionaries, tables) out of the collector's reach.

    Python's cyclic collector walks every tracked object of its oldest generation on each full
    collection, writing to each; a loaded pipeline holds some 60,000 of them and none ever becomes
    garbage. ``gc.freeze`` moves them to a permanent generation, so that processes forked afterwards
    (the API's workers, ``ingest --workers``) do not write to, and copy, the pages they share
    (docs/benchmarks.md, "The collector": two forked workers and their parent 446 → 420 MiB; extraction
    speed unchanged). Called by the service's entry points once the pipeline is built; objects made
    later are collected as usual.
    """
    gc.collect()
    gc.freeze()


def service_pipeline(settings: Settings, clause_model: str | None = None, *, topics: bool = True) -> Pipeline:
    """What the CLI and the API serve: the pipeline ``settings`` ask for, loaded, warmed up and settled.

    Tokenizer, clause, topic and slogan models as ``settings`` name them (``clause_model`` overrides
    theirs; ``topics=False`` leaves the topic model out when no task needs it), then :func:`settle_heap`.
    """
    pipeline = Pipeline.build(settings.tokenizer, clause_model or settings.clause_model,
                              settings.topic_model if topics else None, settings.slogan_model)
    settle_heap()
    return pipeline


class Pipeline:
    """Runs the configured components; holds only read-only resources."""

    def __init__(self, resources: Resources, components: tuple[str, ...] = DEFAULT_COMPONENTS) -> None:
        self.resources = resources
        self.components = tuple(registry.get(name) for name in components)
        self._subsets: dict[tuple[str, ...], Pipeline] = {}
        produced = {"raw"}
        for comp in self.components:
            missing = [r for r in comp.requires if r not in produced]
            if missing:
                raise ValueError(f"component {comp.name} needs {missing}, which no earlier component assigns")
            produced.update(comp.assigns)

    @classmethod
    def build(cls, tokenizer: str = "rjieba", clause_model: str = DEFAULT_CLAUSE_MODEL,
              topic_model: str | None = DEFAULT_TOPIC_MODEL, slogan_model: str = DEFAULT_SLOGAN_MODEL) -> Pipeline:
        """A pipeline with the default components, word segmenter, clause and topic models, warmed up.

        ``topic_model=None`` builds a pipeline without topics (``topics`` stay empty);
        ``slogan_model="rules"`` decides quotations by the hand rules alone (no learned filter).

        The warm-up runs one short article so that lazy imports (cn2an, OpenCC,
        jieba's tag dictionary, torch) and caches are loaded at start-up rather
        than in the first request.
        """
        from nlp_service.models.clauses import load_clause_classifier
        from nlp_service.models.quotes import QuoteClassifier
        from nlp_service.models.topics import load_topic_model

        pipeline = cls(Resources(segmenter=WordSegmenter(tokenizer),
                                 clause_classifier=load_clause_classifier(clause_model),
                                 topic_model=load_topic_model(topic_model) if topic_model else None,
                                 quote_classifier=QuoteClassifier() if slogan_model == "sklearn" else None))
        pipeline.extract("宁波城镇新增就业1200万人以上，增长百分之五。")
        return pipeline

    def for_tasks(self, tasks: tuple[str, ...] | None) -> Pipeline:
        """The same resources running only what ``tasks`` need (:func:`components_for`; all when None)."""
        if tasks is None:
            return self
        key = tuple(sorted(tasks))
        cached = self._subsets.get(key)
        if cached is not None:
            return cached
        subset = Pipeline(self.resources, components_for(tasks, self.component_names))
        self._subsets[key] = subset
        return subset

    @property
    def component_names(self) -> tuple[str, ...]:
        """Versioned names of the components, in order."""
        return tuple(c.name for c in self.components)

    @property
    def model_names(self) -> dict[str, str]:
        """The models and lexicons behind the components, by task."""
        from nlp_service.extract.slogans import RULES_VERSION, lexicon
        from nlp_service.models.clauses import RulesClassifier

        seg = self.resources.segmenter
        clauses = self.resources.clause_classifier
        quotes = self.resources.quote_classifier
        return {"words": f"{seg.backend}+policy_words@{seg.dictionary_size}",
                "commitments": (clauses or RulesClassifier()).name,
                "slogans": f"rules@{RULES_VERSION}+slogans.tsv@{len(lexicon())}"
                           + (f"+{quotes.name}@{quotes.version}" if quotes else ""),
                "entities": "jieba-posseg+rules@3",
                "topics": self.resources.topic_model.name if self.resources.topic_model is not None else "none"}

    def extract(self, text: str, *, id: str | None = None, title: str | None = None,  # noqa: A002
                published: str | None = None, issuer: str | None = None) -> Article:
        """Analyse one article.

        Raises:
            InputError: empty text, or no Chinese in it.

        """
        work = Work(raw=text, published=published, title=title, issuer=issuer.strip() or None if issuer else None)
        timed = self.resources.on_component
        for comp in self.components:
            if timed is None:
                work = comp.fn(work, self.resources)
            else:
                start = time.perf_counter()
                work = comp.fn(work, self.resources)
                timed(comp.name, time.perf_counter() - start)
        assert work.norm is not None
        return Article(
            id=id or hashlib.sha256(work.norm.text.encode("utf-8")).hexdigest(),
            title=work.inferred_title(),
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
            slogans=work.slogans,
            commitments=work.commitments,
            entities=work.entities,
            topics=work.topics,
            paragraph_topics=work.paragraph_topics,
            models=self.model_names,
            year=work.year,
            region=work.region,
        )

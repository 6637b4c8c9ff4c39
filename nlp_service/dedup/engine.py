"""The one call both archive dedup engines offer, and the registry ``nlp-service dedup --engine`` picks from.

:class:`DedupEngine` declares it: inputs, output, report, parameters and the options every engine
takes (``text_field``, ``id_field``, ``mark``, ``keep``), returning the :class:`DedupReport`. An
engine's own settings are given when it is built: :class:`LocalEngine` (:func:`.archive.dedup`:
``level``, ``strip``, ``workers``, ``work_dir``, ``batch``, ``progress``) and :class:`SparkEngine`
(:func:`.spark.dedup_spark`: ``master``, ``spark``). :data:`ENGINES` maps each ``--engine`` name to
its class. The Spark engine's module is imported when it runs, so that this one imports without
pyspark (and without loading the Spark engine at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from nlp_service.dedup.archive import BATCH, dedup
from nlp_service.dedup.minhash import Params
from nlp_service.dedup.report import DedupReport

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@runtime_checkable
class DedupEngine(Protocol):
    """An archive dedup engine: the same input, output, report and clusters whichever runs."""

    def __call__(self, paths: Sequence[Path | str], out_path: Path, report_path: Path, params: Params | None = None,
                 *, text_field: str = "text", id_field: str = "id", mark: bool = False,
                 keep: str = "earliest") -> DedupReport:
        """Deduplicate the records of ``paths`` into ``out_path`` and write the report to ``report_path``."""
        ...


@dataclass(frozen=True)
class LocalEngine:
    """The local engine (:func:`nlp_service.dedup.archive.dedup`): one machine, streaming and resumable."""

    level: str = "document"
    strip: bool = False
    workers: int | None = 1
    work_dir: Path | None = None
    batch: int = BATCH
    progress: bool = False

    def __call__(self, paths: Sequence[Path | str], out_path: Path, report_path: Path, params: Params | None = None,
                 *, text_field: str = "text", id_field: str = "id", mark: bool = False,
                 keep: str = "earliest") -> DedupReport:
        """Run :func:`nlp_service.dedup.archive.dedup` with this engine's settings."""
        return dedup([Path(p) for p in paths], Path(out_path), Path(report_path), params, text_field=text_field,
                     id_field=id_field, mark=mark, keep=keep, level=self.level, strip=self.strip,
                     workers=self.workers, work_dir=self.work_dir, batch=self.batch, progress=self.progress)


@dataclass(frozen=True)
class SparkEngine:
    """The Spark engine (:func:`nlp_service.dedup.spark.dedup_spark`): document level, JSON Lines input."""

    master: str = "local[*]"
    spark: SparkSession | None = None

    def __call__(self, paths: Sequence[Path | str], out_path: Path, report_path: Path, params: Params | None = None,
                 *, text_field: str = "text", id_field: str = "id", mark: bool = False,
                 keep: str = "earliest") -> DedupReport:
        """Run :func:`nlp_service.dedup.spark.dedup_spark` with this engine's settings.

        Raises ``ImportError`` when pyspark (or the Spark engine's dependencies) is missing.
        """
        from nlp_service.dedup.spark import dedup_spark

        return dedup_spark(paths, Path(out_path), Path(report_path), params, text_field=text_field,
                           id_field=id_field, mark=mark, keep=keep, master=self.master, spark=self.spark)


ENGINES: dict[str, Callable[..., DedupEngine]] = {"local": LocalEngine, "spark": SparkEngine}
"""``--engine`` name → engine class; an instance (built with the engine's own settings) is a :class:`DedupEngine`."""

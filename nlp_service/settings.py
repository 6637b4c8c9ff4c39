"""Service settings, read from ``NLPS_*`` environment variables.

Read once through :func:`get_settings` (at start-up of the API or the CLI),
never at import time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# the default clause model: the best by commitment F1 on the validation excerpts
# (corpus/gold/commitments-v2 dev) among those that label at least SERVICE_MIN_CLAUSES_PER_SECOND
# on one thread (an article has ~200 clauses); tests/test_clause_models.py checks the choice
SERVICE_MIN_CLAUSES_PER_SECOND = 1000
DEFAULT_CLAUSE_MODEL: Literal["rules", "sklearn", "charbert"] = "sklearn"
# the default topic model: the best by macro F1 on the validation slice of the train documents
# (training/topics.validation_split) among those that label at least SERVICE_MIN_PARAGRAPHS_PER_SECOND
# on CPU (an article has ~30 paragraphs); tests/test_topics.py checks the choice
SERVICE_MIN_PARAGRAPHS_PER_SECOND = 100
DEFAULT_TOPIC_MODEL: Literal["sklearn", "charbert", "ensemble"] = "sklearn"
# the default slogan filter: the hand rules alone or with the learned filter (models/quotes-sklearn),
# whichever is more precise among those whose recall on the dev quotations reaches 0.95 (the bar of
# guide slogans-v2): the rules (dev quotations P 0.726 / R 0.968; the learned filter, fitted on the
# train quotations only, 0.763 / 0.935) — docs/benchmarks.md, "Slogans"
DEFAULT_SLOGAN_MODEL: Literal["rules", "sklearn"] = "rules"


class Settings(BaseSettings):
    """All knobs of the service, with their defaults."""

    model_config = SettingsConfigDict(env_prefix="NLPS_", extra="ignore")

    max_input_bytes: int = Field(2_000_000, gt=0, description="Largest accepted article, in UTF-8 bytes.")
    host: str = "127.0.0.1"
    port: int = Field(8000, gt=0, lt=65536)
    tokenizer: Literal["jieba", "rjieba"] = Field(
        "rjieba",
        description="Word segmenter: rjieba (jieba-rs, default; cut-for-cut identical to jieba on the corpus "
        "with our ASCII-run re-cut, about 10x faster) or jieba (the reference).",
    )
    clause_model: Literal["rules", "sklearn", "charbert"] = Field(
        DEFAULT_CLAUSE_MODEL,
        description="Clause classifier behind commitments: sklearn (default: best F1 on the dev excerpts among "
        "those fast enough to serve), charbert (~100x slower) or rules (models/README.md).",
    )
    topic_model: Literal["sklearn", "charbert", "ensemble"] = Field(
        DEFAULT_TOPIC_MODEL,
        description="Topic model (taxonomy.v1): sklearn (default: best validation macro-F1 among those fast enough "
        "to serve), charbert, or ensemble (their mean; runs both) — models/README.md.",
    )
    slogan_model: Literal["rules", "sklearn"] = Field(
        DEFAULT_SLOGAN_MODEL,
        description="What decides whether a quotation is a slogan: rules (default: the hand rules) or sklearn "
        "(the learned filter models/quotes-sklearn over the rules' verdicts: more precise, less recall).",
    )
    database_url: str = Field(
        "sqlite:///data/nlp_service.db",
        description="Store: sqlite:///PATH (embedded default, relative to the working directory) or postgresql://…",
    )
    max_batch_items: int = Field(100, gt=0, description="Most articles in one POST /v1/articles/batch.")
    max_concurrent_extractions: int = Field(
        4, gt=0, description="Extractions run at once in worker threads of one process; more requests wait."
    )
    max_queued_extractions: int = Field(
        64, ge=0, description="Requests that may wait for an extraction slot; beyond that: 503 with Retry-After.",
    )
    request_timeout: float = Field(
        60.0, gt=0, description="Seconds an extraction may take before the request is answered 503 (timeout).",
    )
    cors_origins: str = Field(
        "", description="Comma-separated origins allowed to call the API from a browser (CORS); empty: none.",
    )
    api_keys: str = Field(
        "", description="Comma-separated API keys (or sha256:<hex> of each) that POST /v1/articles* and the web "
        "page's save require as Authorization: Bearer <key>; empty: open (loopback development).",
    )
    api_keys_for_reads: bool = Field(False, description="Require a key for the read routes too.")
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1, gt=0,
        description="API processes sharing the port (default: the number of cores); each loads the models once.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first call."""
    return Settings()

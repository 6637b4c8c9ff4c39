"""Service settings, read from ``NLPS_*`` environment variables.

Read once through :func:`get_settings` (at start-up of the API or the CLI),
never at import time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CLAUSE_MODEL = "sklearn"  # the best clause model by test F1 (models/README.md)


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
        description="Clause classifier behind commitments: the best by test F1 is the default (models/README.md).",
    )
    max_concurrent_extractions: int = Field(
        4, gt=0, description="Extractions run at once in worker threads; more requests wait."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first call."""
    return Settings()

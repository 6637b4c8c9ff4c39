"""Storage of extraction results and search over them.

``open_store(url)`` picks the backend: ``sqlite:///path`` (the embedded default,
``./data/nlp_service.db``) or ``postgresql://…`` (see ``store/postgres.py``).
"""

from __future__ import annotations

from pathlib import Path

from nlp_service.store.base import CommitmentQuery, IndicatorQuery, PutResult, SearchPage, Store, StoreError

DEFAULT_DATABASE_URL = "sqlite:///data/nlp_service.db"

__all__ = ["DEFAULT_DATABASE_URL", "CommitmentQuery", "IndicatorQuery", "PutResult", "SearchPage", "Store",
           "StoreError", "open_store"]


def open_store(url: str = DEFAULT_DATABASE_URL) -> Store:
    """The store at ``url``; ``sqlite:///relative/path``, ``sqlite:////absolute/path`` or ``sqlite:///:memory:``."""
    if url.startswith("sqlite:///"):
        from nlp_service.store.sqlite import SQLiteStore

        path = url[len("sqlite:///"):]
        return SQLiteStore(path if path == ":memory:" else Path(path))
    if url.startswith(("postgresql://", "postgres://")):
        from nlp_service.store.postgres import PostgresStore

        return PostgresStore(url)
    raise StoreError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://…")

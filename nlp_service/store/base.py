"""The repository interface every store backend implements, and its value types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from nlp_service.store.records import ArticleRecord

FACETS = ("region", "year", "topic")
MIN_YEAR, MAX_YEAR = 0, 9999  # year filters outside this are refused (422)
MAX_QUERY_CHARS = 200  # a query or filter value longer than this is refused (422), never run
MAX_LIMIT = 100


# the commitment filters of every backend: (query field, SQL with {p} for the bound value)
_FILTERS = (
    ("region", "c.region = {p}"), ("year", "c.year = {p}"), ("year_from", "c.year >= {p}"),
    ("year_to", "c.year <= {p}"), ("actor", "{contains}(c.actor, {p}) > 0"), ("modality", "c.modality = {p}"),
    ("deadline_before", "c.deadline_year <= {p}"), ("deadline_after", "c.deadline_year >= {p}"),
    ("topic", "EXISTS (SELECT 1 FROM commitment_topics t WHERE t.label = {p} AND t.commitment_id = c.id)"),
    ("has_quantity", "c.has_quantity = {p}"),
)


def filter_sql(q: CommitmentQuery, placeholder: str, contains: str) -> tuple[str, dict]:
    """The WHERE clause and bound values of ``q``'s filters.

    ``placeholder`` formats a parameter name (``":{}"`` for SQLite, ``"%({})s"`` for psycopg);
    ``contains`` is the backend's substring-position function (``instr``, ``strpos``).
    """
    where, params = ["1 = 1"], {}
    for name, sql in _FILTERS:
        value = getattr(q, name)
        if value is None or value == "":
            continue
        where.append(sql.format(p=placeholder.format(name), contains=contains))
        params[name] = int(value) if isinstance(value, bool) else value
    return " AND ".join(where), params


class StoreError(RuntimeError):
    """A store could not be opened or a request to it is invalid."""


@dataclass(frozen=True)
class PutResult:
    """What storing one article did: ``stored``, ``unchanged`` or ``replaced``."""

    id: str
    status: str


@dataclass(frozen=True)
class CommitmentQuery:
    """A commitment search: full text (any length, exact phrase per term) plus filters."""

    q: str | None = None
    region: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    topic: str | None = None
    actor: str | None = None
    modality: str | None = None
    deadline_before: int | None = None
    deadline_after: int | None = None
    has_quantity: bool | None = None
    cursor: str | None = None
    limit: int = 20

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise StoreError(f"limit must be between 1 and {MAX_LIMIT}")
        _check_lengths(self, ("q", "actor", "region", "topic", "modality", "cursor"))
        for name in ("year", "year_from", "year_to", "deadline_before", "deadline_after"):
            value = getattr(self, name)
            if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
                raise StoreError(f"{name} must be a year between {MIN_YEAR} and {MAX_YEAR}")


@dataclass(frozen=True)
class IndicatorQuery:
    """An indicator lookup by metric (contains), unit, period and region."""

    metric: str | None = None
    unit: str | None = None
    period: str | None = None
    region: str | None = None
    cursor: str | None = None
    limit: int = 20

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise StoreError(f"limit must be between 1 and {MAX_LIMIT}")
        _check_lengths(self, ("metric", "unit", "period", "region", "cursor"))


def _check_lengths(query: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(query, name)
        if value is not None and len(value) > MAX_QUERY_CHARS:
            raise StoreError(f"{name} is {len(value)} characters; at most {MAX_QUERY_CHARS}")


@dataclass
class SearchPage:
    """One page of hits, the total matched, facet counts over all matches, the next page's cursor."""

    hits: list[dict]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    next_cursor: str | None = None


class Store(Protocol):
    """What the service needs from a store."""

    backend: str

    def put_article(self, rec: ArticleRecord) -> PutResult:
        """Store one article in one transaction."""
        ...

    def get_article(self, article_id: str) -> dict | None:
        """The stored article, or None."""
        ...

    def has_raw(self, raw_sha256: str) -> str | None:
        """The id of a stored article made from exactly this raw input, if any."""
        ...

    def search_commitments(self, q: CommitmentQuery, segmenter: Any) -> SearchPage:
        """Commitments matching ``q``."""
        ...

    def search_indicators(self, q: IndicatorQuery) -> SearchPage:
        """Indicators matching ``q``."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        ...

    def tracking_articles(self, region: str | None = None) -> list[tuple[str, str | None, int]]:
        """(id, region, year) of every article with a year (of ``region`` when given), oldest first."""
        ...

    def commitment_ids(self, article_ids: list[str]) -> dict[tuple[str, int], int]:
        """The stored id of each commitment of ``article_ids``, by (article id, position)."""
        ...

    def get_commitment(self, commitment_id: int) -> dict | None:
        """One stored commitment (its columns, article id, region and year), or None."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...

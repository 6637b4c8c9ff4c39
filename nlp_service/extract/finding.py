"""The one shape every finding of an article shares (indicators, slogans, entities, commitments)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """Where a finding stands (its first span of the clean text), how sure we are, and why.

    ``evidence`` names the rules or models that produced it (``metric:before``, ``quoted``,
    ``list``, ``clause-model``…), so that a reader can see why it is there.
    """

    start: int
    end: int
    confidence: float
    evidence: tuple[str, ...] = ()

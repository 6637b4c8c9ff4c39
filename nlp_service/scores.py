"""Figures kept per version and split, and the rule that a blind test split is scored once per version.

Used by every scorer that records its figures in a ``scores.json`` of the corpus (tracking,
slogans): ``record`` refuses a second test score of the same version, so a version is never
tuned against its own test figures.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any


class AlreadyScored(RuntimeError):
    """The test split was scored for this version already."""


def record(path: Path, version: str, split: str, summary: dict[str, Any] | None, *, hint: str,
           check_only: bool = False) -> Path:
    """Keep ``summary`` under ``version`` and ``split`` in ``path``; a test split only once per version.

    ``hint`` says what to change before scoring again. With ``check_only`` (or no summary) nothing
    is written: it only raises when a test score would be refused.

    Raises:
        AlreadyScored: ``split`` is a test split (test, test-b, test-c…) and ``version`` has its figures.

    """
    scores = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if split.startswith("test") and split in scores.get(version, {}):
        raise AlreadyScored(f"{version} was scored on the test split on {scores[version][split]['date']}; "
                            f"{hint} before scoring it again")
    if check_only or summary is None:
        return path
    scores.setdefault(version, {})[split] = {"date": dt.date.today().isoformat(), **summary}
    path.write_text(json.dumps(scores, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path

"""Lexicons shipped with the package, as TSV files with a ``#`` provenance header."""

from __future__ import annotations

import csv
import io
from importlib import resources


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of ``nlp_service/resources/NAME`` as dicts keyed by its header line.

    Lines starting with ``#`` before the header are the file's provenance notes
    and are skipped.
    """
    raw = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if line and not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter="\t", quoting=csv.QUOTE_NONE))


def exists(name: str) -> bool:
    """Whether a resource file is shipped."""
    return resources.files(__package__).joinpath(name).is_file()

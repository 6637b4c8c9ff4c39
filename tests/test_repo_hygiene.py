"""The repository speaks of the product only, names no path of one machine, and keeps a short README.

(a) No tracked file holds an absolute path of one machine (under the root's tmp, home, work, mnt …
    folders); web URLs are allowed, the null device never matches. The planted examples below write
    their leading slash as ``@`` so that this file passes its own check.
(b) No tracked document, script or resource speaks of how the work was organised (sessions,
    handovers, lent machines, "lead engineer") or calls automated labelling "by hand".
(c) README.md fits on one screen: at most 200 lines.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 200

# an absolute path under a machine-specific root, not preceded by a word character or a dot
ABSOLUTE_PATH = re.compile(r"(?:^|[^.a-zA-Z0-9_])(/(?:work|home|tmp|root|Users|mnt)/\S*)", re.MULTILINE)
# network URLs may contain such segments (https://example.org/home/…); file:// and sqlite:// may not
WEB_URL_BEFORE = re.compile(r"(?:https?|ftp)://\S*$")

# wording about how the work was organised, and "by hand" for labels no person made (case-insensitive)
ORGANISATIONAL = [
    r"\b(?:previous|next|this|last|earlier|later|coming)\s+session\b",
    r"\blead\s+engineer\b",
    r"\bhand-?over\b",
    r"\b(?:lent|borrowed|loaned)\s+(?:an?\s+|the\s+)?(?:machine|gpu|device|accelerator|nvidia|h100|h200)\b",
    r"\bremote\s+gpu\b",
    r"\bwhere\s+work\s+stands\b",
    r"\bopen\s+work\b",
    r"\b(?:next|previous)\s+engineer\b",
    r"\bno\s+gpu\s+was\s+available\b",
    r"\bby\s+hand\b",
    r"\bhand[-\s](?:labell?ed|labels?|labelling|made|curated|curation|checked|judged|judgement|annotated|added|written)\b",
]
ORGANISATIONAL_RE = re.compile("|".join(ORGANISATIONAL), re.IGNORECASE)

# the files (b) reads: documents, scripts, resources, corpus metadata, model cards and metrics
WORDING_SCOPE = ["*.md", "scripts/*", "nlp_service/resources/*", "corpus/*.json", "models/*.md", "models/*.json"]


def tracked_files() -> list[str]:
    """Paths of the tracked files (``git ls-files``), relative to the repository root."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: cannot list the tracked files")
    proc = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"git ls-files failed (not a git checkout?): {proc.stderr.decode(errors='replace').strip()}")
    return [p for p in proc.stdout.decode("utf-8").split("\0") if p]


def read_text(path: Path) -> str | None:
    """The file as text, or None for a binary file (a NUL byte in its first 8 KiB) or a missing one."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def absolute_paths(text: str) -> list[str]:
    """The machine-specific absolute paths in ``text`` (web URLs excepted)."""
    found = []
    for m in ABSOLUTE_PATH.finditer(text):
        start = m.start(1)
        line_start = text.rfind("\n", 0, start) + 1
        if WEB_URL_BEFORE.search(text[line_start:start]):
            continue
        found.append(m.group(1))
    return found


def organisational_phrases(text: str) -> list[str]:
    """The phrases of ``text`` that speak of how the work was organised."""
    return [m.group(0) for m in ORGANISATIONAL_RE.finditer(text)]


def in_wording_scope(path: str) -> bool:
    """Whether (b) reads ``path``; ``fnmatch``'s ``*`` also matches ``/``, so ``corpus/*.json`` is recursive."""
    return any(fnmatch.fnmatch(path, pattern) for pattern in WORDING_SCOPE)


# --- the checkers themselves -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "python x.py --out @tmp/cand.tsv",
    "default sqlite:///@tmp/bench.db",
    "see @home/alice/notes.txt",
    "PGDIR=$(mktemp -d @tmp/nlps.XXXX)",
    "@work/main/README.md is where it is",
    "file://@mnt/data/x.json",
    "open('@root/.cache/x')",
])
def test_absolute_path_checker_finds_planted_paths(text):
    assert absolute_paths(text.replace("@", "/"))


@pytest.mark.parametrize("text", [
    "https://example.org/home/index.html and http://host/tmp/x",
    "cat x > /dev/null",
    "the path ./tmp/x or tmp/x or data/nlp_service.db",
    "sqlite:///data/nlp_service.db",
    "mktemp -d; ${TMPDIR:-/tmp}",
    "10/work/day",
])
def test_absolute_path_checker_lets_product_text_pass(text):
    assert absolute_paths(text) == []


@pytest.mark.parametrize("text", [
    "Notes for the next session: rerun the benchmark.",
    "The previous session left this half done.",
    "The lead engineer re-read 24 labels.",
    "## Handover",
    "Version 2 ran on a lent NVIDIA H100.",
    "trained on a borrowed machine",
    "fine-tuned through a remote GPU call",
    "## Where work stands",
    "## Open work",
    "(no GPU was available for it)",
    "5,352 hand-labelled paragraphs",
    "clauses labelled by hand",
    "The lead\nengineer re-read 18 at random",
    "Hand-made gold data",
])
def test_wording_checker_finds_planted_phrases(text):
    assert organisational_phrases(text)


@pytest.mark.parametrize("text", [
    "The annotators labelled 200 paragraphs each; helper-B1 wrote the notes.",
    "an excellent result; the equivalent machine-readable form",
    "the previous sentence's subject is not carried over",
    "A handful of very common characters",
    "the next clause continues the previous provision",
    "labelled by reading, by automated annotators",
    "the session cookie and the HTTP session",
    "ran on an NVIDIA H100",
])
def test_wording_checker_lets_product_text_pass(text):
    assert organisational_phrases(text) == []


# --- the repository ---------------------------------------------------------------------------------------


def test_no_tracked_file_names_an_absolute_path_of_one_machine():
    offenders = []
    for rel in tracked_files():
        text = read_text(ROOT / rel)
        if text is None:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for path in absolute_paths(line):
                offenders.append(f"{rel}:{n}: {path}")
    assert not offenders, ("absolute paths of one machine (use a relative path, tempfile/mktemp, or "
                           "${TMPDIR:-/tmp}):\n" + "\n".join(offenders))


def test_no_tracked_document_speaks_of_how_the_work_was_organised():
    offenders = []
    for rel in filter(in_wording_scope, tracked_files()):
        text = read_text(ROOT / rel)
        if text is None:
            continue
        for m in ORGANISATIONAL_RE.finditer(text):  # the whole text: a phrase may wrap onto the next line
            line = text.count("\n", 0, m.start()) + 1
            offenders.append(f"{rel}:{line}: {' '.join(m.group(0).split())!r}")
    assert not offenders, ("say what the product is and how its data was made, not how the work was "
                           "organised (labels come from automated annotators: not 'by hand'):\n"
                           + "\n".join(offenders))


def test_wording_scope_covers_docs_scripts_resources_and_models():
    for path in ["README.md", "docs/api.md", "corpus/README.md", "scripts/mine_slogans.py",
                 "scripts/device/topics_charbert.sh", "nlp_service/resources/units.tsv",
                 "corpus/gold/commitments-v2/test-b-05-cpc-report.json", "models/topics-charbert/metrics.json",
                 "models/clauses-sklearn/MODEL_CARD.md"]:
        assert in_wording_scope(path), path
    for path in ["nlp_service/cli.py", "tests/test_api.py", "corpus/topics/topics.jsonl"]:
        assert not in_wording_scope(path), path


def test_readme_fits_on_one_screen():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (f"README.md has {len(lines)} lines; keep it to {README_MAX_LINES} and "
                                            "move detail to docs/")

"""Trained artifacts in ``models/`` and the manifest that vouches for them.

``models/manifest.json`` holds two tables:

- ``files``: the sha256 and size of every artifact file. :func:`verify` refuses a file whose hash
  differs, so a swapped or corrupted file is never loaded.
- ``models``: per model, the libraries (and versions) that wrote it, the sha256 of the labelled
  data it was trained on, and its headline test metrics. :func:`check_model` refuses a model
  whose recorded library versions do not match the running ones (a scikit-learn estimator read
  by another minor version can silently change its output; a transformers major version can
  change the architecture code) or whose metrics file disagrees with the manifest.

This module imports neither jieba nor torch, so that training scripts can run on a bare GPU
machine.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

# the trained artifacts: models/ of the checkout, or NLPS_MODELS_DIR (the Docker image sets it)
MODELS_DIR = Path(os.environ.get("NLPS_MODELS_DIR") or Path(__file__).resolve().parents[2] / "models")
MANIFEST = "manifest.json"

# how much of a library's version must match at load time: scikit-learn estimators are only
# guaranteed within a minor version; torch/transformers weights (safetensors) within a major one
_MATCH_PARTS = {"scikit-learn": 2, "skops": 2, "numpy": 1, "torch": 1, "transformers": 1, "safetensors": 1}


class ModelError(RuntimeError):
    """A model file is missing, tampered with, or was written by incompatible libraries."""


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _manifest(models_dir: Path) -> dict:
    path = models_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{path} is missing") from exc


def verify(path: Path, models_dir: Path = MODELS_DIR) -> Path:
    """``path`` if its sha256 is the one in the manifest, else :class:`ModelError`."""
    if not path.exists():
        raise ModelError(f"model file {path} is missing; retrain with `nlp-service train` (see models/README.md)")
    manifest = _manifest(models_dir)
    rel = path.resolve().relative_to(models_dir.resolve()).as_posix()
    entry = manifest.get("files", {}).get(rel)
    if entry is None:
        raise ModelError(f"{rel} is not listed in {models_dir / MANIFEST}")
    actual = sha256(path)
    if actual != entry["sha256"]:
        raise ModelError(f"{rel}: sha256 {actual[:12]}… differs from the manifest's {entry['sha256'][:12]}…")
    return path


def dump_skops(model: Any, path: Path) -> None:
    """Write a scikit-learn model with skops, its vocabularies first made plain.

    A fitted vectorizer's ``vocabulary_`` maps terms to numpy integers, and skops writes each numpy
    scalar as a file of its own in the zip: the 73,676 terms of the topic model made 60,059 files and
    a 7.5 s load. With Python integers the vocabulary is one JSON object; the model computes the same.
    """
    import zipfile

    import skops.io as sio

    for vectorizer in vectorizers(model):
        vectorizer.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)


def load_skops(path: Path, trusted: Sequence[str]) -> Any:
    """A skops file rebuilt with only skops' own safe types and ``trusted`` (our functions).

    Anything else in the file is refused before an object is built (skops raises, and so do we),
    so no separate audit pass over the file is needed.
    """
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        return sio.load(path, trusted=list(trusted))
    except UntrustedTypesFoundException as exc:
        raise ModelError(f"{path} holds types not on the trusted list: {exc}") from None


def vectorizers(model: Any) -> Iterable[Any]:
    """Every fitted text vectorizer inside a pipeline, feature union or column transformer."""
    if hasattr(model, "vocabulary_"):
        yield model
    for attr in ("steps", "transformer_list", "transformers"):
        for item in getattr(model, attr, ()) or ():
            yield from vectorizers(item[1])


def library_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed versions of ``names`` (distribution names)."""
    return {n: metadata.version(n) for n in names}


def _same(name: str, recorded: str, running: str) -> bool:
    parts = _MATCH_PARTS.get(name, 2)
    return recorded.split("+")[0].split(".")[:parts] == running.split("+")[0].split(".")[:parts]


def check_model(name: str, models_dir: Path = MODELS_DIR) -> dict:
    """The manifest entry of model ``name``, after checking its files, libraries and metrics.

    Every file of the model is hash-checked; each recorded library must match the running
    version (minor version for scikit-learn and skops, major for torch and transformers); the
    model's ``metrics.json`` must carry the manifest's data hash.
    """
    entry = _manifest(models_dir).get("models", {}).get(name)
    if entry is None:
        raise ModelError(f"model {name!r} is not in {models_dir / MANIFEST}; retrain it (see models/README.md)")
    for rel in entry["files"]:
        verify(models_dir / rel, models_dir)
    for lib, recorded in entry["libraries"].items():
        try:
            running = metadata.version(lib)
        except metadata.PackageNotFoundError as exc:
            raise ModelError(f"{name} needs {lib} {recorded}, which is not installed") from exc
        if not _same(lib, recorded, running):
            raise ModelError(f"{name} was written by {lib} {recorded}; this service runs {lib} {running} — "
                             f"retrain it (`nlp-service train …`) or install {lib}=={recorded}")
    metrics = json.loads((models_dir / name / "metrics.json").read_text(encoding="utf-8"))
    if metrics.get("data_sha256") != entry["data_sha256"]:
        raise ModelError(f"{name}: metrics.json was made from other data than the manifest records")
    return entry


def attach(model: str, paths: Sequence[Path], models_dir: Path = MODELS_DIR) -> None:
    """Record ``paths`` and add them to the files of ``model`` (e.g. its plain export), the rest unchanged."""
    record(paths, models_dir)
    manifest_path = models_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = manifest["models"][model]
    rels = {p.resolve().relative_to(models_dir.resolve()).as_posix() for p in paths}
    entry["files"] = sorted(set(entry["files"]) | rels)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def record(paths: Sequence[Path], models_dir: Path = MODELS_DIR, *, model: str | None = None,
           libraries: Iterable[str] | dict[str, str] = (), data_sha256: str | None = None,
           metrics: dict | None = None) -> None:
    """Add (or refresh) the sha256 and size of ``paths``; with ``model``, its entry in ``models`` too.

    ``libraries``: names (their running versions are recorded) or ``{name: version}`` as written
    by the training run (for an artifact trained on another machine).
    """
    manifest_path = models_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {"files": {}}
    rels = []
    for p in paths:
        rel = p.resolve().relative_to(models_dir.resolve()).as_posix()
        manifest["files"][rel] = {"sha256": sha256(p), "bytes": p.stat().st_size}
        rels.append(rel)
    manifest["files"] = dict(sorted(manifest["files"].items()))
    if model:
        models = manifest.setdefault("models", {})
        libs = dict(libraries) if isinstance(libraries, dict) else library_versions(libraries)
        models[model] = {"files": sorted(rels), "libraries": libs,
                         "data_sha256": data_sha256, "metrics": metrics or {}}
        manifest["models"] = dict(sorted(models.items()))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

"""Archive dedup engines (issue 15): one declared call, one registry; no private names across modules."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from nlp_service.dedup.archive import dedup
from nlp_service.dedup.engine import ENGINES, DedupEngine, LocalEngine, SparkEngine

PACKAGE = ROOT / "nlp_service"

# (file, name) of private names imported across modules outside dedup/ and clean/, left for their
# owners: remove an entry when its import is fixed (the test fails on entries no longer found).
ALLOWED: set[tuple[str, str]] = set()


def _declared() -> inspect.Signature:
    """The signature of ``DedupEngine.__call__`` as a bound call (without ``self``)."""
    sig = inspect.signature(DedupEngine.__call__, eval_str=True)
    return sig.replace(parameters=list(sig.parameters.values())[1:])


def test_registry_lists_both_engines():
    assert ENGINES == {"local": LocalEngine, "spark": SparkEngine}


def test_both_engines_offer_the_declared_call():
    declared = _declared()
    assert list(declared.parameters) == ["paths", "out_path", "report_path", "params", "text_field", "id_field",
                                         "mark", "keep"]
    for name, make in ENGINES.items():
        engine = make()
        assert isinstance(engine, DedupEngine), name
        assert inspect.signature(engine, eval_str=True) == declared, name


def test_the_calls_the_engines_wrap_accept_the_declared_options():
    """Each engine's own function takes every declared parameter, with the same defaults."""
    from nlp_service.dedup.spark import dedup_spark

    declared = _declared()
    for fn in (dedup, dedup_spark):
        params = inspect.signature(fn).parameters
        for name, p in declared.parameters.items():
            assert name in params and params[name].kind == p.kind and params[name].default == p.default, (fn, name)


def test_local_engine_is_the_local_function(tmp_path: Path):
    text = "宁波加快建设甬江科创区，打造创新策源地和产业集聚地。" * 3
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate([text, text, text + "新增。", "另一篇完全不同的文章，讲的是别的事情。" * 2])),
                   encoding="utf-8")
    direct = dedup([src], tmp_path / "a.jsonl", tmp_path / "a.json", mark=True)
    via = ENGINES["local"](workers=1)([str(src)], tmp_path / "b.jsonl", tmp_path / "b.json", mark=True)
    assert via.counts == direct.counts and via.clusters == direct.clusters and direct.counts["duplicates"] == 2
    assert (tmp_path / "a.jsonl").read_text("utf-8") == (tmp_path / "b.jsonl").read_text("utf-8")
    report = {k: v for k, v in json.loads((tmp_path / "b.json").read_text("utf-8")).items() if k != "seconds"}
    assert report == {k: v for k, v in json.loads((tmp_path / "a.json").read_text("utf-8")).items() if k != "seconds"}
    assert list(report) == ["counts", "params", "level", "workers", "index_bytes_per_document", "clusters", "skipped"]


def test_engines_import_without_pyspark():
    code = ("import sys; import nlp_service.dedup.engine, nlp_service.dedup.spark; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyspark'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# ---- private names across modules ------------------------------------------------------------------

def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _absolute(module: str | None, level: int, here: str, is_package: bool) -> str:
    if not level:
        return module or ""
    base = here.split(".")
    base = base[:len(base) - level + (1 if is_package else 0)]
    return ".".join([*base, module] if module else base)


def _dotted(node: ast.expr) -> list[str] | None:
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(names)]


def private_imports() -> set[tuple[str, str]]:
    """(file, module.name) of every private name of another ``nlp_service`` module used by a module.

    ``from nlp_service.x import _y`` (or relative), ``import nlp_service.x._m`` / ``from
    nlp_service.x._m import y`` (a private module), and ``x._y`` where ``x`` names another
    ``nlp_service`` module through an import of this file.
    """
    modules = _modules()
    found = set()
    for here, path in modules.items():
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        is_package = path.name == "__init__.py"
        bound: dict[str, str] = {}  # local name -> nlp_service module it names
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(node.module, node.level, here, is_package)
                if source.split(".")[0] != "nlp_service":
                    continue
                if source != here and any(_private(p) for p in source.split(".")):
                    found.add((rel, source))
                for alias in node.names:
                    if f"{source}.{alias.name}" in modules:
                        bound[alias.asname or alias.name] = f"{source}.{alias.name}"
                    elif _private(alias.name) and source != here:
                        found.add((rel, f"{source}.{alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] != "nlp_service":
                        continue
                    if any(_private(p) for p in alias.name.split(".")):
                        found.add((rel, alias.name))
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                chain = _dotted(node.value)
                if chain and chain[0] in bound:
                    target = ".".join([bound[chain[0]], *chain[1:]])
                    if target in modules and target != here:
                        found.add((rel, f"{target}.{node.attr}"))
    return found


def test_no_private_names_across_modules():
    found = private_imports()
    assert not {f for f in found if f[0].startswith(("nlp_service/dedup/", "nlp_service/clean/"))}
    assert found - ALLOWED == set(), "a module uses another module's private name: make it public"
    assert ALLOWED - found == set(), "fixed: remove these entries from ALLOWED"


def test_the_private_import_check_sees_each_form(tmp_path: Path, monkeypatch):
    pkg = tmp_path / "nlp_service"
    (pkg / "a").mkdir(parents=True)
    for name in ("__init__.py", "a/__init__.py", "a/_impl.py"):
        (pkg / name).write_text("", encoding="utf-8")
    (pkg / "a" / "m.py").write_text("_x = 1\ny = _x\n", encoding="utf-8")
    (pkg / "b.py").write_text("from nlp_service.a.m import _x, y\nfrom .a import m\nimport nlp_service.a.m as mm\n"
                              "import nlp_service.a.m\nfrom nlp_service.a._impl import z\n"
                              "v = m._x, mm._x, nlp_service.a.m._x, m.__name__\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert private_imports() == {("nlp_service/b.py", "nlp_service.a.m._x"), ("nlp_service/b.py", "nlp_service.a._impl")}

"""Every shell command shown in README.md is run, here or by CI, and shows what the README says it shows.

The README's ``sh``/``bash``/``console`` blocks are parsed. In a ``console`` block a line starting with
``$ `` is a command and the lines after it are its output as shown, where ``…`` stands for text left
out: every shown line must match a line of the real output (in order, the pieces between ``…`` in
order within the line). Commands:

- ``make test`` and ``make lint``: what CI runs (``.ci/run`` must call both);
- ``make run``: the Makefile's run target is started as it calls it (``.venv/bin/nlp-service serve
  --host 127.0.0.1 --port …``, on a free port) and must answer ``GET /readyz`` with 200 within 120 s;
  the same server answers the ``curl`` examples (``127.0.0.1:8000`` becomes its port);
- ``printf … > FILE`` writes an example's input; ``cat FILE``, ``.venv/bin/nlp-service extract|dedup|
  ingest|search|track …`` and ``curl …`` are run in a temporary directory (``.venv`` linked to the
  checkout's), with ``NLPS_DATABASE_URL`` pointing at a temporary SQLite database, in README order,
  and must exit 0 with the output shown.

Any other command in the README fails ``test_every_readme_command_is_known``: teach this test to run
it (or have CI run it) first.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CLI = ROOT / ".venv" / "bin" / "nlp-service"
SHELL_BLOCKS = {"sh", "bash", "shell", "console"}
CLI_COMMANDS = {"extract", "dedup", "ingest", "search", "track"}  # the subcommands this test knows how to run
READY_WITHIN_S = 120
COMMAND_TIMEOUT_S = 300


@dataclass
class Command:
    """One shell command of the README, with the output shown after it (console blocks)."""

    text: str
    lineno: int
    shown: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """What runs it: make-run, make-test, make-lint, input, show, cli, curl — or unknown."""
        try:
            tokens = shlex.split(self.text, comments=True)
        except ValueError:
            return "unknown"
        if tokens in (["make", "run"], ["make", "test"], ["make", "lint"]):
            return "make-" + tokens[1]
        if tokens[:1] == ["printf"] and len(tokens) >= 3 and tokens[-2] == ">" and "/" not in tokens[-1]:
            return "input"
        if tokens[:1] == ["cat"] and len(tokens) == 2 and "/" not in tokens[1]:
            return "show"
        if tokens[:1] == [".venv/bin/nlp-service"] and len(tokens) > 1 and tokens[1] in CLI_COMMANDS:
            return "cli"
        if tokens[:1] == ["curl"] and "http://127.0.0.1:8000/" in self.text:
            return "curl"
        return "unknown"


def readme_commands(text: str) -> list[Command]:
    """The commands of the README's shell blocks, in order."""
    commands: list[Command] = []
    lang = None
    current: Command | None = None
    pending = ""
    for lineno, line in enumerate(text.splitlines(), 1):
        fence = re.match(r"^```\s*(\S*)", line)
        if fence:
            lang = None if lang is not None else fence.group(1).lower()
            current, pending = None, ""
            continue
        if lang not in SHELL_BLOCKS:
            continue
        if lang == "console":
            if pending or line.startswith("$ "):
                part = line[2:] if not pending else line.strip()
                if part.endswith("\\"):
                    pending += part[:-1] + " "
                    continue
                current = Command(pending + part, lineno)
                commands.append(current)
                pending = ""
            elif current is not None and line.strip():
                current.shown.append(line)
        else:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.endswith("\\"):
                pending += stripped[:-1] + " "
                continue
            commands.append(Command(pending + stripped, lineno))
            pending = ""
    return commands


def shows(shown: list[str], output: str) -> str | None:
    """None when every shown line matches a line of ``output``, in order; else what is missing."""
    lines = output.splitlines()
    i = 0
    for expected in shown:
        pieces = [p for p in expected.rstrip().split("…") if p.strip()]
        if not pieces:
            continue  # a line of "…" only: text left out
        while i < len(lines) and not _pieces_in_order(pieces, lines[i]):
            i += 1
        if i == len(lines):
            return f"no line (at or after the previous match) shows {expected!r}"
        i += 1
    return None


def _pieces_in_order(pieces: list[str], line: str) -> bool:
    at = 0
    for piece in pieces:
        found = line.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))
RUN = [c for c in COMMANDS if c.kind in {"input", "show", "cli", "curl"}]


# --- the parser and the matcher --------------------------------------------------------------------------


def test_parser_reads_console_and_sh_blocks():
    text = ("```sh\nmake run    # serve\n# a comment\nmake test\n```\n\n```console\n$ printf 'x\\n' > a.txt\n"
            "$ cat a.txt\nx\n…\n$ curl -s http://127.0.0.1:8000/healthz \\\n  -H 'a: b'\n{\"status\":\"ok\"}\n```\n"
            "```json\n$ not a command\n```\n")
    cmds = readme_commands(text)
    assert [c.kind for c in cmds] == ["make-run", "make-test", "input", "show", "curl"]
    assert cmds[3].shown == ["x", "…"]
    assert cmds[4].text == "curl -s http://127.0.0.1:8000/healthz  -H 'a: b'"
    assert cmds[4].shown == ['{"status":"ok"}']
    assert Command("docker build -t x .", 1).kind == "unknown"
    assert Command(".venv/bin/nlp-service train topics", 1).kind == "unknown"
    assert Command("printf 'x' > /etc/passwd", 1).kind == "unknown"


def test_matcher_needs_every_shown_piece_in_order():
    out = 'title: -\nparagraphs: 3 in input -> 1 kept\n{"id":"abc","value":5.0,"unit":"项"}\n'
    assert shows(["paragraphs: 3 in input…", "…", '{"id":"a…"value":5.0,…'], out) is None
    assert shows(['{"id":"a…"unit":"项"…"value":5.0'], out) is not None  # pieces out of order
    assert shows(["paragraphs: 4 in input"], out) is not None
    assert shows(['{"id"', "paragraphs"], out) is not None  # lines out of order


# --- the README ------------------------------------------------------------------------------------------


def test_every_readme_command_is_known():
    unknown = [f"README.md:{c.lineno}: {c.text}" for c in COMMANDS if c.kind == "unknown"]
    assert not unknown, "commands this test does not run (teach tests/test_readme.py or CI):\n" + "\n".join(unknown)


def test_readme_shows_each_use_and_the_two_commands():
    kinds = {c.kind for c in COMMANDS}
    assert {"make-run", "make-test"} <= kinds
    subcommands = {shlex.split(c.text)[1] for c in COMMANDS if c.kind == "cli"}
    assert {"extract", "dedup", "ingest", "search", "track"} <= subcommands
    assert any(c.kind == "curl" for c in COMMANDS)
    for c in RUN:
        if c.kind != "input":
            assert c.shown, f"README.md:{c.lineno}: show (part of) the output of {c.text!r}"


def test_ci_runs_make_test_and_make_lint():
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    for target in ("make test", "make lint"):
        assert target in ci, f".ci/run does not call {target!r}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: .*\n\t\$\(PY\) -m pytest\s*$", makefile, re.MULTILINE)
    assert re.search(r"^lint: .*\n\t\$\(VENV\)/bin/ruff check ", makefile, re.MULTILINE)


# --- running the examples --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@dataclass
class Run:
    """The server started as ``make run`` starts it, and what each README command printed."""

    ready_after_s: float | None
    port: int
    server_log: str
    results: dict[int, subprocess.CompletedProcess] = field(default_factory=dict)


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory) -> Iterator[Run]:
    if not CLI.exists():
        pytest.skip(f"{CLI.relative_to(ROOT)} is missing: `make test` creates the virtual environment")
    if any(c.kind == "curl" for c in COMMANDS) and shutil.which("curl") is None:
        pytest.skip("curl is not installed: the README's curl examples cannot be run")
    work = tmp_path_factory.mktemp("readme")
    (work / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLPS_")}
    env["NLPS_DATABASE_URL"] = f"sqlite:///{work / 'store' / 'nlp_service.db'}"
    port = _free_port()
    log = work / "server.log"
    # exactly what `make run` calls (Makefile: $(VENV)/bin/nlp-service serve --host $(HOST) --port $(PORT))
    with log.open("wb") as log_fh:
        server = subprocess.Popen([str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=work, env=env, stdout=log_fh, stderr=subprocess.STDOUT)
    try:
        start = time.monotonic()
        ready_after = None
        while time.monotonic() - start < READY_WITHIN_S and server.poll() is None:
            if _get(f"http://127.0.0.1:{port}/readyz") == 200:
                ready_after = time.monotonic() - start
                break
            time.sleep(0.5)
        run = Run(ready_after, port, "")
        if ready_after is None:
            server.terminate()
            server.wait(timeout=20)
            run.server_log = log.read_text(encoding="utf-8", errors="replace")
        else:
            for i, cmd in enumerate(COMMANDS):
                if cmd.kind not in {"input", "show", "cli", "curl"}:
                    continue
                line = cmd.text.replace("http://127.0.0.1:8000/", f"http://127.0.0.1:{port}/")
                run.results[i] = subprocess.run(["bash", "-c", line], cwd=work, env=env,
                                                capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
        yield run
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_make_run_serves_a_ready_api(readme_run):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: .*\n\t\$\(VENV\)/bin/nlp-service serve --host \$\(HOST\) --port \$\(PORT\)\s*$",
                     makefile, re.MULTILINE), "the Makefile's run target no longer calls what this test starts"
    assert re.search(r"^HOST\s*\?=\s*127\.0\.0\.1\s*$", makefile, re.MULTILINE)
    assert re.search(r"^PORT\s*\?=\s*8000\s*$", makefile, re.MULTILINE)
    assert readme_run.ready_after_s is not None, (
        f"GET /readyz did not answer 200 within {READY_WITHIN_S} s; server log:\n{readme_run.server_log[-3000:]}")


@pytest.mark.parametrize("index", [COMMANDS.index(c) for c in RUN],
                         ids=[f"line{c.lineno}-{shlex.split(c.text)[1] if c.kind == 'cli' else c.kind}" for c in RUN])
def test_readme_example_runs_and_shows_its_output(readme_run, index):
    cmd = COMMANDS[index]
    if readme_run.ready_after_s is None:
        pytest.fail("the server did not start, so the examples did not run (see test_make_run_serves_a_ready_api)")
    proc = readme_run.results[index]
    assert proc.returncode == 0, f"README.md:{cmd.lineno}: {cmd.text}\nexit {proc.returncode}\n{proc.stderr[-3000:]}"
    missing = shows(cmd.shown, proc.stdout)
    assert missing is None, f"README.md:{cmd.lineno}: {cmd.text}\n{missing}\nreal output:\n{proc.stdout[-3000:]}"

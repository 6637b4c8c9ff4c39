"""The web pages in a real browser: Playwright driving Debian's Chromium against the real server.

The server is started as ``make run`` starts it (``nlp-service serve``) on a free loopback port with
a temporary SQLite store. Screenshots of each page at 1280×800 and 390×844 go to
``tests/screenshots/`` (kept out of git). Chromium is found as ``NLPS_CHROMIUM`` or ``chromium`` on
the PATH (``.ci/run`` installs Debian's package when missing); without it these tests are skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import ROOT, SAMPLE

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("NLPS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: `apt-get install chromium fonts-noto-cjk`")
CLI = ROOT / ".venv" / "bin" / "nlp-service"
SHOTS = ROOT / "tests" / "screenshots"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
# the two reports of a made-up city (tests/test_tracking.py), stored for the tracking page
from test_tracking import REPORT_2030, REPORT_2031  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    if not CLI.exists():
        pytest.skip("the virtual environment's nlp-service is missing")
    work = tmp_path_factory.mktemp("web")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLPS_")}
    env |= {"NLPS_DATABASE_URL": f"sqlite:///{work / 'store.db'}", "NLPS_WORKERS": "1"}
    with (work / "server.log").open("wb") as log:
        proc = subprocess.Popen([str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=work, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{base}/readyz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the server did not become ready:\n" + (work / "server.log").read_text(errors="replace"))
        for text, year in ((REPORT_2030, 2030), (REPORT_2031, 2031)):
            body = json.dumps({"text": text, "published": str(year), "region": "江州"}).encode()
            req = urllib.request.Request(f"{base}/v1/articles", body, {"content-type": "application/json"})
            assert urllib.request.urlopen(req, timeout=60).status == 201
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


def _shots(page, name: str, at: str | None = None) -> None:
    """Screenshots at both sizes (scrolled to ``at``), and a shorter one for the README."""
    SHOTS.mkdir(exist_ok=True)
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        page.evaluate("(sel) => sel ? document.querySelector(sel).scrollIntoView() : window.scrollTo(0, 0)", at)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("(sel) => sel ? document.querySelector(sel).scrollIntoView() : window.scrollTo(0, 0)", at)
    page.screenshot(path=str(SHOTS / f"{name}-readme.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 600})


def _sample() -> str:
    if not SAMPLE.exists():
        pytest.skip("../shared/corpus/ningbo-sci-tech-2024.txt is not available")
    return SAMPLE.read_text(encoding="utf-8")


def test_analyse_the_sample_article(server, page):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "分析文章"
    page.fill("#text", _sample())
    page.click("#analyse-button")
    page.wait_for_selector(".result")
    for kind in ("k-i", "k-s", "k-c", "k-e"):  # a highlight of each kind
        assert page.locator(f".text .hl.{kind}").count() > 0, kind
    assert page.locator(".para.duplicate s").count() > 0  # repeated paragraphs struck through
    assert "重复：同第" in page.locator(".para.duplicate .note").first.inner_text()
    # the side list holds every commitment; a commitment's card opens on keyboard focus and names its fields
    result = json.loads(page.locator("#result-json").text_content())
    assert page.locator("#com-table tbody tr").count() == len(result["commitments"]) > 0
    dated = next(n for n, c in enumerate(result["commitments"]) if c["deadline"])
    page.locator(f"#c{dated}").focus()
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert "承诺" in card.inner_text() and "截止" in card.inner_text()
    assert result["commitments"][dated]["deadline"] in card.inner_text()
    page.locator("#text").focus()  # the card closes
    _shots(page, "analyse", at=".result")


def test_a_card_names_the_deadline(server, page):
    page.goto(server + "/")
    page.fill("#text", "宁波市2024年人才工作要点\n\n到2025年，宁波力争引进顶尖人才100名，新建博士后工作站30家。")
    page.click("#analyse-button")
    page.wait_for_selector(".result")
    page.locator(".text .hl.k-c[id]").first.focus()
    assert "截止" in page.locator("#card").inner_text() and "2025" in page.locator("#card").inner_text()


def test_bad_input_keeps_the_text(server, page):
    page.goto(server + "/")
    page.fill("#text", "english only, no Chinese")
    page.click("#analyse-button")
    error = page.locator("#error")
    error.wait_for()
    assert "Chinese" in error.inner_text() and "no_chinese" in error.inner_text()
    assert page.input_value("#text") == "english only, no Chinese"


def test_save_then_search_and_narrow_by_a_facet(server, page):
    page.goto(server + "/")
    page.fill("#text", _sample())
    page.click("#analyse-button")
    page.wait_for_selector("#save-button")
    page.click("#save-button")
    page.wait_for_selector(".notice")
    assert "档案" in page.locator(".notice").inner_text()
    page.goto(server + "/search?q=人才")
    total = int(page.locator("#total strong").inner_text())
    assert total > 1 and page.locator(".hit mark").count() > 0
    _shots(page, "search")
    facet = next(a for a in page.locator(".facet[data-facet='topic'] li").all()
                 if int(a.locator(".count").inner_text()) < total)
    expected = int(facet.locator(".count").inner_text())
    facet.locator("a").click()
    page.wait_for_load_state()
    assert int(page.locator("#total strong").inner_text()) == expected < total
    page.locator(".hit .source a").first.click()  # the hit opens its article at the commitment
    page.wait_for_selector(".result")
    assert page.url.split("#")[1].startswith("c")
    assert page.locator(f"#{page.url.split('#')[1]}").count() == 1


def test_tracking_page(server, page):
    page.goto(server + "/tracking?region=江州")
    rows = page.locator("table.tracking tbody tr")
    assert rows.count() == 7
    text = page.locator("table.tracking").inner_text()
    assert "未完成" in text and "已完成" in text and "未到期" in text
    assert page.locator(".s-not_met").count() >= 2  # the count line and the GDP row
    _shots(page, "tracking")


def test_dedup_report_page(server, page, tmp_path):
    archive = tmp_path / "archive.jsonl"
    story = "宁波力争引进顶尖人才100名，新建博士后工作站30家，建设高能级创新平台。" * 3
    archive.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "a", "text": story},
        {"id": "b", "text": story.replace("博士后", "博土后", 1)},  # one character misread: a near copy
        {"id": "c", "text": "杭州建设算力中心5个，推动人工智能产业发展。" * 3})) + "\n", encoding="utf-8")
    subprocess.run([str(CLI), "dedup", str(archive), "--out", str(tmp_path / "kept.jsonl"), "--report",
                    str(tmp_path / "report.json"), "-q"], check=True, capture_output=True)
    page.goto(server + "/dedup")
    page.set_input_files("#report", str(tmp_path / "report.json"))
    page.set_input_files("#archive", str(archive))
    page.click("form.upload button")
    page.wait_for_selector(".cluster")
    assert "近似" in page.locator(".cluster").first.inner_text()
    assert page.locator(".cluster td.reason").first.inner_text().strip()  # the verifier says why
    assert page.locator(".diff del").count() > 0 and page.locator(".diff ins").count() > 0
    _shots(page, "dedup")

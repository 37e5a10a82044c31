"""The coder page in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright),
against a real server with the real pipeline on a free loopback port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from .service_support import SAMPLE_NOTE, ServerProcess, corpus_notes

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AUDIT_CLAIM = "64493-RT, 64493-LT, 77003"
XSS_NOTE = (
    "<script>window.__xss = 1; alert('script')</script>\n"
    "<img src=x onerror=\"window.__xss = 2; alert('img')\">\n"
    "<svg onload=\"alert('svg')\"></svg><iframe src=\"javascript:alert('iframe')\"></iframe>\n"
)
ACTIVE_GROUPS_JS = """() => {
  const groups = [];
  let current = null;
  for (const segment of document.querySelectorAll('#note-view span[data-start]')) {
    if (!segment.classList.contains('active')) { current = null; continue; }
    const start = Number(segment.dataset.start), end = Number(segment.dataset.end);
    if (current && current.end === start) { current.end = end; current.text += segment.textContent; }
    else { current = {start, end, text: segment.textContent}; groups.push(current); }
  }
  return groups.map((group) => group.text);
}"""


def merged_evidence_texts(text: str, evidence: list[dict]) -> list[str]:
    """The evidence spans merged where they overlap or touch, as the page shows them."""
    spans = sorted((span["start"], span["end"]) for span in evidence if span["end"] > span["start"])
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [text[start:end] for start, end in merged]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(
            "no browser could be found: /usr/bin/chromium is absent "
            "(apt-get install chromium chromium-driver); the browser test did not run"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """What a page did that it must not: dialogs, script errors, requests leaving the server."""

    def __init__(self, page, origin: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((origin, "data:"))
                else self.foreign_requests.append(request.url)
            ),
        )

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_page(browser, live_server) -> Iterator:
    """Opens the coder page in a fresh context; after the test, checks it did nothing it must not.

    ``bypass_csp`` turns the page's Content-Security-Policy off, so that only the page's own
    rendering (text nodes, never HTML) stands between a hostile note and the browser.
    """
    contexts = []

    def open_(bypass_csp: bool = False):
        context = browser.new_context(
            viewport={"width": 1400, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
            bypass_csp=bypass_csp,
        )
        page = context.new_page()
        watch = PageWatch(page, live_server.url)
        contexts.append((context, watch))
        page.goto(live_server.url + "/")
        return page, watch

    yield open_
    for context, watch in contexts:
        context.close()
        assert watch.errors == []
        assert watch.foreign_requests == []
        assert watch.dialogs == []


@pytest.fixture
def page(open_page):
    return open_page()


def api_code(live_server, text: str) -> dict:
    response = httpx.post(live_server.url + "/v1/code", json={"text": text, "payer": "medicare"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def code_in_page(page, text: str) -> None:
    page.fill("#note-input", text)
    page.select_option("#payer", "medicare")
    page.click("#code-btn")
    page.wait_for_selector("#status.ok", timeout=30_000)


def test_code_a_note_lines_and_evidence(page, live_server, tmp_path):
    page, _ = page
    note = SAMPLE_NOTE.read_text(encoding="utf-8")
    expected = api_code(live_server, note)
    code_in_page(page, note)

    codes = page.locator("#lines tbody td.code").all_text_contents()
    assert codes == [line["code"] for line in expected["lines"]]
    assert {"64493", "64494"} <= set(codes)
    modifiers = page.locator("#lines tbody td.modifiers").all_text_contents()
    assert modifiers == [" ".join(line["modifiers"]) for line in expected["lines"]]

    with_evidence = [index for index, line in enumerate(expected["lines"]) if line["evidence"]]
    assert with_evidence, "the sample's lines should carry evidence"
    for index in with_evidence:
        page.click(f"#lines tbody tr[data-index='{index}']")
        shown = page.evaluate(ACTIVE_GROUPS_JS)
        assert shown == merged_evidence_texts(note, expected["lines"][index]["evidence"])
        expect(page.locator("#note-view .active").first).to_be_in_viewport()

    for severity in {warning["severity"] for warning in expected["warnings"]}:
        group = page.locator(f"#warnings .severity-group[data-severity='{severity}'] li")
        ids = [w["id"] for w in expected["warnings"] if w["severity"] == severity]
        assert [group.nth(i).get_attribute("data-id") for i in range(group.count())] == ids
    page.click("#lines tbody tr[data-index='0']")
    screenshot = tmp_path / "coder-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000


def note_with_warning_evidence(live_server) -> tuple[str, dict]:
    """The first corpus note whose coding has lines and a warning with evidence."""
    for path in corpus_notes():
        text = path.read_text(encoding="utf-8")
        result = api_code(live_server, text)
        if result["lines"] and any(warning["evidence"] for warning in result["warnings"]):
            return text, result
    pytest.fail("no corpus note has both claim lines and a warning with evidence")


def test_warnings_grouped_by_severity_and_selectable(page, live_server):
    page, _ = page
    note, expected = note_with_warning_evidence(live_server)
    code_in_page(page, note)
    order = [
        group.get_attribute("data-severity") for group in page.locator("#warnings .severity-group").all()
    ]
    assert order == [
        s for s in ("error", "warning", "info") if any(w["severity"] == s for w in expected["warnings"])
    ]
    for severity in order:
        shown = page.locator(f"#warnings .severity-group[data-severity='{severity}'] li")
        assert [item.get_attribute("data-id") for item in shown.all()] == [
            warning["id"] for warning in expected["warnings"] if warning["severity"] == severity
        ]
    warning = next(warning for warning in expected["warnings"] if warning["evidence"])
    page.click(f"#warnings li[data-id='{warning['id']}']")
    assert page.evaluate(ACTIVE_GROUPS_JS) == merged_evidence_texts(note, warning["evidence"])
    assert (
        page.locator(f"#warnings li[data-id='{warning['id']}']").get_attribute("class").endswith("selected")
    )


def test_copy_button_copies_the_lines_as_text(page, live_server):
    page, _ = page
    note = SAMPLE_NOTE.read_text(encoding="utf-8")
    expected = api_code(live_server, note)
    code_in_page(page, note)
    page.click("#copy-btn")
    expect(page.locator("#status")).to_have_text(re.compile("^Copied"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.splitlines() == [
        "-".join([line["code"], *line["modifiers"]]) + (f" x{line['units']}" if line["units"] != 1 else "")
        for line in expected["lines"]
    ]


def test_audit_tab_shows_findings_next_to_the_supported_lines(page, live_server):
    page, _ = page
    note = SAMPLE_NOTE.read_text(encoding="utf-8")
    response = httpx.post(
        live_server.url + "/v1/audit", json={"text": note, "claim": AUDIT_CLAIM}, timeout=30
    )
    expected = response.json()
    assert expected["findings"]
    page.fill("#note-input", note)
    page.click("#tab-audit")
    page.fill("#claim-input", AUDIT_CLAIM)
    page.click("#audit-btn")
    page.wait_for_selector("#findings li", timeout=30_000)
    assert page.locator("#audit-lines tbody td.code").all_text_contents() == [
        line["code"] for line in expected["coding"]["lines"]
    ]
    shown = page.locator("#findings li")
    assert [shown.nth(i).get_attribute("data-id") for i in range(shown.count())] == [
        finding["id"] for finding in expected["findings"]
    ]
    assert page.is_visible("#audit-lines") and page.is_visible("#findings")


def test_xss_note_and_claim_run_nothing(open_page, tmp_path):
    page, watch = open_page(bypass_csp=True)
    note = XSS_NOTE + SAMPLE_NOTE.read_text(encoding="utf-8")
    code_in_page(page, note)
    view = page.locator("#note-view")
    assert view.text_content() == note
    assert page.evaluate("window.__xss") is None
    assert page.locator("#note-view *:not(span)").count() == 0
    assert page.evaluate("document.querySelectorAll('img, iframe, svg, script:not([src])').length") == 0

    page.click("#tab-audit")
    page.fill("#claim-input", "<img src=x onerror=\"alert('claim')\">")
    page.click("#audit-btn")
    page.wait_for_selector("#status.error", timeout=30_000)
    assert "<img" in page.text_content("#status")
    assert page.evaluate("document.querySelectorAll('img, iframe, svg').length") == 0
    assert page.evaluate("window.__xss") is None
    page.screenshot(path=str(tmp_path / "xss-note.png"), full_page=True)
    assert watch.dialogs == []


def test_drop_a_txt_file(page):
    page, _ = page
    note = SAMPLE_NOTE.read_text(encoding="utf-8")
    transfer = page.evaluate_handle(
        "(text) => { const dt = new DataTransfer();"
        " dt.items.add(new File([text], 'note.txt', {type: 'text/plain'})); return dt; }",
        note,
    )
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    expect(page.locator("#note-input")).to_have_value(note)
    assert "note.txt" in page.text_content("#status")


def test_docs_page_is_local(page, live_server):
    page, _ = page
    page.goto(live_server.url + "/docs")
    page.wait_for_selector(".endpoint")
    paths = page.locator(".endpoint .path").all_text_contents()
    assert {"/v1/code", "/v1/audit", "/healthz"} <= set(paths)


def test_offsets_count_code_points_like_python(page, live_server):
    """Characters outside the BMP are two UTF-16 units in JS but one code point in the offsets."""
    page, _ = page
    note = "Pt 😀🦴 says “ok” — café\n" + SAMPLE_NOTE.read_text(encoding="utf-8")
    expected = api_code(live_server, note)
    code_in_page(page, note)
    line = next(index for index, line in enumerate(expected["lines"]) if line["evidence"])
    page.click(f"#lines tbody tr[data-index='{line}']")
    assert page.evaluate(ACTIVE_GROUPS_JS) == merged_evidence_texts(note, expected["lines"][line]["evidence"])


def test_page_asks_for_the_api_key_when_the_service_has_one(browser, tmp_path):
    server = ServerProcess(tmp_path / "keyed.log", env={"FACETCODE_API_KEY": "page-key"})
    try:
        server.wait_ready()
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/")
        expect(page.locator("#api-key")).to_be_visible()
        page.fill("#note-input", SAMPLE_NOTE.read_text(encoding="utf-8"))
        page.click("#code-btn")
        expect(page.locator("#status.error")).to_contain_text("UNAUTHORIZED")
        page.fill("#api-key", "page-key")
        page.click("#code-btn")
        expect(page.locator("#status.ok")).to_be_visible(timeout=30_000)
        assert page.locator("#lines tbody tr").count() > 0
        context.close()
    finally:
        log = server.stop()
    assert "page-key" not in log

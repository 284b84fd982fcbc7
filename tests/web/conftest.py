"""A live app on 127.0.0.1 and a real headless Chromium to look at it."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("GRAPHSVC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip("browser tests need Debian's chromium: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("browser tests need playwright: pip install -e '.[test]'")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class PageWatch:
    """Console errors, failed requests, and every host the page asked for."""

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.hosts: set[str] = set()
        self.failed: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname or r.url))
        page.on("requestfailed", lambda r: self.failed.append(r.url))


def browser_sign_in(page, base: str, username: str = "admin") -> None:
    from tests.conftest import USER_PASSWORD

    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", USER_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("networkidle")


def open_page(browser, base: str | None = None, **options):
    """A new browser context and its page, signed in as the admin at ``base`` when given,
    watched from then on (:class:`PageWatch`)."""
    context = browser.new_context(**options)
    page = context.new_page()
    if base is not None:
        browser_sign_in(page, base)
    page.watch = PageWatch(page)
    return context, page


def _live_server(request) -> str | None:
    return request.getfixturevalue("live_server") if "live_server" in request.fixturenames \
        else None


@pytest.fixture
def page(browser, request):
    """A Chromium page; with a live server, signed in there as the admin."""
    context, page = open_page(browser, _live_server(request))
    yield page
    context.close()


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_page(browser, request):
    """A page that may have axe-core injected (the app's CSP forbids injected scripts, so this
    context bypasses it; the pages themselves are checked with the CSP in other tests)."""
    if not AXE.exists():
        why = "the accessibility checks need axe-core: npm install --prefix tests/web"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    context, page = open_page(browser, _live_server(request), bypass_csp=True)
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.help + " (" + v.nodes.length + "): "
                 + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return found

"""Browser tests: a real Chromium (Debian's package) driven by Playwright against the app
served by pytest-django's live server on a free local port.

Without Chromium the tests are skipped with a message saying how to get it, unless
MIRROR_REQUIRE_BROWSER=1 (as in CI), where a missing browser fails the run instead.
Every page a test visits can be scanned with axe-core (`assert_accessible`), and every
test fails on a JavaScript error or a console error (a CSP violation among them).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous, so Django's guard against async use does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MIRROR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def chromium_path() -> str | None:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    return path if path and os.access(path, os.X_OK) else None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or chromium_path():
        return
    message = (
        f"no Chromium at {CHROMIUM}: browser tests skipped "
        "(install Debian's package with `apt-get install chromium` to run them)"
    )
    if os.environ.get("MIRROR_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"MIRROR_REQUIRE_BROWSER=1 but {message}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """JavaScript errors and console errors seen while a test ran. Failed loads while a
    test has put the browser offline on purpose are expected, not problems."""

    EXPECTED = (
        "net::ERR_INTERNET_DISCONNECTED",
        # A locked journal's page answers 423 (journal.sealing), which Chromium logs as a
        # failed load; the tests that meet one assert it where they expect it.
        "status of 423 (Locked)",
    )

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))
        page.context.on("page", self.watch_console)
        self.watch_console(page)

    def watch_console(self, page) -> None:
        page.on("console", self._console)

    def _console(self, msg) -> None:
        if msg.type == "error" and not any(text in msg.text for text in self.EXPECTED):
            self.messages.append(f"console: {msg.text}")


# Chromium's virtual authenticator (over CDP) for passkeys: a platform authenticator that
# verifies the user and answers at once.
VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def new_page(browser, *, width: int = 1280, height: int = 900, color_scheme: str = "light"):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=color_scheme,
        locale="en-GB",
        timezone_id="Europe/London",
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def watched_page(browser, live_server, **size) -> Iterator:
    """A page on the live server that fails the test on any JavaScript or console error."""
    context, _ = new_page(browser, **size)
    yield from watched(context, live_server)


def watched(context, live_server) -> Iterator:
    """The context's page on the live server, failing the test on any JavaScript or console
    error; the context is closed after."""
    page = context.pages[0] if context.pages else context.new_page()
    problems = PageProblems()
    problems.watch(page)
    page.base_url = live_server.url
    yield page
    context.close()
    assert not problems.messages, "\n".join(problems.messages)


@pytest.fixture
def page(browser, live_server) -> Iterator:
    yield from watched_page(browser, live_server)


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    yield from watched_page(browser, live_server, width=375, height=740)


@pytest.fixture
def app_page(browser, live_server) -> Iterator:
    """A phone-sized page whose service worker runs (every other page blocks it)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", service_workers="allow"
    )
    context.set_default_timeout(10_000)
    yield from watched(context, live_server)


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()


def assert_accessible(page, label: str = "") -> None:
    """Scan the page as it is now with axe-core; serious or critical violations fail."""
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe found {len(blocking)} serious/critical violation(s) on {label or page.url}:"]
        for violation in blocking:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} → {targets}"
            )
        pytest.fail("\n".join(lines))
    minor = sorted({v["id"] for v in results.response["violations"]})
    AXE_LOG.append((label or page.url, minor))


AXE_LOG: list[tuple[str, list[str]]] = []


def pytest_terminal_summary(terminalreporter):
    if AXE_LOG:
        terminalreporter.write_sep("-", "axe-core scans")
        for label, minor in AXE_LOG:
            terminalreporter.write_line(
                f"{label}: 0 serious/critical, {len(minor)} minor/moderate {' '.join(minor)}"
            )

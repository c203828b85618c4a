"""Browser-test fixtures: the system Chromium driven by Playwright, and the app on a real local server."""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
_shots: list[Path] = []


@pytest.fixture(scope="session")
def browser():
    """The system Chromium (never a downloaded one); the test skips with the reason when there is none."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("no `chromium` on the PATH: install it (apt-get install -y chromium) to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app served by werkzeug in a thread on a free port of 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def context(browser):
    """A fresh browser profile per test (no shared cookies, caches, service workers), 360×740 like a phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): a full-page PNG under test-artifacts/screens/ (printed at the end of the run)."""

    def take(page, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _shots.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if _shots:
        terminalreporter.write_sep("-", f"screenshots (360×740) in {ARTIFACTS}")
        for path in _shots:
            terminalreporter.write_line(str(path))

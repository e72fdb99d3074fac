"""Desk test fixtures (imported by conftest): a running desk on a free port, and a real browser.

* ``desk`` — factory ``desk(ws, lan=False)`` → a :class:`RunningDesk`: waitress serving the desk for
  ``ws`` in a thread on 127.0.0.1 (the same ``make_server`` ``formgen desk`` uses), stopped after the test.
* ``browser`` — session-wide headless Debian chromium driven by Playwright (never ``playwright install``);
  the tests that use it skip with the reason when the playwright package or /usr/bin/chromium is missing.
* ``desk_page`` — a fresh 1366×768 page in its own browser context (its own cookies).
* ``shoot(page, name)`` — the page's screenshot in the session's screens folder (with FORMGEN_REGEN=1
  also copied to docs/desk/ for the README); returns the PNG's path, to look at.
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FORMGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1366, "height": 768}
DOCS_SCREENS = Path(__file__).resolve().parent.parent / "docs" / "desk"


@dataclass
class RunningDesk:
    app: object
    server: object
    url: str  # the URL formgen desk opens (with ?token= unless lan)
    thread: threading.Thread
    stopping: threading.Event

    @property
    def base(self) -> str:
        return self.app.config["DESK_URL"]

    @property
    def token(self) -> str:
        return self.app.config["DESK_TOKEN"]

    def worker(self):
        return next(iter(self.app.config["DESK_WORKERS"].values()))

    def stop(self) -> None:
        from formgen.desk.server import release

        self.stopping.set()
        self.thread.join(10)
        release(self.app)


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """Factory: ``desk(ws_or_None, lan=False)`` → a RunningDesk, stopped when the test ends."""
    from formgen.desk.server import make_server

    monkeypatch.setenv("FORMGEN_DESK_HOME", str(tmp_path / "desk-home"))  # the chooser's recent list
    running: list[RunningDesk] = []

    def start(ws=None, lan: bool = False) -> RunningDesk:
        server, app, url = make_server(ws.root if ws is not None else None, lan=lan, threads=4)
        from formgen.desk.server import serve_until

        stopping = threading.Event()
        thread = threading.Thread(target=serve_until, args=(server, stopping), name="desk-test-server", daemon=True)
        thread.start()
        running.append(RunningDesk(app, server, url, thread, stopping))
        return running[-1]

    yield start
    for d in running:
        d.stop()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("desk browser tests need the playwright package (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"desk browser tests need Debian's chromium at {CHROMIUM} (scripts/setup.sh installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def desk_page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(20000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))  # a script error fails the test at teardown
    yield page
    context.close()
    assert not errors, f"desk.js errors in the browser: {errors}"


@pytest.fixture(scope="session")
def screens_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("desk_screens")


@pytest.fixture
def shoot(screens_dir):
    def take(page, name: str, full_page: bool = False) -> Path:
        path = screens_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if os.environ.get("FORMGEN_REGEN") == "1":
            DOCS_SCREENS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SCREENS / path.name)
        return path

    return take

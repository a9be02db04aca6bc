"""A live server and a real browser for tests: ``config.asgi.application`` under uvicorn in a thread of
the test process, and Debian's Chromium (/usr/bin/chromium) driven by the Python ``playwright`` package."""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from apps.classroom.realtime.direct import PROTOCOL_PATH

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - browser_missing() says why
    Browser = Page = expect = sync_playwright = None  # type: ignore[assignment,misc]

__all__ = ["CHROMIUM", "Browser", "Page", "browser_missing", "chromium", "expect", "free_port", "log_in", "serve_asgi"]


def browser_missing() -> str | None:
    """Why a browser test cannot run here, or None."""
    if sync_playwright is None:
        return "the `playwright` package is not installed (requirements/dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: apt-get install chromium"
    return None


@contextmanager
def chromium() -> Iterator[Browser]:
    """Playwright's sync API keeps an event loop running in this thread while it is open, and Django
    refuses ORM calls from there: the test touches the database only before and after this block."""
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(browser: Browser, base_url: str, email: str, password: str) -> Page:
    """A new page signed in through the login form, on the dashboard where the login lands."""
    page = browser.new_page(base_url=base_url)
    page.set_default_timeout(20_000)
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_asgi() -> Iterator[str]:
    """``config.asgi.application`` served by uvicorn in a thread of this process (so it sees the test
    database, in-memory SQLite included); yields ``host:port``. The module is reloaded first: its board
    hub binds to the event loop it first runs on, and each server runs its own loop."""
    import config.asgi

    module = importlib.reload(config.asgi)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            module.application, host="127.0.0.1", port=port, lifespan="on", log_level="warning", ws=PROTOCOL_PATH
        )
    )
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True  # shutdown stores every board room (lifespan hook) before the DB is flushed
        thread.join(timeout=20)
        assert not thread.is_alive(), "uvicorn did not stop"

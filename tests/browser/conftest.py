"""Fixtures for tests that drive JupyterLab in a real browser (every ``tests/browser/test_*.py``).

- ``lab``: a JupyterLab server on 127.0.0.1 with a random token, its settings in the pytest
  temporary directory, always shut down at the end. ``lab.notebook(name, *cells)`` writes a
  notebook of code cells and returns its URL; ``lab.log`` is the server's log.
- ``page``: a headless Debian Chromium page (1400x1100, 60 s timeouts; mark a test
  ``@pytest.mark.screen(width, height, scale)`` for another size or devicePixelRatio). Errors the page
  throws or logs are collected in ``page.errors``. When the test fails, a screenshot is saved to
  ``failure.png`` in the test's temporary directory and the end of the server log is printed.
- ``lab.open(page, name, *cells)`` opens a notebook and waits for its kernel;
  ``lab.run_all(page)`` runs every cell from the Run menu, as a learner would.

Every test here is marked ``browser`` (deselect with ``-m "not browser"``) and is skipped
when Chromium or the ``playwright`` package is missing; it never downloads a browser.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = ("Install Chromium with 'sudo apt install chromium' (Debian/Ubuntu) and the Python package "
                "with 'pip install playwright' (no 'playwright install' needed: the tests use /usr/bin/chromium).")
SECOND = 1000                                              # Playwright counts in milliseconds
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_configure(config):
    config.addinivalue_line("markers", "screen(width, height, scale): the browser page's size and devicePixelRatio")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the test item, so the ``page`` fixture knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


def _stop(process, base_url):
    """Ask the server to shut down (it stops its kernels), then end what is left of what it started."""
    import psutil
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    try:
        urllib.request.urlopen(urllib.request.Request(base_url.replace("?", "api/shutdown?"), method="POST"),
                               timeout=5)
        process.wait(timeout=15)
    except Exception:
        pass
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    for child in children:                                 # kernels run in their own process group
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


class Lab:
    """A running JupyterLab server: write notebooks into its root, open them, run their cells."""

    def __init__(self, root, port, token, log):
        self.root, self.port, self.token, self.log = root, port, token, log

    def notebook(self, name, *cells):
        """Write ``name`` (e.g. "demo.ipynb") with one code cell per source string; return its URL."""
        notebook = {
            "cells": [{"cell_type": "markdown", "metadata": {}, "source": [f"# {name} (browser test)"]}]
            + [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": [source]}
               for source in cells],
            "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5,
        }
        (self.root / name).write_text(json.dumps(notebook))
        return f"http://127.0.0.1:{self.port}/lab/tree/{name}?token={self.token}"

    def open(self, page, name, *cells):
        """Write the notebook, open it in ``page`` and wait until its kernel is ready."""
        page.goto(self.notebook(name, *cells))
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        self.wait_for_kernel(page)

    def run_all(self, page):
        """Run > Run All Cells, from the menu bar as a learner would, then wait for the kernel."""
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        self.wait_for_kernel(page)

    @staticmethod
    def wait_for_kernel(page, timeout=60):
        """Answer JupyterLab's "Select Kernel" dialog if it comes up, and wait until the kernel is ready."""
        select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
        ready = page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| (Idle|Busy)"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if select.count() and select.is_visible():
                select.click()
            elif ready.count():
                return
            page.wait_for_timeout(250)
        raise TimeoutError(f"The notebook's kernel was not ready within {timeout} s.")


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server whose root is ``tmp_path / "root"``; yields a ``Lab``."""
    pytest.importorskip("playwright.sync_api", reason=f"playwright is not installed. {INSTALL_HINT}")
    pytest.importorskip("psutil", reason="psutil (installed with ipykernel) is needed to clean up the server.")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} was not found. {INSTALL_HINT}")
    root = tmp_path / "root"
    root.mkdir()
    settings = tmp_path / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               IPYTHONDIR=str(tmp_path / "ipython"), MPLBACKEND="Agg")
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyter.log"
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")                     # containers and CI often run as root
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=root,
                                   start_new_session=True)
    base_url = f"http://127.0.0.1:{port}/?token={token}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with code {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if _get(f"http://127.0.0.1:{port}/api/status?token={token}") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Lab(root, port, token, log)
    finally:
        _stop(process, base_url)


@pytest.fixture
def page(lab, tmp_path, request):
    """A headless Chromium page; on failure a screenshot (failure.png) and the server log's end are kept."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            marker = request.node.get_closest_marker("screen")
            width, height, scale = marker.args if marker else (1400, 1100, 1)
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
            page.set_default_timeout(60 * SECOND)
            page.errors = []
            page.on("pageerror", lambda error: page.errors.append(f"page error: {error}"))
            page.on("console", lambda message: message.type == "error" and page.errors.append(
                f"console error: {message.text}"))
            yield page
            report = getattr(request.node, "report_call", None)
            if report is not None and report.failed:
                page.screenshot(path=str(tmp_path / "failure.png"))
                print(f"screenshot: {tmp_path / 'failure.png'}\npage errors: {page.errors}\n"
                      f"jupyter log:\n{lab.log.read_text()[-3000:]}")
        finally:
            browser.close()

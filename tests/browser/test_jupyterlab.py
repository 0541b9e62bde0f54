"""The playground in a real JupyterLab, driven by Chromium: run all cells, press Train, move a slider.

Select it with ``pytest -m browser`` (or leave it out with ``-m "not browser"``). It needs
Debian's Chromium at /usr/bin/chromium and the ``playwright`` Python package; it never
downloads a browser. The JupyterLab server runs on 127.0.0.1 with a random token, keeps its
settings in the pytest temporary directory, and is always shut down at the end.
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
                "with 'pip install playwright' (no 'playwright install' needed: the test uses /usr/bin/chromium).")
SECOND = 1000                                              # Playwright counts in milliseconds

pytestmark = pytest.mark.browser

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Playground (browser test)"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["from dlstudy.widgets import playground\n", "box = playground()\n", "box"]},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


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


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server in tmp_path with the playground notebook; yields (notebook URL, log path)."""
    pytest.importorskip("playwright.sync_api", reason=f"playwright is not installed. {INSTALL_HINT}")
    pytest.importorskip("psutil", reason="psutil (installed with ipykernel) is needed to clean up the server.")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} was not found. {INSTALL_HINT}")
    root = tmp_path / "root"
    root.mkdir()
    (root / "playground.ipynb").write_text(json.dumps(NOTEBOOK))
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
        yield f"http://127.0.0.1:{port}/lab/tree/playground.ipynb?token={token}", log
    finally:
        _stop(process, base_url)


def _wait_for_kernel(page, timeout=60):
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


def test_playground_trains_in_jupyterlab(lab, tmp_path):
    from playwright.sync_api import expect, sync_playwright
    url, log = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(60 * SECOND)
            page.goto(url)
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
            _wait_for_kernel(page)

            # Run > Run All Cells, from the menu bar as a learner would.
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            _wait_for_kernel(page)

            output = page.locator(".jp-OutputArea-output")
            train = output.locator("button", has_text="Train")
            train.wait_for(timeout=120 * SECOND)                   # the kernel starts and imports torch
            result = output.locator(".widget-html-content").first
            image = output.locator(".widget-image").first
            expect(result).to_contain_text("press Train")
            before = result.inner_text()

            train.click()
            expect(result).to_contain_text("Test accuracy: 100.0%", timeout=60 * SECOND)
            expect(train).to_be_enabled()
            assert result.inner_text() != before
            trained_image = image.get_attribute("src")

            # Move the Epochs slider one step right with the keyboard (300 -> 350), then train again.
            epochs = output.locator(".widget-slider", has=page.locator("label", has_text=re.compile(r"^Epochs$")))
            epochs.locator(".noUi-handle").focus()
            page.keyboard.press("ArrowRight")
            expect(epochs.locator(".widget-readout")).to_have_text("350")
            expect(result).to_contain_text("Settings changed")
            train.click()
            expect(result).to_contain_text("after 350 epochs", timeout=60 * SECOND)
            assert image.get_attribute("src") != trained_image      # the picture was redrawn in place

            output.first.scroll_into_view_if_needed()
            shot = tmp_path / "playground.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")
            assert shot.stat().st_size > 10_000
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"jupyter log:\n{log.read_text()[-3000:]}")
            raise
        finally:
            browser.close()

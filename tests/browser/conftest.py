"""Voila + headless Chromium fixtures for the real-browser tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from widgets.serve import CHROMIUM_ARGS, Served

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = os.environ.get("MATHDL_CHROMIUM", "/usr/bin/chromium")


class VoilaServer(Served):
    """The course's server on ``notebook`` (or a folder), with extra command-line options; its
    log in ``artifacts/browser/``."""

    def __init__(self, notebook: Path, *options: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # a loaded machine: the server's imports alone can take a minute (Served waits 180 s)
        super().__init__(
            notebook, *options, log_path=ARTIFACTS / f"voila-{notebook.stem}.log", cwd=ROOT
        )


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def voila():
    servers = []

    def start(notebook: Path, *options: str) -> VoilaServer:
        s = VoilaServer(notebook, *options)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()

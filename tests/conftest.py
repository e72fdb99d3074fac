"""Shared fixtures: a fresh workspace of any preset, one collected workspace, the golden-output switch.

* ``new_workspace(preset, units=None)`` — a factory: a fresh ``formgen init`` workspace in
  tmp_path (campaign.yaml, units.xlsx, templates/, forms_in/, out/). Each preset is initialised
  once per session and copied, so a test pays for a directory copy, not for building templates.
* ``workspace`` — ``new_workspace("ruian-2014")``; parametrize it indirectly with a preset name:
  ``@pytest.mark.parametrize("workspace", ["ruian-2014", "kunshan-awards"], indirect=True)``.
* ``collected_workspace`` — session-wide, read-only: ruian-2014 after ``collect`` of every file in
  tests/data/returns/ (three units: anchored forms, retyped forms, a text PDF, a deeds document, and two
  修改稿 PDFs arriving a day later, which supersede 东山街道's application and 玉海街道's post score sheet).
  ``collected_copy`` is a private copy of it for tests that change the ledger.
* ``regen_golden`` — True under ``pytest --regen-golden`` or ``FORMGEN_REGEN=1``.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from testdata import ARRIVED, RETURNS, regen_requested

REVISED_LATER = 86400  # seconds: the revised forms (修改稿) of tests/data/returns arrive a day after the rest


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="rewrite the golden outputs in tests/data/expected/ from the current code")


@pytest.fixture(scope="session")
def regen_golden(request) -> bool:
    return regen_requested(request.config)


@pytest.fixture(scope="session")
def _preset_trees(tmp_path_factory):
    """Preset name → a workspace initialised from it once this session (never handed out itself)."""
    from formgen.issue.init import init_workspace

    trees: dict[str, Path] = {}

    def tree(preset: str) -> Path:
        if preset not in trees:
            trees[preset] = init_workspace(tmp_path_factory.mktemp(f"preset-{preset}") / "ws", preset).root
        return trees[preset]

    return tree


def copy_workspace(src: Path, dest: Path, units=None):
    """A copy of the workspace at ``src`` in ``dest`` (optionally with another unit list), opened."""
    from formgen.campaign.load import write_units
    from formgen.workspace import Workspace

    shutil.copytree(src, dest)
    ws = Workspace.open(dest)
    if units is not None:
        write_units(dest / ws.campaign.units_file, list(units))
        ws = Workspace.open(dest)
    return ws


@pytest.fixture
def new_workspace(tmp_path, _preset_trees):
    """Factory: ``new_workspace(preset="ruian-2014", units=None, name="ws")`` → a fresh Workspace in tmp_path."""
    def make(preset: str = "ruian-2014", units=None, name: str = "ws"):
        return copy_workspace(_preset_trees(preset), tmp_path / name, units)

    return make


@pytest.fixture
def workspace(request, new_workspace):
    """A fresh workspace of ruian-2014, or of the preset this fixture is parametrized with (indirect=True)."""
    return new_workspace(getattr(request, "param", "ruian-2014"))


def put_returns(ws, names=None, when=ARRIVED) -> list[Path]:
    """Copy files of tests/data/returns/ (all, or ``names``) into forms_in/, arrived at ``when`` (China time)."""
    from formgen.ledger.files import CHINA_TZ

    stamp = when.replace(tzinfo=CHINA_TZ).timestamp()
    out = []
    if names is None:  # the scan needs OCR: a test that wants it names it
        names = [p.name for p in sorted(RETURNS.iterdir()) if p.suffix.lower() not in (".jpg", ".png")]
    for src in (RETURNS / n for n in names):
        dest = ws.forms_in / src.name
        shutil.copyfile(src, dest)
        at = stamp + (REVISED_LATER if "修改稿" in src.name else 0)  # a 修改稿 comes after what it revises
        os.utime(dest, (at, at))
        out.append(dest)
    return out


@pytest.fixture(scope="session")
def collected_workspace(tmp_path_factory, _preset_trees):
    """ruian-2014 after one ``collect`` of tests/data/returns/ (no OCR file). Read-only: use collected_copy to change it."""
    from formgen.collect.collect import collect

    ws = copy_workspace(_preset_trees("ruian-2014"), tmp_path_factory.mktemp("collected") / "ws")
    put_returns(ws)
    report = collect(ws)
    assert not report.failures, report.failures
    return ws


@pytest.fixture
def collected_copy(tmp_path, collected_workspace):
    """A private copy of ``collected_workspace`` (ledger included) that a test may change."""
    return copy_workspace(collected_workspace.root, tmp_path / "ws")


@pytest.fixture(scope="session")
def dongshan_doc(tmp_path_factory) -> bytes:
    """tests/data/returns/东山街道勤廉标兵申报表.docx saved as Word 97 (.doc) by LibreOffice, once per session.
    Callers skip without LibreOffice (mark them ``soffice``)."""
    import subprocess

    from testdata import DONGSHAN_APP

    out = tmp_path_factory.mktemp("dongshan_doc")
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(out / 'p').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(out), str(RETURNS / DONGSHAN_APP)],
                   check=True, capture_output=True, timeout=120)
    return (out / (Path(DONGSHAN_APP).stem + ".doc")).read_bytes()


@pytest.fixture
def county(tmp_path):
    """issue 22's county 最佳办事窗口 campaign: init from a preset, then the county's campaign.yaml and unit list."""
    from county import make_county

    return make_county(tmp_path / "county")


@pytest.fixture(scope="session")
def _demo_trees(tmp_path_factory):
    """Preset name → ``formgen demo --preset … --no-pdf`` run once this session (never handed out itself)."""
    from click.testing import CliRunner

    from formgen.cli import cli

    trees: dict[str, Path] = {}

    def tree(preset: str) -> Path:
        if preset not in trees:
            root = tmp_path_factory.mktemp(f"demo-{preset}") / "demo"
            result = CliRunner().invoke(cli, ["demo", str(root), "--preset", preset, "--no-pdf"])
            assert result.exit_code == 0, result.output
            trees[preset] = root
        return trees[preset]

    return tree


@pytest.fixture
def demo_copy(tmp_path, _demo_trees):
    """Factory: ``demo_copy("kunshan-awards")`` → a private copy of that preset's finished demo, opened."""
    def make(preset: str, name: str = "demo"):
        return copy_workspace(_demo_trees(preset), tmp_path / name)

    return make


from desk_helpers import browser, desk, desk_page, screens_dir, shoot  # noqa: E402,F401  (the desk's fixtures)

"""Issue 15 defect 11: ``collect --jobs`` workers end with their parent, and a file that never
finishes is skipped with one line while the batch goes on. Real processes throughout: a collect
subprocess, its forkserver and workers; tests/data/hang_site makes one reader hang in the workers."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_collect_hardening import _pdf

HANG_SITE = Path(__file__).parent / "data" / "hang_site"
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")


@pytest.fixture(scope="module")
def preset_ws(tmp_path_factory):
    from formgen.issue.init import init_workspace

    return init_workspace(tmp_path_factory.mktemp("pool") / "ws", "ruian-2014").root


def _workspace(preset_ws, tmp_path, stuck: int, fine: int) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(preset_ws, root)
    (root / "forms_in").mkdir(exist_ok=True)
    for n in range(stuck):
        (root / "forms_in" / f"卡住{n}.pdf").write_bytes(_pdf(f"第{n}份材料。" * 20))
    for n in range(fine):
        (root / "forms_in" / f"事迹{n}.pdf").write_bytes(_pdf(f"第{n}份详细事迹材料。" + "该同志工作认真负责。" * 40))
    return root


def _collect(root: Path, seconds: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(HANG_SITE), "FORMGEN_FILE_SECONDS": str(seconds), "COLUMNS": "400"}
    return subprocess.Popen([sys.executable, "-c", "from formgen.cli import main; main()", "-C", str(root),
                             "collect", "--jobs", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _live_descendants(pid: int) -> set[int]:
    """Running (not zombie) processes below ``pid``, from /proc."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parent[int(entry.name)] = int(fields[1])
    out, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - out
        out |= frontier
    return out


def _alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def test_issue15_defect11_workers_end_when_collect_is_killed(preset_ws, tmp_path):
    root = _workspace(preset_ws, tmp_path, stuck=2, fine=0)
    proc = _collect(root, seconds=600)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:  # forkserver + two workers, both stuck
            workers = _live_descendants(proc.pid)
            if len(workers) >= 3:
                break
            time.sleep(0.2)
        assert len(workers) >= 3, (proc.poll(), workers)
        time.sleep(2)  # let the workers take their files
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 20
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _alive(workers)
    finally:
        for pid in _alive(workers if "workers" in locals() else set()):
            os.kill(pid, signal.SIGKILL)  # processes this test started
    assert left == set()


def test_issue15_defect11_a_file_that_never_finishes_is_skipped_and_the_batch_goes_on(preset_ws, tmp_path):
    root = _workspace(preset_ws, tmp_path, stuck=1, fine=3)
    proc = _collect(root, seconds=3)
    try:
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = out.decode("utf-8") + err.decode("utf-8")
    assert proc.returncode == 0, text
    stuck = [line for line in text.splitlines() if "卡住0.pdf" in line]
    assert len(stuck) == 1 and "读取超过 3 秒仍未完成，已跳过" in stuck[0], text
    from formgen.ledger.files import all_receipts
    from formgen.workspace import Workspace

    with Workspace.open(root).ledger() as ledger:
        names = sorted(r.name for r in all_receipts(ledger))
    assert names == ["事迹0.pdf", "事迹1.pdf", "事迹2.pdf"]  # the stuck file is not recorded: read again next run
    assert (root / "forms_in" / "卡住0.pdf").exists()

"""Issue 15.7: one folder reader — every folder formgen reads from gets the same rules.

ballots_in/ used ``rglob`` + ``is_file()``: a symbolic link was followed and its target's bytes
stored in the ledger, and there was no size limit. forms_in/ refused links. Now ballots_in/,
forms_in/ and the returned-workbook folders all go through formgen.intake.folders.
"""
from __future__ import annotations

import os

import cv2
import numpy as np
from click.testing import CliRunner

from formgen.ballots import layout as L
from formgen.ballots.code import SheetCode
from formgen.ballots.sample import blank_page, degrade_scan, draw_mark
from formgen.intake.limits import MAX_BYTES

COUNTS = "counts:\n  internal: {班子成员: 2, 内设机构负责人和干部职工: 2}\n"


def ballot_png(ws, serial: int = 1, level: int = 0, seed: int | None = None) -> bytes:
    """A scanned internal ballot (班子成员, sheet ``serial``), every row ticked at ``level``."""
    from formgen.ballots.run import ballot_settings

    s = ballot_settings(ws)
    rating = s.rating("internal")
    rng = np.random.default_rng(serial if seed is None else seed)
    img = blank_page(s, rating, SheetCode(s.key("internal"), 0, serial, 0), 150)
    pl = L.page_layout(rating, 0)
    for i in range(len(pl.subjects)):
        draw_mark(img, pl.box(i, level), 150 / 25.4, "tick", "blue", rng)
    return cv2.imencode(".png", degrade_scan(img, 150, rng))[1].tobytes()


def test_ballots_in_follows_no_link_lists_hidden_files_and_keeps_the_size_limit(new_workspace, tmp_path):
    from formgen.cli import cli

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text(COUNTS, encoding="utf-8")
    inbox = ws.root / "ballots_in"
    inbox.mkdir()
    outside = tmp_path / "elsewhere.png"  # a real ballot, but outside: a link to it must not be read
    outside.write_bytes(ballot_png(ws, serial=1))
    os.symlink(outside, inbox / "链接.png")
    (inbox / ".隐藏.png").write_bytes(ballot_png(ws, serial=2))
    with open(inbox / "超大.pdf", "wb") as fh:  # sparse: 60 MB on paper, nothing on disk
        fh.truncate(MAX_BYTES + 10 * 1024 * 1024)
    (inbox / "好票.png").write_bytes(ballot_png(ws, serial=2, level=1))
    r = CliRunner().invoke(cli, ["-C", str(ws.root), "ballots", "read"])
    assert r.exit_code == 0, r.output
    out = "".join(r.output.split())
    assert "链接.png：是符号链接" in out
    assert ".隐藏.png：是隐藏文件" in out
    assert "超大.pdf：文件过大（60MB，上限50MB）" in out
    assert "本次读取测评票1页" in out  # the good one
    with ws.ledger() as ledger:
        files = [row[0] for row in ledger.conn.execute("SELECT DISTINCT file FROM ballot_reads")]
        stored = {row[0] for row in ledger.conn.execute("SELECT sha256 FROM blobs")}
    assert files == ["好票.png"]
    import hashlib

    assert hashlib.sha256(outside.read_bytes()).hexdigest() not in stored


def test_collect_hands_over_no_linked_ballot(new_workspace, tmp_path):
    """forms_in/ and ballots_in/ agree: a link in either is listed, never read."""
    from formgen.cli import cli

    ws = new_workspace("town-internal")
    (ws.root / "ballots.yaml").write_text(COUNTS, encoding="utf-8")
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(ballot_png(ws, serial=1))
    os.symlink(outside, ws.forms_in / "链接.png")
    (ws.root / "ballots_in").mkdir()
    os.symlink(outside, ws.root / "ballots_in" / "链接2.png")
    r = CliRunner().invoke(cli, ["-C", str(ws.root), "collect"])
    assert r.exit_code == 0, r.output
    out = "".join(r.output.split())
    assert "链接2.png：是符号链接" in out and "链接.png" in out
    with ws.ledger() as ledger:
        assert ledger.conn.execute("SELECT COUNT(*) FROM ballot_reads").fetchone()[0] == 0


def test_returned_workbook_folders_list_links_and_hidden_books(tmp_path):
    from formgen.outputs import take_notices
    from formgen.intake.folders import workbooks_in

    folder = tmp_path / "returned"
    folder.mkdir()
    (folder / "张三.xlsx").write_bytes(b"PK")
    (folder / ".李四.xlsx").write_bytes(b"PK")
    (folder / "~$张三.xlsx").write_bytes(b"lock")
    (tmp_path / "other.xlsx").write_bytes(b"PK")
    os.symlink(tmp_path / "other.xlsx", folder / "王五.xlsx")
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    take_notices()
    assert [p.name for p in workbooks_in(folder)] == ["张三.xlsx"]
    lines = take_notices()
    assert len(lines) == 2
    assert any(".李四.xlsx：是隐藏文件" in line for line in lines)
    assert any("王五.xlsx：是符号链接" in line for line in lines)


def test_read_listed_reads_no_link_and_nothing_over_the_limit(tmp_path):
    """The reading half of the rules: a link put in a listed file's place is not read through,
    and a file over the limit is refused before its bytes are read."""
    import pytest

    from formgen.errors import InputFileError
    from formgen.intake.folders import read_listed

    (tmp_path / "real.docx").write_bytes(b"PK\x03\x04")
    os.symlink(tmp_path / "real.docx", tmp_path / "swapped.docx")
    with pytest.raises(OSError):
        read_listed(tmp_path / "swapped.docx")
    assert read_listed(tmp_path / "real.docx") == b"PK\x03\x04"
    with pytest.raises(InputFileError, match="文件过大") as e:
        read_listed(tmp_path / "real.docx", limit=3)
    assert e.value.kind == "too_large"

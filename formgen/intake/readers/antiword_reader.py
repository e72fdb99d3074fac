"""A second reader for Word 97-2003 binaries: ``antiword -x db`` (DocBook) → GridDocument.

LibreOffice loses the table structure of some .doc files (old Word and WPS
versions, and even its own "MS Word 97" export of our score sheets): the cells
come back as loose paragraphs, glued across cell boundaries. antiword reads
the same file's table rows and cells correctly, but joins the paragraphs of a
cell. :func:`tables_restored` takes antiword's structure and LibreOffice's
paragraph breaks (a LibreOffice break inside a cell's text is a real break),
so the grid matches what the .docx reader would give.

Returns None whenever antiword is missing, fails or times out: the caller
keeps LibreOffice's reading and says that the table could not be read.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from formgen.intake.grid import Cell, GridDocument, Line, Table

TIMEOUT = 30.0
MAX_OUTPUT = 20 * 1024 * 1024

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True, recover=False)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>", re.S)
_SPACE = re.compile(r"\s+")


def antiword_path() -> str | None:
    return shutil.which("antiword")


def docbook_of(data: bytes) -> bytes | None:
    """antiword's DocBook rendering of a Word binary; None when antiword is absent or fails."""
    exe = antiword_path()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="formgen-antiword-") as tmp:
        path = Path(tmp) / "in.doc"  # our own name: nothing a sender chose becomes an argument
        path.write_bytes(data)
        try:
            done = subprocess.run([exe, "-x", "db", "-m", "UTF-8.txt", str(path)], capture_output=True,
                                  timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except (subprocess.TimeoutExpired, OSError):
            return None
    if done.returncode != 0 or not done.stdout or len(done.stdout) > MAX_OUTPUT:
        return None
    return done.stdout


def _text(el) -> str:
    return _SPACE.sub(" ", "".join(el.itertext())).strip()


def _table(informal, index: int) -> Table | None:
    """One informaltable; its tgroups (row runs with different column sets) share one column grid."""
    groups = []
    for tgroup in informal.iter("tgroup"):
        widths = []
        for spec in tgroup.findall("colspec"):
            m = re.match(r"([\d.]+)", spec.get("colwidth") or "")
            widths.append(float(m.group(1)) if m else 0.0)
        rows = [[_text(e) for e in row.findall("entry")] for row in tgroup.iter("row")]
        groups.append((widths, rows))
    # Column edges: the union of every group's cumulative widths (rounded: Word stores twips).
    edges = {0.0}
    for widths, _ in groups:
        x = 0.0
        for wd in widths:
            x += wd
            edges.add(round(x))
    grid = sorted(edges)

    def col_of(x: float) -> int:
        return min(range(len(grid)), key=lambda i: abs(grid[i] - x))

    cells: list[Cell] = []
    r = 0
    for widths, rows in groups:
        bounds, x = [], 0.0
        for wd in widths:
            bounds.append((col_of(x), col_of(x + wd)))
            x += wd
        for row in rows:
            for k, text in enumerate(row):
                if k < len(bounds):
                    c0, c1 = bounds[k]
                else:  # more entries than colspecs: one column each after the last
                    c0 = (bounds[-1][1] if bounds else 0) + k - len(bounds)
                    c1 = c0 + 1
                cells.append(Cell(text=text, row=r, col=c0, colspan=max(1, c1 - c0),
                                  where=f"表{index + 1} 第{r + 1}行第{c0 + 1}列"))
            r += 1
    return Table(cells=cells, index=index) if cells else None


def read_docbook(xml: bytes, name: str) -> GridDocument | None:
    """The grid of antiword's DocBook output: paragraphs as lines, informal tables as tables."""
    try:
        root = etree.fromstring(_DOCTYPE.sub(b"", xml, count=1), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    chapter = root.find("chapter")
    body = chapter if chapter is not None else root
    blocks: list = []
    for el in body.iter("para", "informaltable"):
        if el.tag == "informaltable":
            table = _table(el, sum(isinstance(b, Table) for b in blocks))
            if table is not None:
                blocks.append(table)
        elif el.find(".//informaltable") is None and not any(a.tag == "informaltable" for a in el.iterancestors()):
            text = _text(el)
            if text:
                blocks.append(Line(text=text))
    return GridDocument(source=name, blocks=blocks, method="labels")


def table_cells(doc: GridDocument) -> int:
    return sum(len(t.cells) for t in doc.tables)


def _paragraph_stream(doc: GridDocument) -> tuple[str, set[int]]:
    """All text without white space, and the offsets in it where a paragraph ended."""
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Line):
            parts += b.text.split("\n")
        else:
            for row in b.rows():
                for c in row:
                    parts += c.text.split("\n")
    stream, breaks, n = [], set(), 0
    for p in parts:
        compact = _SPACE.sub("", p)
        stream.append(compact)
        n += len(compact)
        breaks.add(n)
    return "".join(stream), breaks


def _with_breaks(text: str, stream: str, breaks: set[int], start: int) -> tuple[str, int]:
    """``text`` with a line break wherever LibreOffice ended a paragraph inside it; the new cursor."""
    compact = _SPACE.sub("", text)
    if len(compact) < 2:
        return text, start
    at = stream.find(compact, start)
    if at < 0:
        at = stream.find(compact)
    if at < 0:
        return text, start
    inner = {b - at for b in breaks if at < b < at + len(compact)}
    out, seen = [], 0
    for ch in text:
        if not ch.isspace():
            if seen in inner:
                out.append("\n")
            seen += 1
        out.append(ch)
    lines = [ln.strip() for ln in "".join(out).split("\n")]
    return "\n".join(ln for ln in lines if ln), at + len(compact)


def tables_restored(data: bytes, converted: GridDocument) -> GridDocument | None:
    """The antiword reading of a Word binary when it holds more table cells than ``converted``
    (LibreOffice's reading); paragraph breaks inside cells come from ``converted``.
    None when antiword is unavailable or finds no more table than LibreOffice did."""
    xml = docbook_of(data)
    if xml is None:
        return None
    doc = read_docbook(xml, converted.source)
    if doc is None or table_cells(doc) <= table_cells(converted):
        return None
    stream, breaks = _paragraph_stream(converted)
    cursor = 0
    for b in doc.blocks:
        if isinstance(b, Table):
            for row in b.rows():
                for c in row:
                    c.text, cursor = _with_breaks(c.text, stream, breaks, cursor)
    doc.properties = dict(converted.properties)
    return doc

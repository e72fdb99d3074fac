"""The table layouts of the forms formgen issued, for reading their scans cell by cell.

formgen prints its own forms: it knows every table's rows and columns, which
cells hold labels and which hold answers (the value cells carry the point
bookmarks of :mod:`formgen.anchors`). A scan of such a form need not be read
whole: once its rulings are found, the OCR reader matches them to one of these
layouts and reads only the answer cells (``readers.cell_reader``).

The layouts come from the blank forms themselves — the ``.docx`` templates of
a workspace, or the built-in forms' templates made in memory — read with the
docx reader, so a template a user restyled in Word is what is matched.

Readers get the layouts through :func:`reading_issued` (a context variable), not
through every signature: a caller that sets none gets today's full-page path.
"""
from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from formgen import anchors as A
from formgen.errors import FormgenError
from formgen.intake.grid import GridDocument
from formgen.intake.result import SourceFile


@dataclass(frozen=True)
class IssuedCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str  # the printed text (a label, or a placeholder in an answer cell)
    answer: bool  # a value cell: read it; a label: its text is known

    @property
    def label(self) -> str:
        """The label without spacing (``姓　　名`` → ``姓名``), as it is compared with a reading."""
        return re.sub(r"\s+", "", self.text)


@dataclass(frozen=True)
class IssuedTable:
    """One ruled table of an issued form: a lattice of ``n_rows`` × ``n_cols`` with merged cells."""

    form_type: str
    index: int  # the table's place in the form
    n_rows: int
    n_cols: int
    cells: tuple[IssuedCell, ...]

    @cached_property
    def grid(self) -> list[list[int]]:
        """(row, col) → index of the cell covering it."""
        grid = [[-1] * self.n_cols for _ in range(self.n_rows)]
        for k, c in enumerate(self.cells):
            for r in range(c.row, c.row + c.rowspan):
                for j in range(c.col, c.col + c.colspan):
                    grid[r][j] = k
        return grid


def tables_of(form_type: str, doc: GridDocument) -> list[IssuedTable]:
    """The tables of a blank form read by the docx reader. A cell is an answer when it holds a
    value anchor (``fg_…``) or is empty; every other cell is a printed label."""
    out = []
    for t in doc.tables:
        cells = tuple(IssuedCell(c.row, c.col, c.rowspan, c.colspan, c.text,
                                 bool(c.anchors) or not c.text.strip()) for c in t.cells)
        if t.n_rows and t.n_cols and any(not c.answer for c in cells):
            out.append(IssuedTable(form_type, t.index, t.n_rows, t.n_cols, cells))
    return out


def form_type_of(doc: GridDocument) -> str | None:
    """The form type an issued blank names (custom property, else the title's bookmark)."""
    if doc.properties.get(A.PROP_FORM_TYPE):
        return doc.properties[A.PROP_FORM_TYPE]
    for name in doc.all_anchors():
        kind = A.parse_anchor(name)
        if kind and kind[0] == "form":
            return str(kind[1])
    return None


def tables_of_blanks(blanks: Iterable[tuple[str, bytes]]) -> list[IssuedTable]:
    """(file name, .docx bytes) of blank forms → their tables; a file that is no issued form
    (the notice, a damaged template) is left out: its forms are read the full-page way."""
    from formgen.intake.readers.docx_reader import read_docx

    out: list[IssuedTable] = []
    for name, data in blanks:
        try:
            doc = read_docx(SourceFile(name=name, data=data))
        except FormgenError:
            continue
        form_type = form_type_of(doc)
        if form_type:
            out.extend(tables_of(form_type, doc))
    return out


def tables_in_folder(folder: Path) -> list[IssuedTable]:
    """The issued tables of the templates in ``folder`` (a workspace's ``templates/``)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    blanks = []
    for p in sorted(folder.glob("*.docx")):
        try:
            blanks.append((p.name, p.read_bytes()))
        except OSError:
            continue
    return tables_of_blanks(blanks)


# ----------------------------------------------------------------------------------------
# what the readers see
# ----------------------------------------------------------------------------------------

Source = Callable[[], list[IssuedTable]]
_current: contextvars.ContextVar[Source | None] = contextvars.ContextVar("formgen_issued", default=None)
_loaded: list = [None, []]  # (the source last loaded, its tables): one source at a time


@contextmanager
def reading_issued(tables: list[IssuedTable] | Source | None) -> Iterator[None]:
    """Within the block, the OCR reader matches scans to ``tables`` (a list, or a function
    giving it on first need: making the layouts costs time a run without scans need not pay)."""
    source = tables if callable(tables) or tables is None else (lambda t=tables: t)
    token = _current.set(source)
    try:
        yield
    finally:
        _current.reset(token)


def current_tables() -> list[IssuedTable]:
    """The issued tables set by :func:`reading_issued` (loaded once per source), or []."""
    source = _current.get()
    if source is None:
        return []
    if _loaded[0] is not source:
        _loaded[:] = [source, list(source())]
    return _loaded[1]

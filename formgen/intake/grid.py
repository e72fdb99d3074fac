"""The one intermediate form every reader produces: a grid of labelled cells.

A reader (docx, pdf-text, ocr, …) turns a file into a :class:`GridDocument`:
the lines of text outside tables and the tables as grids of :class:`Cell`.
The matcher (``formgen.intake.matcher``) turns a GridDocument into fields and
item scores without knowing which format it came from — as Docling turns every
format into one document model.

Conventions every reader keeps:

* ``Cell.text``: paragraphs joined by ``\\n``, runs concatenated, nothing else
  normalised (the matcher normalises; readers must not lose line breaks).
* A merged cell appears once, at its top-left ``(row, col)``, with ``rowspan``
  and ``colspan``; the positions it covers hold no other Cell.
* ``Cell.anchors``: names of bookmarks inside the cell (docx only; see
  ``formgen.anchors``). ``GridDocument.properties``: document-level anchors.
* ``Cell.where``: a short Chinese description for provenance, e.g.
  ``"第1页 表1 第3行第2列"``.
* ``Cell.confidence``: OCR confidence 0..1 (None when the text is exact).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Literal, Union

Method = Literal["tagged", "labels", "pdf-text", "ocr"]


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    anchors: list[str] = field(default_factory=list)
    where: str = ""
    confidence: float | None = None
    page: int | None = None  # 1-based page, for PDFs and scans
    box: tuple[float, float, float, float] | None = None  # (x0, y0, x1, y1) in points on its page (PDF, OCR)

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass
class Table:
    cells: list[Cell]
    index: int = 0  # 0-based order in the document
    page: int | None = None

    @property
    def n_rows(self) -> int:
        return max((c.last_row + 1 for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.last_col + 1 for c in self.cells), default=0)

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering (row, col), merged or not."""
        for c in self.cells:
            if c.row <= row <= c.last_row and c.col <= col <= c.last_col:
                return c
        return None

    def rows(self) -> Iterator[list[Cell]]:
        """Cells grouped by their top row, left to right."""
        by_row: dict[int, list[Cell]] = {}
        for c in self.cells:
            by_row.setdefault(c.row, []).append(c)
        for r in sorted(by_row):
            yield sorted(by_row[r], key=lambda c: c.col)


@dataclass
class Line:
    """A paragraph (docx) or text line (pdf/ocr) outside every table."""

    text: str
    where: str = ""
    confidence: float | None = None
    page: int | None = None
    anchors: list[str] = field(default_factory=list)


Block = Union[Line, Table]


@dataclass
class GridDocument:
    source: str  # file name (or archive member / attachment name)
    blocks: list[Block] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)  # document-level anchors
    method: Method = "labels"  # what the reader can offer: labels / pdf-text / ocr
    pages: int | None = None
    # OCR: page number → (grayscale page image as read, its pixels per point), for the crops
    # of values a person must check (formgen.intake.review).
    page_images: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    def all_anchors(self) -> set[str]:
        names: set[str] = set()
        for b in self.blocks:
            if isinstance(b, Table):
                for c in b.cells:
                    names.update(c.anchors)
            else:
                names.update(b.anchors)
        return names

    def plain_text(self) -> str:
        """All text in reading order (tables row by row); for free-text files."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Line):
                out.append(b.text)
            else:
                for row in b.rows():
                    out.append("\t".join(c.text for c in row))
        return "\n".join(out)

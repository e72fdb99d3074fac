"""A scan of a form formgen issued, read cell by cell: OCR only where the answers are.

The full-page path (``ocr_reader.ocr_page``) runs text detection over the whole
page and recognises every line on it — the long rubric texts of a score sheet
included, though formgen printed them itself. Here, once the page's rulings
are found:

1. each ruled table is matched to a table of an issued form
   (:mod:`formgen.intake.issued`): same number of columns, and row by row the
   same merged cells — a page may hold any run of the form's rows (a form that
   runs on to a second page);
2. the match is confirmed by reading two or three of its label cells and
   finding the printed labels there (one, when the page holds only one);
3. the answer cells are read: an empty cell costs nothing, a single line of
   ink only the recogniser, several lines (free text, 事迹) detection and
   recognition on the cell alone; the label cells take the printed text;
4. the text outside the tables (the title, ``推荐单位：……``) is read by
   detection and recognition on the bands above and below them.

Any step that fails returns None and the caller reads the page the full-page
way, so a foreign layout, a retyped form or a form with added rows is read as
before. The characters keep the recogniser's scores, so the same confidence
flags reach review.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from formgen.intake.issued import IssuedTable
from formgen.intake.readers import layout
from formgen.intake.readers.layout import GeoCell, GeoTable, Piece, TextLine

if TYPE_CHECKING:
    import numpy as np

# The OCR reader's two entry points, given by it (this module does not load models):
Detect = Callable[["np.ndarray", float, bool], list[Piece]]  # (gray, pt, spread) → pieces in points
Recognise = Callable[["np.ndarray"], tuple[str, float]]  # one line's crop → (text, score)

INK = 160  # gray below this is ink
MIN_INK_PX = 12  # fewer ink pixels in a cell: empty (dust, a ruling's edge)
INSET_PX = 4  # a cell's crop stays this far inside its rulings
BAND_GAP_PX = 3  # blank pixel rows that separate two lines of text
LABEL_RATIO = 0.6  # a label read at least this close to the printed one confirms the match
LONE_LABEL_RATIO = 0.8  # when the page holds a single label, it must read nearly exactly
MAX_CONFIRM = 3


def _signature(grid: list[list[int]], row: int, n_cols: int) -> tuple[frozenset, frozenset | None]:
    """Row ``row`` of a lattice: where a vertical ruling splits it, and where a horizontal one
    closes it towards the next row (None for the last row)."""
    line = grid[row]
    splits = frozenset(j for j in range(1, n_cols) if line[j] != line[j - 1])
    if row + 1 >= len(grid):
        return splits, None
    below = grid[row + 1]
    return splits, frozenset(j for j in range(n_cols) if below[j] != line[j])


def candidate_rows(geo: GeoTable, issued: IssuedTable) -> list[list[int]]:
    """The ways the page's rows can be rows of ``issued``: for each, the issued row of every page
    row — a run o, o+1, …, or the header row then such a run (Word repeats a table's header
    row at the top of the next page)."""
    n_cols = len(geo.xs) - 1
    rows = len(geo.grid)
    if n_cols != issued.n_cols or not rows or rows > issued.n_rows:
        return []
    page = [_signature(geo.grid, i, n_cols) for i in range(rows)]
    form = [_signature(issued.grid, i, n_cols) for i in range(issued.n_rows)]
    maps = [list(range(o, o + rows)) for o in range(issued.n_rows - rows + 1)]
    maps += [[0, *range(o, o + rows - 1)] for o in range(2, issued.n_rows - rows + 2)] if rows > 1 else []
    out = []
    for rowmap in maps:
        ok = True
        for i, (splits, closes) in enumerate(page):
            f_splits, f_closes = form[rowmap[i]]
            # the page's last row may end where the paper does; its lower edge says nothing
            if splits != f_splits or (closes is not None and closes != f_closes):
                ok = False
                break
        if ok:
            out.append(rowmap)
    return out


def _norm(text: str) -> str:
    return layout.fold_radicals(re.sub(r"[\s:：]+", "", text))


class PageCells:
    """One page's cleaned image and its tables, with the recogniser run on crops of it."""

    def __init__(self, gray: "np.ndarray", tables: list[GeoTable], pt: float, spread: bool,
                 detect: Detect, recognise: Recognise):
        self.gray, self.tables, self.pt, self.spread = gray, tables, pt, spread
        self.detect, self.recognise = detect, recognise
        self._read: dict[tuple[int, int], list[Piece]] = {}

    def crop_box(self, cell: GeoCell) -> tuple[int, int, int, int]:
        x0, y0 = int(cell.x0 / self.pt) + INSET_PX, int(cell.y0 / self.pt) + INSET_PX
        x1, y1 = int(cell.x1 / self.pt) - INSET_PX, int(cell.y1 / self.pt) - INSET_PX
        h, w = self.gray.shape
        return max(0, x0), max(0, y0), min(w, x1), min(h, y1)

    def read_cell(self, t: int, k: int) -> list[Piece]:
        """The text pieces of cell ``k`` of table ``t`` (page points); read once."""
        if (t, k) not in self._read:
            self._read[(t, k)] = self._ocr_region(self.crop_box(self.tables[t].cells[k]))
        return self._read[(t, k)]

    def _ocr_region(self, box: tuple[int, int, int, int]) -> list[Piece]:
        import numpy as np

        x0, y0, x1, y1 = box
        if x1 - x0 < 4 or y1 - y0 < 4:
            return []
        crop = self.gray[y0:y1, x0:x1]
        ink = crop < INK
        if int(ink.sum()) < MIN_INK_PX:
            return []
        bands = _bands(ink.any(axis=1))
        if len(bands) == 1:  # one line of text: the recogniser alone, on the ink's box
            cols = np.flatnonzero(ink.any(axis=0))
            (b0, b1), pad = bands[0], 4
            bx0, bx1 = max(0, cols[0] - pad), min(crop.shape[1], cols[-1] + 1 + pad)
            by0, by1 = max(0, b0 - pad), min(crop.shape[0], b1 + pad)
            text, score = self.recognise(crop[by0:by1, bx0:bx1])
            if not text.strip():
                return []
            pt = self.pt
            return [Piece((x0 + bx0) * pt, (y0 + by0) * pt, (x0 + bx1) * pt, (y0 + by1) * pt, text,
                          (by1 - by0) * pt, score)]
        return _shifted(self.detect(crop, self.pt, self.spread), x0 * self.pt, y0 * self.pt)

    def read_outside(self) -> list[Piece]:
        """Text above the first table and below the last (title, 推荐单位：…, the seal line)."""
        h, w = self.gray.shape
        top = min(int(t.y0 / self.pt) for t in self.tables) - INSET_PX
        bottom = max(int(t.y1 / self.pt) for t in self.tables) + INSET_PX
        pieces: list[Piece] = []
        for y0, y1 in ((0, top), (bottom, h)):
            if y1 - y0 < 8 or int((self.gray[y0:y1] < INK).sum()) < MIN_INK_PX:
                continue
            pieces += _shifted(self.detect(self.gray[y0:y1], self.pt, self.spread), 0.0, y0 * self.pt)
        return pieces


def _bands(rows: "np.ndarray") -> list[tuple[int, int]]:
    """Runs of inked pixel rows (lines of text), joined across gaps of BAND_GAP_PX or less;
    runs of one or two rows (specks) are dropped."""
    out: list[list[int]] = []
    for y in (int(v) for v in rows.nonzero()[0]):
        if out and y - out[-1][1] <= BAND_GAP_PX + 1:
            out[-1][1] = y + 1
        else:
            out.append([y, y + 1])
    return [(a, b) for a, b in out if b - a > 2]


def _shifted(pieces: list[Piece], dx: float, dy: float) -> list[Piece]:
    for p in pieces:
        p.x0, p.x1, p.y0, p.y1 = p.x0 + dx, p.x1 + dx, p.y0 + dy, p.y1 + dy
    return pieces


# ----------------------------------------------------------------------------------------
# matching and confirming
# ----------------------------------------------------------------------------------------


def _labels_to_confirm(geo: GeoTable, issued: IssuedTable, rowmap: list[int]) -> list[tuple[int, str]]:
    """Up to MAX_CONFIRM (scan cell index, printed label) pairs, from different rows, spread over
    the page: horizontal labels of two or more characters read best."""
    seen_rows: set[int] = set()
    picks: list[tuple[int, str, int]] = []
    for k, cell in enumerate(geo.cells):
        ic = issued.cells[issued.grid[rowmap[cell.row]][cell.col]]
        if ic.answer or len(ic.label) < 2 or cell.row in seen_rows:
            continue
        if ic.row < rowmap[cell.row]:  # a merged label begun on the page before: not all of it is here
            continue
        seen_rows.add(cell.row)
        picks.append((k, ic.label, cell.row))
    if len(picks) > MAX_CONFIRM:  # first, middle and last: a shifted match fails somewhere
        picks = [picks[0], picks[len(picks) // 2], picks[-1]]
    return [(k, label) for k, label, _ in picks]


def _confirmed(cells: PageCells, t: int, issued: IssuedTable, rowmap: list[int]) -> bool:
    labels = _labels_to_confirm(cells.tables[t], issued, rowmap)
    if not labels:
        return False
    bar = LONE_LABEL_RATIO if len(labels) == 1 else LABEL_RATIO
    for k, label in labels:
        got = _norm("".join(p.text for p in sorted(cells.read_cell(t, k), key=lambda p: (p.cy, p.x0))))
        if difflib.SequenceMatcher(None, got, _norm(label)).ratio() < bar:
            return False
    return True


def match_table(cells: PageCells, t: int, issued: list[IssuedTable]) -> tuple[IssuedTable, list[int]] | None:
    """The issued table the page's table ``t`` is, and the issued row of each of its rows,
    confirmed by its labels."""
    geo = cells.tables[t]
    for table in issued:
        for rowmap in candidate_rows(geo, table):
            if _confirmed(cells, t, table, rowmap):
                return table, rowmap
    return None


def _label_lines(cell: GeoCell, text: str, page: int) -> list[TextLine]:
    """The printed label as the cell's text (one line per printed line, stacked in the cell)."""
    parts = [p for p in text.split("\n") if p.strip()]
    if not parts:
        return []
    step = (cell.y1 - cell.y0) / len(parts)
    out = []
    for i, part in enumerate(parts):
        size = min(step, 12.0)
        y0 = cell.y0 + i * step + (step - size) / 2
        out.append(TextLine(cell.x0 + 2, y0, cell.x1 - 2, y0 + size, layout.fold_radicals(part.strip()), size,
                            page, [1.0] * len(part.strip())))
    return out


def read_known_page(gray: "np.ndarray", tables: list[GeoTable], pt: float, number: int,
                    issued: list[IssuedTable], detect: Detect, recognise: Recognise,
                    spread: bool = False) -> tuple[list[GeoTable], list[TextLine]] | None:
    """The page read cell by cell when every ruled table on it is a confirmed issued table;
    None otherwise (the caller reads the page whole). ``gray``: the page with its rulings blanked."""
    if not tables or not issued:
        return None
    cells = PageCells(gray, tables, pt, spread, detect, recognise)
    matches = []
    for t in range(len(tables)):
        found = match_table(cells, t, issued)
        if found is None:
            return None
        matches.append(found)
    for t, (table, rowmap) in enumerate(matches):
        for k, cell in enumerate(tables[t].cells):
            ic = table.cells[table.grid[rowmap[cell.row]][cell.col]]
            if ic.answer:
                cell.lines = layout.group_lines(cells.read_cell(t, k), number)
            else:
                cell.lines = _label_lines(cell, ic.text, number)
    return tables, layout.group_lines(cells.read_outside(), number)

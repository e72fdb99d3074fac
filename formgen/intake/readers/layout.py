"""Page geometry shared by the PDF and OCR readers.

Both readers see the same thing: ruling segments (vector lines in a PDF, line
masks in a scan) and positioned pieces of text (glyphs in a PDF, OCR boxes in a
scan). This module turns rulings into table lattices with merged cells, pieces
of text into lines, and the lines of one cell into paragraphs, and converts the
result into the shared :class:`~formgen.intake.grid.GridDocument`.

Coordinates: x to the right, y downwards, in the reader's own unit (PDF points
or image pixels); every tolerance is passed in by the reader in that unit.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from formgen.intake.grid import Cell, GridDocument, Line, Table

# --------------------------------------------------------------------------
# text pieces, lines, paragraphs
# --------------------------------------------------------------------------


@dataclass
class Piece:
    """A positioned piece of text: one PDF glyph or one OCR box."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float  # character height (font size) in the same unit
    confidence: float | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class TextLine:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    page: int = 1
    confidences: list[float] = field(default_factory=list)
    new_paragraph: bool = False  # starts a paragraph whatever the geometry (attached page)
    tracking: float = 0.0  # extra gap after every glyph (letter-spaced / justified PDF text)


_WIDE_RANGES = (
    (0x2E80, 0x9FFF),  # radicals, CJK punctuation, kana, ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFF60),  # full-width forms
    (0x20000, 0x3FFFF),
)


def is_wide(ch: str) -> bool:
    """CJK ideograph or full-width punctuation: no spaces between two of these."""
    o = ord(ch)
    return any(a <= o <= b for a, b in _WIDE_RANGES) or ch in "“”‘’—…·"


_FOLD_RANGES = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def fold_radicals(text: str) -> str:
    """Kangxi radicals / compatibility ideographs → the unified ideograph (⽅→方).

    Fonts that map glyphs to these code points make PDF text look right but
    compare wrong. Only these ranges are NFKC-folded: NFKC on everything would
    also turn the full-width punctuation ，（） of Chinese text into ASCII.
    """
    if not any(any(a <= ord(c) <= b for a, b in _FOLD_RANGES) for c in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", c) if any(a <= ord(c) <= b for a, b in _FOLD_RANGES) else c
        for c in text
    )


def group_lines(pieces: list[Piece], page: int = 1) -> list[TextLine]:
    """Pieces → text lines, top to bottom; a piece joins a line it overlaps vertically by half."""
    rows: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.cy, p.x0)):
        for row in reversed(rows[-3:]):
            top = min(q.y0 for q in row)
            bottom = max(q.y1 for q in row)
            overlap = min(bottom, p.y1) - max(top, p.y0)
            if overlap >= 0.5 * min(bottom - top, p.y1 - p.y0):
                row.append(p)
                break
        else:
            rows.append([p])
    lines = [_join_row(row, page) for row in rows]
    lines = [ln for ln in lines if ln.text]
    lines.sort(key=lambda ln: (ln.y0 + ln.y1) / 2)
    return lines


def _join_row(row: list[Piece], page: int) -> TextLine:
    row = sorted(row, key=lambda p: p.x0)
    size = sorted(p.size for p in row)[len(row) // 2]
    track = tracking(row)
    out: list[str] = []
    prev: Piece | None = None
    for p in row:
        if not p.text.strip():
            continue  # spaces become gaps; the gap decides below
        if prev is not None:
            gap = p.x0 - prev.x1 - track
            wide = is_wide(prev.text[-1]) or is_wide(p.text[0])
            # Between CJK characters only a deliberate gap (a whole character)
            # is a space; justified text spreads glyphs and must not get spaces.
            if gap >= (0.9 if wide else 0.2) * size:
                out.append(" ")
        out.append(p.text)
        prev = p
    visible = [p for p in row if p.text.strip()]
    confs = [p.confidence for p in visible if p.confidence is not None]
    if not visible:
        return TextLine(0, 0, 0, 0, "", size, page)
    return TextLine(
        min(p.x0 for p in visible), min(p.y0 for p in visible), max(p.x1 for p in visible),
        max(p.y1 for p in visible), fold_radicals("".join(out)), size, page, confs, tracking=track,
    )


def tracking(row: list[Piece]) -> float:
    """The gap every glyph of a PDF line gets (expanded character spacing, or CJK
    justification spreading the glyphs): the median gap between neighbouring glyphs.
    Only a gap wider than this by a space is a space, or letter-spaced digits
    would read "2 0 0 1 . 0 9". Set solid, it is 0. OCR boxes (with a confidence)
    have no such regular gap and are left as they are."""
    glyphs = [p for p in row if p.text.strip() and p.confidence is None]
    if len(glyphs) < 4:
        return 0.0  # "姓　　名": too few glyphs to tell spacing from a typed gap
    gaps = sorted(b.x0 - a.x1 for a, b in zip(glyphs, glyphs[1:]))
    return max(0.0, gaps[len(gaps) // 2])


_TERMINAL = "。！？；：.!?;:”）)」』】"
_NO_LINE_START = "，。、；：？！）》」』】”’,.;:?!)%"
_NO_LINE_END = "（《「『【“‘(["


def first_unit_width(text: str, em: float, track: float = 0.0) -> float:
    """Width of what must move to the next line together: an opening bracket,
    one character or Latin word, and the closing punctuation after it."""
    i = 0
    while i < len(text) and text[i] in _NO_LINE_END:
        i += 1
    if i < len(text) and text[i].isascii() and text[i].isalnum():
        while i < len(text) and text[i].isascii() and (text[i].isalnum() or text[i] in ".-/"):
            i += 1
    else:
        i += 1
    while i < len(text) and text[i] in _NO_LINE_START:
        i += 1
    return sum((1.0 if is_wide(c) else 0.55) * em + track for c in text[:i])


def text_right(lines: list[TextLine], right: float) -> float:
    """Right edge of a cell's text: where its full lines end when two or more
    reach nearly the same x (cell padding varies), else the cell edge."""
    if len(lines) >= 2:
        mx = max(ln.x1 for ln in lines)
        em = max(ln.size for ln in lines)
        if right - mx < 3 * em and sum(1 for ln in lines if mx - ln.x1 < 0.6 * em) >= 2:
            return mx
    return right


def wrapped(prev: TextLine, nxt: TextLine, right: float) -> bool:
    """Did ``prev`` end only because ``nxt``'s first word no longer fitted?"""
    em = max(prev.size, 1e-6)
    # The unit would have come after prev's own letter spacing.
    return right - prev.x1 < prev.tracking + first_unit_width(nxt.text, em, nxt.tracking) + 0.6 * em


def paragraphs(lines: list[TextLine], left: float, right: float) -> str:
    """Join the lines of one cell into paragraphs separated by ``\\n``.

    A line continues the previous one when the previous line was wrapped (the
    next line's first word would not have fitted after it) and this line is
    not indented. ``left``/``right`` bound the text area (the cell's inner
    edges); lines may come from two pages (a row split at a page break).

    Lines of an attached page (the first one flagged ``new_paragraph``) were
    set in the page's text area, not in the cell: they are a block of their
    own, measured against their own edges, so that their width does not make
    the cell's wrapped lines look short (and split at every wrap).
    """
    if not lines:
        return ""
    for k in range(1, len(lines)):
        if lines[k].new_paragraph:
            rest = lines[k:]
            return (paragraphs(lines[:k], left, right) + "\n"
                    + paragraphs(rest, min(ln.x0 for ln in rest), max(ln.x1 for ln in rest)))
    text_left = min(ln.x0 for ln in lines)
    right = text_right(lines, right)
    centre = (left + right) / 2
    out = lines[0].text
    for prev, ln in zip(lines, lines[1:]):
        em = max(prev.size, 1e-6)
        indented = ln.x0 - text_left > 0.9 * em
        # Centred text (labels in narrow cells) wraps onto a centred line.
        centred = abs((ln.x0 + ln.x1) / 2 - centre) < 0.6 * em and not ends_sentence(prev.text)
        if wrapped(prev, ln, right) and (not indented or centred) and not ln.new_paragraph:
            sep = " " if prev.text[-1:].isascii() and prev.text[-1:].isalnum() and ln.text[:1].isascii() \
                and ln.text[:1].isalnum() else ""
        else:
            sep = "\n"
        out += sep + ln.text
    return out


def ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _TERMINAL


# --------------------------------------------------------------------------
# rulings → lattice → cells
# --------------------------------------------------------------------------


@dataclass
class Seg:
    """An axis-aligned ruling: at ``pos`` (y of a horizontal, x of a vertical), from a to b."""

    pos: float
    a: float
    b: float


@dataclass
class GeoCell:
    x0: float
    y0: float
    x1: float
    y1: float
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int = 1
    lines: list[TextLine] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1


@dataclass
class GeoTable:
    x0: float
    y0: float
    x1: float
    y1: float
    xs: list[float]
    ys: list[float]
    cells: list[GeoCell]
    page: int = 1
    # Lattice (row, col) → index into cells, for assigning text by position.
    grid: list[list[int]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return max((c.last_row + 1 for c in self.cells), default=0)

    def cell_at(self, x: float, y: float) -> GeoCell | None:
        if not (self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1):
            return None
        j = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        i = min(max(bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self.cells[self.grid[i][j]]


def cluster(values: list[float], tol: float) -> list[float]:
    """Sorted centres of groups of values closer than ``tol`` to their neighbour."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def merge_segments(segs: list[Seg], tol: float) -> list[Seg]:
    """Collinear pieces of one ruling (dashes, split strokes) → one segment."""
    out: list[Seg] = []
    for centre in cluster([s.pos for s in segs], tol):
        same = sorted((s for s in segs if abs(s.pos - centre) <= tol), key=lambda s: s.a)
        cur: Seg | None = None
        for s in same:
            if cur is not None and s.a <= cur.b + tol:
                cur.b = max(cur.b, s.b)
            else:
                cur = Seg(centre, s.a, s.b)
                out.append(cur)
    return out


def find_tables(h: list[Seg], v: list[Seg], tol: float, page: int = 1) -> list[GeoTable]:
    """Tables = connected groups of crossing rulings with at least 2 of each direction."""
    h = [s for s in merge_segments(h, tol) if s.b - s.a > 2 * tol]
    v = [s for s in merge_segments(v, tol) if s.b - s.a > 2 * tol]
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hs in enumerate(h):
        for j, vs in enumerate(v):
            if hs.a - tol <= vs.pos <= hs.b + tol and vs.a - tol <= hs.pos <= vs.b + tol:
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, hs in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(hs)
    for j, vs in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(vs)
    tables = [_lattice(gh, gv, tol, page) for gh, gv in groups.values() if len(gh) >= 2 and len(gv) >= 2]
    tables = [t for t in tables if t is not None]
    tables.sort(key=lambda t: (t.y0, t.x0))
    return tables


def _covered(segs: list[Seg], pos: float, a: float, b: float, tol: float) -> bool:
    """Does a ruling at ``pos`` cover most of the span a..b?"""
    got = sum(max(0.0, min(s.b, b) - max(s.a, a)) for s in segs if abs(s.pos - pos) <= tol)
    return got >= 0.5 * (b - a)


def _lattice(h: list[Seg], v: list[Seg], tol: float, page: int) -> GeoTable | None:
    xs = cluster([s.pos for s in v], tol)
    ys = cluster([s.pos for s in h], tol)
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    # right[i][j]: a ruling separates lattice cell (i, j) from (i, j+1); down: from (i+1, j).
    right = [[_covered(v, xs[j + 1], ys[i], ys[i + 1], tol) for j in range(nc - 1)] for i in range(nr)]
    down = [[_covered(h, ys[i + 1], xs[j], xs[j + 1], tol) for j in range(nc)] for i in range(nr - 1)]
    region = [[-1] * nc for _ in range(nr)]
    n = 0
    for i in range(nr):
        for j in range(nc):
            if region[i][j] >= 0:
                continue
            stack = [(i, j)]
            region[i][j] = n
            while stack:
                a, b = stack.pop()
                for da, db, open_ in (
                    (0, 1, b + 1 < nc and not right[a][b]),
                    (0, -1, b > 0 and not right[a][b - 1]),
                    (1, 0, a + 1 < nr and not down[a][b]),
                    (-1, 0, a > 0 and not down[a - 1][b]),
                ):
                    if open_ and region[a + da][b + db] < 0:
                        region[a + da][b + db] = n
                        stack.append((a + da, b + db))
            n += 1
    cells: list[GeoCell] = []
    grid = [[-1] * nc for _ in range(nr)]
    # A region that is not a rectangle (a ruling missing mid-way) is cut into
    # rectangles, top-left first, so every lattice cell belongs to one Cell.
    for i in range(nr):
        for j in range(nc):
            if grid[i][j] >= 0:
                continue
            r = region[i][j]
            w = 1
            while j + w < nc and region[i][j + w] == r and grid[i][j + w] < 0:
                w += 1
            hgt = 1
            while i + hgt < nr and all(region[i + hgt][j + k] == r and grid[i + hgt][j + k] < 0 for k in range(w)):
                hgt += 1
            idx = len(cells)
            cells.append(GeoCell(xs[j], ys[i], xs[j + w], ys[i + hgt], i, j, hgt, w, page))
            for a in range(i, i + hgt):
                for b in range(j, j + w):
                    grid[a][b] = idx
    _drop_empty_rows_cols(cells, grid, xs, ys)
    return GeoTable(xs[0], ys[0], xs[-1], ys[-1], xs, ys, cells, page, grid)


def _drop_empty_rows_cols(cells: list[GeoCell], grid: list[list[int]], xs: list[float], ys: list[float]) -> None:
    """Renumber rows/cols so that every index starts some cell (lattice lines
    that only exist inside other tables' spans would leave phantom indices)."""
    row_starts = sorted({c.row for c in cells} | {c.row + c.rowspan for c in cells})
    col_starts = sorted({c.col for c in cells} | {c.col + c.colspan for c in cells})
    rmap = {r: k for k, r in enumerate(row_starts)}
    cmap = {r: k for k, r in enumerate(col_starts)}
    for c in cells:
        end_r, end_c = c.row + c.rowspan, c.col + c.colspan
        c.row, c.col = rmap[c.row], cmap[c.col]
        c.rowspan, c.colspan = rmap[end_r] - c.row, cmap[end_c] - c.col


def assign_pieces(tables: list[GeoTable], pieces: list[Piece]) -> list[Piece]:
    """Put each piece in the cell holding its centre; returns the pieces outside every table."""
    outside: list[Piece] = []
    for p in pieces:
        for t in tables:
            cell = t.cell_at(p.cx, p.cy)
            if cell is not None:
                cell.pieces.append(p)
                break
        else:
            outside.append(p)
    for t in tables:
        for c in t.cells:
            c.lines = group_lines(c.pieces, c.page)
            c.pieces = []
    return outside


# --------------------------------------------------------------------------
# continuing a table on the next page
# --------------------------------------------------------------------------


def same_width(a: GeoTable, b: GeoTable, tol: float) -> bool:
    return abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol


def join_tables(first: GeoTable, cont: GeoTable, tol: float) -> GeoTable:
    """Append ``cont`` (the table's part on the next page) to ``first``.

    Columns are re-indexed on the union of both parts' column rulings. When the
    first row of ``cont`` continues the last row of ``first`` (a row split by
    the page break), its cells' lines are appended to the cells above.
    """
    xs = cluster(first.xs + cont.xs, tol)

    def col_of(x: float) -> int:
        return min(range(len(xs)), key=lambda k: abs(xs[k] - x))

    for part in (first, cont):
        for c in part.cells:
            c.col, end = col_of(c.x0), col_of(c.x1)
            c.colspan = max(1, end - c.col)
    if _header_repeated(first, cont, tol):
        cont.cells = _drop_first_row(cont.cells)
    last = first.n_rows - 1
    shift = first.n_rows
    top = [c for c in cont.cells if c.row == 0]
    above = {(c.col, c.colspan): c for c in first.cells if c.last_row == last}
    pairs = [(above.get((c.col, c.colspan)), c) for c in top]
    if top and all(a is not None for a, _ in pairs) and _row_split(pairs):
        for a, c in pairs:
            a.lines.extend(c.lines)
            a.rowspan += c.rowspan - 1
        cont.cells = [c for c in cont.cells if c.row != 0]
        shift = first.n_rows - 1
    for c in cont.cells:
        c.row += shift
    first.cells.extend(cont.cells)
    first.xs = xs
    first.grid = []  # positions no longer index one page
    return first


def _label_text(cell: GeoCell) -> str:
    return re.sub(r"[\s（）()]", "", "".join(ln.text for ln in cell.lines))


_KNOWN: set[str] = set()


def known_labels() -> set[str]:
    """Labels and item names of the built-in forms, for spotting a label that a
    page break cut in two; forms a campaign adds are not known here."""
    if not _KNOWN:
        from formgen.forms import builtin_forms

        for form in builtin_forms():
            names = [lab for f in form.fields for lab in f.all_labels]
            names += [n for it in form.items for n in (it.name, *it.variants)]
            _KNOWN.update(re.sub(r"[\s（）()]", "", n) for n in names)
    return _KNOWN


def _texts(cells: list[GeoCell]) -> list[str]:
    return [" ".join(ln.text for ln in c.lines) for c in sorted(cells, key=lambda c: c.col)]


def _header_repeated(first: GeoTable, cont: GeoTable, tol: float) -> bool:
    head = [c for c in first.cells if c.row == 0]
    again = [c for c in cont.cells if c.row == 0]
    texts = _texts(head)
    return len(head) == len(again) and any(texts) and texts == _texts(again)


def _drop_first_row(cells: list[GeoCell]) -> list[GeoCell]:
    rest = [c for c in cells if c.row != 0]
    for c in rest:
        c.row -= 1
    return rest


def _row_split(pairs: list[tuple[GeoCell, GeoCell]]) -> bool:
    """Is the first row on the new page the rest of the last row on the old one?

    Yes when its first cell (the label column) is empty while the one above is
    not — a form row never starts without its label — or when some cell above
    ends in a wrapped, unfinished line that the cell below carries on.
    """
    above0, below0 = min(pairs, key=lambda p: p[1].col)
    if above0.lines and not below0.lines:
        return True
    head, tail = _label_text(above0), _label_text(below0)
    if head and tail and head not in known_labels() and head + tail in known_labels():
        return True  # a label cut in two ("工作作" / "风")
    if head and tail and head in known_labels() and tail in known_labels():
        return False  # two whole labels (管理制度 / 工作作风): two rows
    for above, below in pairs:
        if not above.lines or not below.lines:
            continue
        last = above.lines[-1]
        if _centred_entry(last, above):
            continue  # "查阅台账" centred in a narrow column ends where the entry ends
        right = text_right(above.lines, above.x1 - 0.2 * last.size)
        # Running text cut mid-sentence (not a vertical label's single characters).
        if len(last.text) >= 4 and wrapped(last, below.lines[0], right) and not ends_sentence(last.text):
            return True
    return False


def _centred_entry(line: TextLine, cell: GeoCell) -> bool:
    """A line set centred with more than an em free on either side: a wrap would have
    left less room than the next character needs, so the line ended by itself."""
    em = max(line.size, 1e-6)
    left, right = line.x0 - cell.x0, cell.x1 - line.x1
    return min(left, right) > em and abs(left - right) < 0.5 * em


# --------------------------------------------------------------------------
# → GridDocument
# --------------------------------------------------------------------------


def to_table(t: GeoTable, index: int, pad: float) -> Table:
    cells = []
    for c in sorted(t.cells, key=lambda c: (c.row, c.col)):
        confs = [x for ln in c.lines for x in ln.confidences]
        cells.append(Cell(
            text=paragraphs(c.lines, c.x0 + pad, c.x1 - pad),
            row=c.row, col=c.col, rowspan=c.rowspan, colspan=c.colspan,
            where=f"第{c.page}页 表{index + 1} 第{c.row + 1}行第{c.col + 1}列",
            confidence=round(sum(confs) / len(confs), 3) if confs else None,
            page=c.page, box=(c.x0, c.y0, c.x1, c.y1),
        ))
    return Table(cells=cells, index=index, page=t.page)


def to_line(ln: TextLine, number: int) -> Line:
    conf = round(sum(ln.confidences) / len(ln.confidences), 3) if ln.confidences else None
    return Line(text=ln.text, where=f"第{ln.page}页 第{number}行", confidence=conf, page=ln.page)


PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|\d+(\s*/\s*\d+)?)[-—–\s]*$")


def is_page_furniture(text: str) -> bool:
    """Page numbers ("- 2 -", "第2页 共3页", "2/3") carry nothing of the form."""
    return bool(PAGE_NUMBER.match(text.strip()))


def build_document(name: str, pages: list[tuple[list[GeoTable], list[TextLine]]], method: str,
                   tol: float, pad: float) -> GridDocument:
    """Pages (tables and outside lines, in page order) → one GridDocument.

    A table that ends its page and one that starts the next page with the same
    width are one table split by the page break.
    """
    flow: list[GeoTable | TextLine] = []
    for tables, lines in pages:
        items: list[GeoTable | TextLine] = [*tables, *lines]
        items.sort(key=lambda b: b.y0)
        for it in items:
            if isinstance(it, GeoTable):
                prev = _last_content(flow)
                if (isinstance(prev, GeoTable) and prev.page == it.page - 1 and _first_on_page(items, it)
                        and same_width(prev, it, tol)):
                    join_tables(prev, it, tol)
                    continue
            flow.append(it)
    _attach_continuation_text(flow)
    doc = GridDocument(source=name, method=method, pages=len(pages))
    n_tables = 0
    line_no: dict[int, int] = {}
    for it in flow:
        if isinstance(it, GeoTable):
            doc.blocks.append(to_table(it, n_tables, pad))
            n_tables += 1
        else:
            line_no[it.page] = line_no.get(it.page, 0) + 1
            doc.blocks.append(to_line(it, line_no[it.page]))
    return doc


def _ignorable(line: TextLine) -> bool:
    """Page numbers, and OCR noise (seal remnants read with low confidence)."""
    if is_page_furniture(line.text):
        return True
    return bool(line.confidences) and sum(line.confidences) / len(line.confidences) < 0.8


def _last_content(flow: list) -> GeoTable | TextLine | None:
    for it in reversed(flow):
        if isinstance(it, TextLine) and _ignorable(it):
            continue
        return it
    return None


def _first_on_page(items: list, table: GeoTable) -> bool:
    for it in items:
        if it is table:
            return True
        if isinstance(it, TextLine) and not _ignorable(it):
            return False
    return False


# Placeholders of the blank forms that invite an attached page (可附页 / 可另附页).
_ATTACH_HINT = re.compile(r"[可另]*附页")
_CONT_HEAD = re.compile(r"^[（(]?\s*(附页|续页|续表|接上页|续)\s*[）)]?\s*[:：]?\s*$")


def _attach_continuation_text(flow: list) -> None:
    """Free text on pages after the last table, continuing a field (可另附页).

    Decided so: the text must start on a page after the one where the last
    table ends, and not be a note (注：…). It goes to the value cell whose
    label its heading names ("主要事迹（续）", "附：主要做法和成效"); without
    such a heading, to the one cell that still carries a 附页 placeholder (the
    value cell right of it when the placeholder sits in the label). If no cell
    qualifies, the lines stay Line blocks for the matcher.
    """
    tables = [i for i, it in enumerate(flow) if isinstance(it, GeoTable)]
    if not tables:
        return
    ti = tables[-1]
    table: GeoTable = flow[ti]
    end_page = max(c.page for c in table.cells)
    tail = flow[ti + 1:]
    later = [ln for ln in tail if isinstance(ln, TextLine) and ln.page > end_page and not is_page_furniture(ln.text)]
    if not later or any(not isinstance(it, TextLine) for it in tail):
        return
    if re.match(r"^\s*(注|备注|说明)\s*[:：]", later[0].text):
        return
    target, body = _continuation_target(table, later)
    if target is None:
        return
    if body:
        body[0].new_paragraph = True  # never glue the attached page onto the cell's last line
    target.lines.extend(body)
    for ln in later:
        flow.remove(ln)


def _norm_label(text: str) -> str:
    return re.sub(r"[\s:：（）()续附页]", "", text)


def _continuation_target(table: GeoTable, later: list[TextLine]) -> tuple[GeoCell | None, list[TextLine]]:
    head = later[0].text.strip()
    m = re.match(r"^[附:：\s]*(.{2,30}?)\s*[（(]?\s*续\s*[）)]?\s*[:：]?\s*$", head) or \
        re.match(r"^附\s*[:：]\s*(.{2,30}?)\s*$", head)
    if m:
        want = _norm_label(m.group(1))
        for c in table.cells:
            label = _norm_label("".join(ln.text for ln in c.lines))
            if label and label == want:
                right = [d for d in table.cells if d.row == c.row and d.col == c.col + c.colspan]
                if right:
                    return right[0], later[1:]
    body = later[1:] if _CONT_HEAD.match(head) else later
    hinted = [c for c in table.cells if any(_ATTACH_HINT.search(ln.text) for ln in c.lines)]
    if len(hinted) != 1:
        return None, body
    cell = hinted[0]
    right = [d for d in table.cells if d.row == cell.row and d.col == cell.col + cell.colspan]
    if right and len("".join(ln.text for ln in cell.lines)) <= 24:
        return right[0], body  # the hint is part of the label; the value is beside it
    return cell, body

"""The geometry of a ballot page, in millimetres on A4 portrait (origin top left).

Printing (``pdf``, ``sample``) and reading (``read``) both take every position
from here, so what is read is exactly what was printed.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.ballots.settings import BallotRating

PAGE_W, PAGE_H = 210.0, 297.0

# Printed on every sheet (PDF) and in the editable .docx.
INSTRUCTIONS = (
    "填票说明：1. 本票不记名，请勿在票上署名或作任何记号。",
    "2. 请在您认为合适的等次格内打“√”（打“×”、画“○”或涂满方格亦可），每个测评对象只选一个等次，",
    "　 不选或多选的，该项无效。3. 如需改选，请将原选的格子涂满划掉，再在新选的格子内打“√”。",
    "4. 请勿折叠，勿在四角标记和底部条码上书写。",
)


# Registration marks: a finder pattern (7×7 modules: black ring, white ring, black core)
# centred at each corner; a ring-in-ring is unlike anything a pen makes in a box.
FID_MODULE = 1.4
FID_SIZE = 7 * FID_MODULE
FIDUCIALS = ((14.0, 14.0), (196.0, 14.0), (196.0, 283.0), (14.0, 283.0))  # TL, TR, BR, BL

TABLE_X0, TABLE_X1 = 20.0, 190.0
HEAD_TOP = 57.0  # table header row
HEAD_H = 9.0
ROW_H = 10.5
ROWS_BOTTOM = 268.0
BOX = 7.0  # side of a tick box
NO_W = 12.0  # 序号 column

# The code bar between the two bottom registration marks.
CODE_X0, CODE_X1 = 25.0, 185.0
CODE_Y0, CODE_Y1 = 277.0, 283.0

ROWS_PER_PAGE = int((ROWS_BOTTOM - HEAD_TOP - HEAD_H) // ROW_H)


@dataclass(frozen=True)
class PageLayout:
    rating_id: str
    page: int  # 0-based
    pages: int
    subjects: tuple[str, ...]  # on this page, in order
    first_no: int  # 序号 of the first subject on this page (1-based)
    levels: tuple[str, ...]
    level_w: float
    subject_w: float

    def row_top(self, i: int) -> float:
        return HEAD_TOP + HEAD_H + i * ROW_H

    def level_x(self, j: int) -> float:
        """Left edge of level column j."""
        return TABLE_X0 + NO_W + self.subject_w + j * self.level_w

    def box(self, i: int, j: int) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the tick box of row i, level j."""
        cx = self.level_x(j) + self.level_w / 2
        cy = self.row_top(i) + ROW_H / 2
        return (cx - BOX / 2, cy - BOX / 2, cx + BOX / 2, cy + BOX / 2)

    @property
    def table_bottom(self) -> float:
        return self.row_top(len(self.subjects))


def page_count(rating: BallotRating) -> int:
    return -(-len(rating.subjects) // ROWS_PER_PAGE)


def page_layout(rating: BallotRating, page: int) -> PageLayout:
    n = page_count(rating)
    if not 0 <= page < n:
        raise IndexError(page)
    # Spread the subjects evenly over the pages so the last page is not a stub.
    per = -(-len(rating.subjects) // n)
    subjects = tuple(rating.subjects[page * per:(page + 1) * per])
    k = len(rating.levels)
    level_w = min(26.0, (TABLE_X1 - TABLE_X0 - NO_W - 60.0) / k)
    subject_w = TABLE_X1 - TABLE_X0 - NO_W - k * level_w
    return PageLayout(rating.id, page, n, subjects, page * per + 1, tuple(rating.levels), level_w, subject_w)


def code_cells(nbits: int) -> list[tuple[float, float, float, float]]:
    w = (CODE_X1 - CODE_X0) / nbits
    return [(CODE_X0 + i * w, CODE_Y0, CODE_X0 + (i + 1) * w, CODE_Y1) for i in range(nbits)]

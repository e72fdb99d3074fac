"""Printed ballots: an A4 PDF per rater group, drawn directly (reportlab) for exact geometry.

Every page carries the four registration marks, the group, the serial and page
number in words, and the code bar naming campaign, group, sheet and page.
Nothing on it asks for or could identify the rater.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from formgen.ballots import layout as L
from formgen.ballots.layout import INSTRUCTIONS
from formgen.ballots.code import NBITS, SheetCode, encode
from formgen.ballots.settings import BallotRating, BallotSettings
from formgen.errors import FormgenError
from formgen.filenames import safe_filename
from formgen.outputs import write_bytes

# TrueType CJK fonts reportlab can embed (it cannot embed the CFF-based Noto CJK);
# a Song (明体) face first, as office forms use. Without any, the standard Adobe
# CID font STSong-Light is named (not embedded: readers substitute a Song face).
_FONT_FILES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
)
_font_name: str | None = None



def _font() -> str:
    global _font_name
    if _font_name:
        return _font_name
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    for path, index in _FONT_FILES:
        if Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont("BallotSong", path, subfontIndex=index))
                _font_name = "BallotSong"
                return _font_name
            except Exception:  # a broken font file: try the next
                continue
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: PLC0415

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _font_name = "STSong-Light"
    return _font_name


def sheet_serials(rating: BallotRating) -> list[tuple[int, int]]:
    """(group index, serial) of every sheet, serials 1.. running through the groups in order."""
    out, serial = [], 0
    for gi, g in enumerate(rating.groups):
        for _ in range(g.count):
            serial += 1
            out.append((gi, serial))
    if serial >= 1 << 14:
        raise FormgenError(f"测评“{rating.title}”共需 {serial} 份票，超过单次可印制的 16383 份；请分批印制")
    return out


def render_rating(settings: BallotSettings, rating: BallotRating, group_index: int,
                  serials: list[int] | None = None) -> bytes:
    """The PDF of one group's sheets (every page of every sheet), as bytes."""
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # noqa: PLC0415

    if serials is None:
        serials = [s for gi, s in sheet_serials(rating) if gi == group_index]
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(rating.title)
    c.setAuthor(settings.campaign_name or settings.campaign_id)
    key = settings.key(rating.id)
    for serial in serials:
        for p in range(L.page_count(rating)):
            code = SheetCode(key=key, group=group_index, serial=serial, page=p)
            draw_page(c, rating, L.page_layout(rating, p), rating.groups[group_index].name, code)
            c.showPage()
    c.save()
    return buf.getvalue()


def _y(y_mm: float) -> float:
    from reportlab.lib.units import mm  # noqa: PLC0415

    return (L.PAGE_H - y_mm) * mm


def draw_fiducial(c, cx: float, cy: float) -> None:
    from reportlab.lib.units import mm  # noqa: PLC0415

    m = L.FID_MODULE
    for size, fill in ((7, 0), (5, 1), (3, 0)):
        half = size * m / 2
        c.setFillGray(fill)
        c.rect((cx - half) * mm, _y(cy + half), size * m * mm, size * m * mm, stroke=0, fill=1)
    c.setFillGray(0)


def draw_page(c, rating: BallotRating, pl: L.PageLayout, group: str, code: SheetCode) -> None:
    from reportlab.lib.units import mm  # noqa: PLC0415

    font = _font()
    for cx, cy in L.FIDUCIALS:
        draw_fiducial(c, cx, cy)
    # title and the sheet's particulars
    size = 18.0  # a long title shrinks to stay between the registration marks
    while size > 11 and c.stringWidth(rating.title, font, size) > (L.TABLE_X1 - L.TABLE_X0) * mm:
        size -= 0.5
    c.setFont(font, size)
    c.drawCentredString(L.PAGE_W / 2 * mm, _y(26), rating.title)
    c.setFont(font, 11)
    c.drawString(L.TABLE_X0 * mm, _y(34), f"评议人类别：{group}")
    c.drawCentredString(L.PAGE_W / 2 * mm, _y(34), "（不记名）")
    c.drawRightString(L.TABLE_X1 * mm, _y(34), f"票号：{code.serial:04d}　第{pl.page + 1}页／共{pl.pages}页")
    c.setFont(font, 8.6)
    for i, line in enumerate(INSTRUCTIONS + ((rating.note,) if rating.note else ())):
        c.drawString(L.TABLE_X0 * mm, _y(40 + i * 4.0), line)
    # the table
    c.setLineWidth(0.8)
    top, bottom = L.HEAD_TOP, pl.table_bottom
    c.rect(L.TABLE_X0 * mm, _y(bottom), (L.TABLE_X1 - L.TABLE_X0) * mm, (bottom - top) * mm)
    c.setLineWidth(0.4)
    xs = [L.TABLE_X0 + L.NO_W, L.TABLE_X0 + L.NO_W + pl.subject_w] + [pl.level_x(j) for j in range(1, len(pl.levels))]
    for x in xs:
        c.line(x * mm, _y(top), x * mm, _y(bottom))
    for i in range(len(pl.subjects) + 1):
        y = pl.row_top(i) if i else top + L.HEAD_H
        c.line(L.TABLE_X0 * mm, _y(y), L.TABLE_X1 * mm, _y(y))
    c.setFont(font, 11)
    hy = top + L.HEAD_H / 2 + 1.4
    c.drawCentredString((L.TABLE_X0 + L.NO_W / 2) * mm, _y(hy), "序号")
    c.drawCentredString((L.TABLE_X0 + L.NO_W + pl.subject_w / 2) * mm, _y(hy), rating.subject_label)
    for j, level in enumerate(pl.levels):
        c.drawCentredString((pl.level_x(j) + pl.level_w / 2) * mm, _y(hy), level)
    c.setLineWidth(0.7)
    for i, subject in enumerate(pl.subjects):
        ty = pl.row_top(i) + L.ROW_H / 2 + 1.4
        c.setFont(font, 10.5)
        c.drawCentredString((L.TABLE_X0 + L.NO_W / 2) * mm, _y(ty), str(pl.first_no + i))
        size = 10.5 if c.stringWidth(subject, font, 10.5) < (pl.subject_w - 4) * mm else 8.5
        c.setFont(font, size)
        c.drawString((L.TABLE_X0 + L.NO_W + 2) * mm, _y(ty), subject)
        for j in range(len(pl.levels)):
            x0, y0, x1, y1 = pl.box(i, j)
            c.rect(x0 * mm, _y(y1), (x1 - x0) * mm, (y1 - y0) * mm)
    # the code bar and its words
    c.setFillGray(0)
    for bit, (x0, y0, x1, y1) in zip(encode(code), L.code_cells(NBITS)):
        if bit:
            c.rect(x0 * mm, _y(y1), (x1 - x0) * mm, (y1 - y0) * mm, stroke=0, fill=1)
    c.setFont(font, 7)
    c.drawCentredString(L.PAGE_W / 2 * mm, _y(L.CODE_Y1 + 3.6),
                        f"机读码 {code.key:05X}-{code.group}-{code.serial:04d}-{code.page + 1}　请勿在条码和四角标记上书写")


def write_ballots(settings: BallotSettings, out_dir: Path) -> list[Path]:
    """Every rating's PDF per group and an editable .docx; returns the files written."""
    from formgen.ballots.docx import write_docx  # noqa: PLC0415

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for rating in settings.ratings:
        serials = sheet_serials(rating)
        for gi, g in enumerate(rating.groups):
            if g.count == 0:
                continue
            path = out_dir / (safe_filename(f"{rating.title}_{g.name}_{g.count}份") + ".pdf")
            written.append(write_bytes(path, render_rating(settings, rating, gi, [s for i, s in serials if i == gi])))
        written.append(write_docx(rating, out_dir / (safe_filename(f"{rating.title}（可编辑）") + ".docx")))
    return written


"""Regenerate the returned files in tests/data/returns/ from formgen's own sample (run by hand, rarely).

    .venv/bin/python tests/data/make_inputs.py

The files are what three ruian-2014 units send in ``formgen demo`` (seed 2014):
东山街道 fills the issued blanks (anchored .docx, taken out of its zip, plus the
detailed deeds document), 玉海街道 retypes the forms in its own layout (no
anchors), 市地方税务局 exports a score sheet to PDF (needs LibreOffice), and
东山街道's score sheet printed to PDF and rendered at 200 dpi grey (JPEG), a little
skewed, stands for a scan (needs LibreOffice and pdftoppm). Two revised forms printed to PDF
carry a table over the page break with a row cut in two (see ``page_break_pdfs``; only those
two are remade by ``make_inputs.py page-breaks``).
The goldens in tests/data/expected/ are refreshed by ``pytest --regen-golden``.
"""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]  # formgen, and tests/ for testdata

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from PIL import Image  # noqa: E402

from formgen import docxkit as dk  # noqa: E402
from formgen.campaign.load import write_units  # noqa: E402
from formgen.campaign.presets import preset_units  # noqa: E402
from formgen.issue.init import init_workspace  # noqa: E402
from formgen.issue.render import issue_forms  # noqa: E402
from formgen.sample.fill import write_returns  # noqa: E402
from formgen.sample.packaging import docx_to_pdf  # noqa: E402
from formgen.workspace import Workspace  # noqa: E402
from testdata import MORE_DEEDS, REVISED_APP, REVISED_SCORE  # noqa: E402

UNITS = ("东山街道", "玉海街道", "市地方税务局")
# the zip's members as plain files, under names a clerk would give them
DONGSHAN = {"附件4": "东山街道勤廉标兵申报表.docx", "附件3": "东山街道十大效能示范岗推荐表.docx",
            "附件1": "东山街道示范岗评分表.docx", "附件2": "东山街道勤廉标兵评分表.docx",
            "事迹材料": "东山街道-郑丽娜同志详细事迹材料.docx"}


def main() -> None:
    out = HERE / "returns"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        ws = init_workspace(root, "ruian-2014")
        write_units(root / ws.campaign.units_file, [u for u in preset_units("ruian-2014") if u.name in UNITS])
        ws = Workspace.open(root)
        issue_forms(ws)
        write_returns(ws)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        with zipfile.ZipFile(ws.forms_in / "东山街道-推荐材料.zip") as zf:
            for info in zf.infolist():
                target = next(v for k, v in DONGSHAN.items() if k in info.filename)
                (out / target).write_bytes(zf.read(info))
        for p in ws.forms_in.iterdir():
            if p.name.startswith("玉海街道") and "事迹" not in p.name or p.suffix == ".pdf" and "评分表" in p.name:
                shutil.copyfile(p, out / p.name)
        # the scan: 东山街道's one-page score sheet printed and scanned grey at 200 dpi, slightly skewed
        pdf = docx_to_pdf(out / "东山街道勤廉标兵评分表.docx", Path(tmp) / "scan.pdf")
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", "200", "-singlefile", str(pdf), str(Path(tmp) / "scan")],
                       check=True)
        page = Image.open(Path(tmp) / "scan.png").convert("L").rotate(-0.5, resample=Image.BICUBIC, expand=False, fillcolor=255)
        page.save(out / "东山街道勤廉标兵评分表（扫描件）.jpg", quality=85)
    page_break_pdfs(out)
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:>8}  {p.name}")


def page_break_pdfs(out: Path) -> None:
    """Two revised forms printed to PDF whose table runs over the page break, each with the row at the
    break cut in two (what the PDF reader must join):

    * 东山街道's application with one more paragraph of 主要事迹 and rows allowed to break (as in a
      retyped form): 主要事迹 breaks mid-paragraph, 推荐单位意见 follows on page 2; no header row.
    * 玉海街道's score sheet with 依法行政's standards typed in four times and the header row set to
      repeat: the header is repeated on page 2 above the rest of 依法行政.
    """
    with tempfile.TemporaryDirectory() as tmp:
        app = docx.Document(str(out / DONGSHAN["附件4"]))
        for el in list(app.element.body.iter(qn("w:cantSplit"))):
            el.getparent().remove(el)
        deeds = next(c for c in app.tables[0].rows[5].cells if "可附页" in c.text)
        added = copy.deepcopy(deeds.paragraphs[-1]._p)  # the deeds' own paragraph format and font
        texts = list(added.iter(qn("w:t")))
        for t in texts:
            t.text = ""
        texts[0].text = MORE_DEEDS
        deeds.paragraphs[-1]._p.addnext(added)
        app.save(Path(tmp) / "app.docx")
        docx_to_pdf(Path(tmp) / "app.docx", out / REVISED_APP)

        sheet = docx.Document(str(out / "玉海街道示范岗评分表.docx"))
        dk.repeat_header(sheet.tables[0].rows[0])
        standards = sheet.tables[0].rows[5].cells[2]
        last = standards.paragraphs[-1]._p
        for _ in range(3):
            last.addnext(copy.deepcopy(last))
        sheet.save(Path(tmp) / "sheet.docx")
        docx_to_pdf(Path(tmp) / "sheet.docx", out / REVISED_SCORE)


if __name__ == "__main__":
    if sys.argv[1:] == ["page-breaks"]:
        page_break_pdfs(HERE / "returns")
    else:
        main()

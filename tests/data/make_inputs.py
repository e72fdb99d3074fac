"""Regenerate the returned files in tests/data/returns/ from formgen's own sample (run by hand, rarely).

    .venv/bin/python tests/data/make_inputs.py

The files are what three ruian-2014 units send in ``formgen demo`` (seed 2014):
东山街道 fills the issued blanks (anchored .docx, taken out of its zip, plus the
detailed deeds document), 玉海街道 retypes the forms in its own layout (no
anchors), 市地方税务局 exports a score sheet to PDF (needs LibreOffice), and
东山街道's score sheet printed to PDF and rendered at 200 dpi grey (JPEG), a little
skewed, stands for a scan (needs LibreOffice and pdftoppm).
The goldens in tests/data/expected/ are refreshed by ``pytest --regen-golden``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))

from PIL import Image  # noqa: E402

from formgen.campaign.load import write_units  # noqa: E402
from formgen.campaign.presets import preset_units  # noqa: E402
from formgen.issue.init import init_workspace  # noqa: E402
from formgen.issue.render import issue_forms  # noqa: E402
from formgen.sample.fill import write_returns  # noqa: E402
from formgen.sample.packaging import docx_to_pdf  # noqa: E402
from formgen.workspace import Workspace  # noqa: E402

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
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:>8}  {p.name}")


if __name__ == "__main__":
    main()

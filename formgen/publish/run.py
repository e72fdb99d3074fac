"""The publish stage end to end: every output into ``out/publish/``, optionally as PDF.

``publish`` takes plain data (:class:`PublishInput`); ``winners_from_ranked``
turns the scoring stage's ranked results into it. ``to_pdf`` converts the
printable documents in one LibreOffice call.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from formgen.errors import FormgenError
from formgen.outputs import write_file
from formgen.publish import certificates, commendation, plaques, publicity
from formgen.publish.model import PublishInput, Winner, award_title, safe_filename
from formgen.soffice import soffice_path

NO_SOFFICE = "未安装 LibreOffice，已跳过 PDF 生成（sudo apt-get install libreoffice-writer）"
PDF_TIMEOUT_S = 900  # a combined file of thousands of certificates takes minutes


class SofficeMissing(FormgenError):
    """LibreOffice is not installed: PDFs are skipped (a note, not a failure)."""


def winners_from_ranked(ranked_by_award: dict, list_fields: list[str] | tuple = ()) -> dict[str, list[Winner]]:
    """The selected (入选) of each award from ``formgen.scoring.run.score_campaign``'s result.

    ``list_fields``: the form fields the publicity list prints (publication.list_fields, which
    ``Campaign`` only accepts when they are public or disclosed with a reason).
    """
    out: dict[str, list[Winner]] = {}
    for award_id, ranked in ranked_by_award.items():
        chosen = [r for r in ranked if r.selected]
        chosen.sort(key=lambda r: r.rank if r.rank is not None else 10**9)
        out[award_id] = [_winner(award_id, i, r, list_fields) for i, r in enumerate(chosen, start=1)]
    return out


def _winner(award_id: str, position: int, r, list_fields=()) -> Winner:
    n = r.nominee
    f = n.fields or {}

    def text(key: str) -> str | None:
        v = f.get(key)
        return str(v).strip() if v not in (None, "") else None

    return Winner(award_id=award_id, rank=r.rank or position, name=(n.name or "").strip(), unit=n.unit,
                  total=r.total, recommended_up=bool(r.recommended), unit_title=text("unit_title"),
                  leader=text("post_leader"), category=n.category, gender=text("gender"),
                  listed_fields={k: text(k) or "" for k in list_fields})


def certificate_names(data: PublishInput, award) -> tuple[str, str]:
    """(folder, combined file name) for an award's certificates; plain when only one award has them."""
    if len(data.awards_with("certificate")) == 1:
        return "证书", "证书_合并打印.docx"
    label = safe_filename(award_title(award))
    return f"证书_{label}", f"证书_{label}_合并打印.docx"


def publish(workspace, data: PublishInput) -> list[Path]:
    """Write the publicity list, commendation notice, plaque list and certificates; returns the paths.

    Certificates: the combined print file first, then one file per person. A
    certificate folder is emptied of old .docx first, so it never mixes winners
    of two runs.
    """
    out = workspace.out_dir("publish")
    try:
        paths = publicity.write(data, out)
        paths.append(commendation.write(data, out / "表彰通报.docx"))
        paths += plaques.write(data, out)
        for award in data.awards_with("certificate"):
            folder, combined = certificate_names(data, award)
            for old in (out / folder).glob("*.docx"):
                old.unlink()
            paths += certificates.write(data.campaign, award, data.winners(award.id),
                                        commendation.commendation_date(data), out, combined, folder)
    except PermissionError as e:
        raise FormgenError(f"无法写入 {Path(e.filename or out).name}：文件可能正在 Word/WPS 中打开，请关闭后重试") from None
    return paths


def notes(data: PublishInput) -> list[str]:
    """What the user should check: assumptions publish had to make (Chinese, one line each)."""
    out = []
    p = publicity.period(data)
    if not p.exact:
        out.append(f"{p.start.year}—{p.end.year}年超出节假日数据范围，公示期已按周一至周五计算工作日"
                   f"（{p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d}），请核对是否遇法定节假日")
    number, configured = commendation.doc_number(data)
    if not configured:
        out.append(f"表彰通报的发文字号未设置（campaign.yaml 中 publication.commendation_doc_number），"
                   f"已印为“{number}”，序号留空待填")
    for award in data.campaign.awards:
        if not data.winners(award.id):
            out.append(f"“{award.name}”没有入选对象，名单为空")
    return out


def printable(paths: list[Path]) -> list[Path]:
    """The documents worth a PDF: everything .docx directly in out/publish (not the single certificates)."""
    if not paths:
        return []
    top = paths[0].parent
    return [p for p in paths if p.suffix == ".docx" and p.parent == top]


def to_pdf(paths: list[Path], outdir: Path | None = None) -> list[Path]:
    """Convert ``paths`` to PDF with one LibreOffice call; PDFs go to ``outdir`` (default: beside the first)."""
    if not paths:
        return []
    soffice = soffice_path()
    if not soffice:
        raise SofficeMissing(NO_SOFFICE)
    outdir = Path(outdir or paths[0].parent)
    outdir.mkdir(parents=True, exist_ok=True)
    # LibreOffice writes into a fresh folder beside the targets; each PDF then replaces the old one
    # in one step (formgen.outputs), or goes beside it when the old one is open in a PDF viewer
    with tempfile.TemporaryDirectory(prefix="formgen-lo-") as profile, \
            tempfile.TemporaryDirectory(prefix=".~pdf-", dir=outdir) as made:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", made, *map(str, paths)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=PDF_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise FormgenError(f"LibreOffice 转换 PDF 超过 {PDF_TIMEOUT_S // 60} 分钟仍未完成，已放弃；"
                               "可改用 --no-pdf 并在 Word/WPS 中另存为 PDF") from None
        fresh = [Path(made) / (p.stem + ".pdf") for p in paths]
        missing = [p.name for p in fresh if not p.exists()]
        if missing:
            detail = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()
            raise FormgenError(f"LibreOffice 未能生成 {'、'.join(missing)}"
                               f"{'（' + detail[-1][:120] + '）' if detail else ''}；可在 Word/WPS 中打开对应 .docx 另存为 PDF")
        return [write_file(outdir / src.name, lambda tmp, src=src: os.replace(src, tmp)) for src in fresh]

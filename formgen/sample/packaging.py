"""How returned files travel: zip archives, emails, PDFs, a damaged copy.

Each helper reproduces one thing real returns do that intake must cope with:

* a zip made by Windows' “发送到压缩文件夹” or old WinRAR stores member names
  in GBK *without* the UTF-8 flag (bit 11), which readers see as cp437 mojibake;
* Foxmail and Outlook put RFC 2047 encoded-words (GB2312) inside the quoted
  ``name=``/``filename=`` parameters, which RFC 2231 does not allow but every
  mail client reads; others write proper RFC 2231 ``filename*=``;
* a PDF exported by Word/WPS from the filled form (text layer kept);
* a docx cut short by a failed download.
"""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import quote

from formgen.soffice import soffice_path

UTF8_FLAG = 0x800  # general purpose bit 11: the member name is UTF-8


class _GbkName(zipfile.ZipInfo):
    """A ZipInfo whose name is written as GBK bytes with the UTF-8 flag cleared.

    zipfile always writes a non-ASCII name as UTF-8 and sets bit 11; the
    local header and the central directory both take the name from
    ``_encodeFilenameFlags``, so overriding it is enough.
    """

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        return self.filename.encode("gbk"), self.flag_bits & ~UTF8_FLAG


def write_zip(path: Path, members: list[tuple[str, bytes]], gbk_names: bool = False,
              when: datetime | None = None) -> Path:
    """A zip of ``members`` (name, bytes); names in GBK without the UTF-8 flag when ``gbk_names``."""
    stamp = (when or datetime(2014, 10, 1, 9, 0)).timetuple()[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = (_GbkName if gbk_names else zipfile.ZipInfo)(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return path


def gbk_member_names(path: Path) -> list[str]:
    """Member names of a zip without the UTF-8 flag read back as GBK (zipfile gives them as cp437)."""
    with zipfile.ZipFile(path) as zf:
        return [i.filename.encode("cp437").decode("gbk") if not i.flag_bits & UTF8_FLAG else i.filename
                for i in zf.infolist()]


# ------------------------------------------------------------------------------------------ email

_MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".zip": "application/x-zip-compressed",
}


def _b64_lines(data: bytes) -> str:
    raw = base64.b64encode(data).decode("ascii")
    return "\r\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))


def _rfc2047(text: str) -> str:
    """One unfolded B encoded-word, GB2312 when the text fits it, else GBK (as Chinese clients do)."""
    try:
        raw, charset = text.encode("gb2312"), "GB2312"
    except UnicodeEncodeError:
        raw, charset = text.encode("gbk"), "GBK"
    return f"=?{charset}?B?{base64.b64encode(raw).decode('ascii')}?="


def _rfc2231(name: str) -> str:
    return f"filename*=UTF-8''{quote(name, safe='')}"


def write_eml(path: Path, *, sender_name: str, sender: str, to: str, subject: str, date: datetime,
              body: str, attachments: list[tuple[str, bytes, str]]) -> Path:
    """An email as Foxmail sends it: GB2312 headers and body, base64 attachments.

    ``attachments`` are (file name, bytes, "rfc2047" | "rfc2231"): how the name is encoded.
    """
    boundary = "----=_NextPart_000_0012_01CFE3A2.6B1C9E40"
    head = [
        f"Date: {format_datetime(date)}",
        f"From: {_rfc2047(sender_name)} <{sender}>",
        f"To: {to}",
        f"Subject: {_rfc2047(subject)}",
        f"Message-ID: {make_msgid(domain=sender.split('@')[-1])}",
        "X-Mailer: Foxmail 7, 2, 5, 140[cn]",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed;\r\n\tboundary="{boundary}"',
        "",
        "This is a multi-part message in MIME format.",
        "",
        f"--{boundary}",
        'Content-Type: text/plain;\r\n\tcharset="GBK"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64_lines(body.replace("\n", "\r\n").encode("gbk")),
        "",
    ]
    for name, data, how in attachments:
        mime = _MIME.get(os.path.splitext(name)[1].lower(), "application/octet-stream")
        if how == "rfc2231":
            ctype = f"Content-Type: {mime}"
            disp = f"Content-Disposition: attachment;\r\n\t{_rfc2231(name)}"
        else:
            encoded = _rfc2047(name)
            ctype = f'Content-Type: {mime};\r\n\tname="{encoded}"'
            disp = f'Content-Disposition: attachment;\r\n\tfilename="{encoded}"'
        head += [f"--{boundary}", ctype, "Content-Transfer-Encoding: base64", disp, "", _b64_lines(data), ""]
    head += [f"--{boundary}--", ""]
    path.write_bytes("\r\n".join(head).encode("ascii"))
    return path


# ------------------------------------------------------------------------------------------ PDF, damage


def soffice_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx_path: Path, pdf_path: Path, timeout: int = 120) -> Path | None:
    """PDF export of a docx through LibreOffice; None when soffice is missing or fails."""
    if not soffice_available():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "form.docx"
        shutil.copyfile(docx_path, src)
        profile = Path(tmp) / "profile"
        cmd = [soffice_path(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (subprocess.SubprocessError, OSError):
            return None
        out = Path(tmp) / "form.pdf"
        if not out.exists():
            return None
        shutil.copyfile(out, pdf_path)
    return pdf_path


def truncated(data: bytes, keep: float = 0.55) -> bytes:
    """The first part of a file, as a broken download leaves it."""
    return data[: max(1, int(len(data) * keep))]


def set_arrival(path: Path, when: datetime) -> None:
    """File times as if the file had been saved from the email when it arrived."""
    ts = when.timestamp()
    os.utime(path, (ts, ts))

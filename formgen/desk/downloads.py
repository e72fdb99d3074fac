"""Files the desk hands out: only bytes the ledger holds (by id) or files inside the workspace.

``inside`` resolves a path the URL names and refuses anything outside the workspace (``../``,
absolute paths, a link pointing out), so no page can be used to read other files on the PC.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flask import Response, abort

from formgen.filenames import safe_filename

TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".zip": "application/zip",
         ".eml": "message/rfc822"}


def attachment(name: str, data: bytes) -> Response:
    """A download of ``data`` under ``name`` (RFC 5987 for the Chinese name, an ASCII fallback)."""
    suffix = Path(name).suffix.lower()
    response = Response(data, mimetype=TYPES.get(suffix, "application/octet-stream"))
    plain = safe_filename(name, 120)
    response.headers["Content-Disposition"] = (f"attachment; filename=\"download{suffix}\"; "
                                               f"filename*=UTF-8''{quote(plain)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def inside(root: Path, relative: str) -> Path:
    """``root``/``relative`` when it stays inside ``root`` and is a file; 404 otherwise (never says why)."""
    if not relative or "\x00" in relative:
        abort(404)
    rel = Path(relative.replace("\\", "/"))
    if rel.is_absolute() or rel.drive or any(part == ".." for part in rel.parts):
        abort(404, "不能访问工作目录以外的文件")
    base = Path(root).resolve()
    target = (base / rel).resolve()
    if base != target and base not in target.parents:
        abort(404, "不能访问工作目录以外的文件")
    if not target.is_file():
        abort(404)
    return target

"""Files in and out of the desk: uploads saved under the workspace with safe names, downloads only
from inside the workspace (a path with ``..`` or leaving the workspace is refused)."""
from __future__ import annotations

import base64
from pathlib import Path, PurePosixPath

from flask import abort, send_file

from formgen.filenames import safe_filename


def save_uploads(files, folder: Path) -> list[Path]:
    """Each uploaded file saved in ``folder`` under its own name made safe (no folders, no characters
    Windows forbids); a different file of the same name goes beside it, never over it."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files:
        if not f or not f.filename:
            continue
        name = safe_filename(PurePosixPath(f.filename.replace("\\", "/")).name) or "上传的文件"
        data = f.read()
        path, n = folder / name, 2
        while path.exists() and path.read_bytes() != data:
            path, n = folder / f"{Path(name).stem}（{n}）{Path(name).suffix}", n + 1
        path.write_bytes(data)
        saved.append(path)
    return saved


def inside(base: Path, rel: str) -> Path:
    """``base / rel`` when it stays inside ``base`` and exists; otherwise 403 / 404."""
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    if not rel or ".." in parts or rel.startswith(("/", "\\")) or ":" in rel:
        abort(403, "不允许访问工作目录以外的文件")
    path = (base / Path(*parts)).resolve()
    if not path.is_relative_to(base.resolve()):
        abort(403, "不允许访问工作目录以外的文件")
    if not path.is_file():
        abort(404)
    return path


def download(path: Path):
    return send_file(path, as_attachment=True, download_name=path.name)


def data_url(png: bytes | None) -> str:
    """A crop shown inline (it lives in the ledger, not as a file)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""

"""Files under out/ (what formgen made: 收件情况.xlsx, published documents …), downloaded or previewed
by their path inside out/. ``downloads.inside`` refuses ``../``, absolute paths and links leading out."""
from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, request, send_file, url_for

from formgen.desk.context import worker, workspace
from formgen.desk.downloads import attachment, inside

bp = Blueprint("files", __name__)
_PNG = re.compile(r"^[0-9a-f]{64}-[0-9]{1,4}\.png$")


@bp.get("/files/<path:rel>")
def download(rel: str):
    path = inside(workspace().out, rel)
    return attachment(path.name, path.read_bytes())


@bp.get("/api/preview/<path:rel>")
def preview(rel: str):
    """{"url"} of the page image when ready, else {"job", "url"} while LibreOffice makes it."""
    from formgen.publish.preview import cached_page, needs_office, page_image

    ws = workspace()
    path = inside(ws.out, rel)
    page_no = max(1, request.args.get("page", 1, type=int))
    data = path.read_bytes()
    out = ws.out_dir("desk")
    png = cached_page(out, data, page_no)
    url = url_for("files.page_png", name=png.name)
    if png.exists() or not needs_office(path.name):
        page_image(out, path.name, data, page_no)
        return jsonify(url=url)
    job = worker().submit(f"preview-{png.name}", f"生成预览：{path.name}",
                          lambda progress: [page_image(out, path.name, data, page_no).name], "工作台")
    return jsonify(job=job.id, url=url)


@bp.get("/preview/<name>")
def page_png(name: str):
    if not _PNG.match(name):
        abort(404)
    path = workspace().out / "desk" / "preview" / name
    if not path.is_file():
        abort(404, "预览尚未生成")
    return send_file(path, mimetype="image/png", max_age=3600)

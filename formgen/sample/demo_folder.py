"""The folder ``formgen demo`` runs in, and how its sample units' returns are described.

A demo replaces only an earlier demo (the folder holds :data:`MARKER`), never a folder
of the user's own files.
"""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from formgen.errors import FormgenError

MARKER = ".formgen-demo"
# How the sample units sent their files (formgen.sample.fill's ReturnedFile.how), in words.
ROUTE_WORDS = {
    "filled": "在下发的表格上填写", "retyped": "自行重排的表格", "pdf": "导出为 PDF",
    "zip": "压缩包", "zip_gbk": "压缩包（GBK 文件名）", "email": "邮件（.eml）",
    "deeds_document": "详细事迹材料", "corrupt": "传输损坏的文件", "superseded": "后被修改稿替换的旧版",
}


def prepare_demo_folder(root: Path) -> None:
    """A fresh folder; an earlier demo there is replaced, anything else is left alone."""
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise FormgenError(f"{root} 不是空目录，也不是以前的演示目录；为免覆盖您的文件，请换一个目录，如 formgen demo 演示")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("formgen demo workspace: safe to delete\n", encoding="utf-8")


def routes_in_words(returned) -> str:
    """``在下发的表格上填写 12 个，压缩包 2 个…`` for the sample returns, in order of first appearance.

    >>> from types import SimpleNamespace as R
    >>> routes_in_words([R(how="zip"), R(how="pdf"), R(how="zip")])
    '压缩包 2 个，导出为 PDF 1 个'
    """
    return "，".join(f"{ROUTE_WORDS.get(k, k)} {v} 个" for k, v in Counter(r.how for r in returned).items())

"""One file in, the forms it holds out: sniff → (expand | convert) → read → match → validate.

``extract_source`` has no side effects (nothing written but temporary files the
converters clean up), so ``formgen collect`` can call it for every file it
files into the ledger, and ``formgen extract`` for one file.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from formgen.errors import FormgenError, InputFileError
from formgen.forms import FormSpec, builtin_forms
from formgen.intake.containers import expand
from formgen.intake import convert
from formgen.intake.limits import MAX_BYTES, too_large
from formgen.intake.matcher import match_all
from formgen.intake.readers import read_grid
from formgen.intake.result import ExtractResult, SourceFile
from formgen.intake.review import flag_for_review
from formgen.intake.sniff import sniff
from formgen.intake.validate import validate

MAX_DEPTH = 3  # a zip in an email in a zip — no deeper

# sha256 of an old-format file's bytes → its .docx, or why it could not be converted.
Converted = Mapping[str, "SourceFile | InputFileError"]

CONTAINERS = {"zip", "eml", "msg", "mbox"}
PHOTO_KINDS = {"jpg", "png", "heic"}
CONVERTIBLE = {"doc", "wps", "rtf", "odt", "html", "wordxml"}
READABLE = {"docx", "pdf", "png", "jpg", "heic", "text"}

_UNSUPPORTED = {
    "xlsx": "这是 Excel 表格，不是 Word 表格；请让报送单位使用下发的 Word 表格填写",
    "xls": "这是 Excel 表格，不是 Word 表格；请让报送单位使用下发的 Word 表格填写",
    "pptx": "这是 PowerPoint 演示文稿，不是表格；请让报送单位改发 Word 或 PDF 文件",
    "ppt": "这是 PowerPoint 演示文稿，不是表格；请让报送单位改发 Word 或 PDF 文件",
    "ole": "文件格式无法识别（OLE 复合文档，但不是 Word 文档），请让报送单位另存为 .docx 后重新发送",
    "unknown": "文件格式无法识别，请让报送单位改发 Word（.docx）或 PDF 文件",
}


# extensions of binary formats: a file so named that holds plain text is not what it says
_BINARY_NAMES = {".docx": "Word", ".doc": "Word", ".wps": "WPS", ".docm": "Word", ".dotx": "Word", ".odt": "ODT",
                 ".pdf": "PDF", ".xlsx": "Excel", ".xls": "Excel", ".zip": "压缩包", ".rar": "压缩包", ".7z": "压缩包",
                 ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".heic": "图片", ".tif": "图片", ".tiff": "图片"}


def _claimed(name: str) -> str:
    """What the file's extension claims it is (“Word”), or '' for names that may well hold text."""
    return _BINARY_NAMES.get(Path(name).suffix.lower(), "")


def _error(source: SourceFile, message: str, kind: str) -> InputFileError:
    return InputFileError(source.path or source.name, message, kind)


def _read_one(source: SourceFile, kind: str, forms: list[FormSpec],
              word_binary: bytes | None = None) -> list[ExtractResult]:
    """``word_binary``: the original .doc bytes when ``source`` is LibreOffice's conversion of it."""
    try:
        doc = read_grid(source, kind)
        if word_binary is not None:
            doc = _tables_kept(word_binary, doc)
        results = match_all(doc, forms)
    except FormgenError:
        raise
    except Exception as e:  # a file no reader expected: still one clean line, never a crash
        raise _error(source, f"文件内容异常，无法读取（{type(e).__name__}），请让报送单位重新保存后发送",
                     "corrupt") from e
    for result in results:
        result.origin = source
        if result.form_type:
            spec = next(f for f in forms if f.type == result.form_type)
            validate(result, spec)
            flag_for_review(result, spec, doc)  # OCR values a person must look at
    if word_binary is not None:
        _say_if_table_lost(doc, results, forms)
    return results


def _word_binary(data: bytes) -> bool:
    return convert.is_word_binary(data)


def _tables_kept(data: bytes, converted):
    """LibreOffice's reading of a Word binary, or antiword's when LibreOffice lost table cells."""
    from formgen.intake.readers.antiword_reader import tables_restored

    return tables_restored(data, converted) or converted


_FORM_SHAPED = re.compile(r"项\s*目.{0,40}分\s*值|分\s*值.{0,200}得\s*分", re.S)


def _say_if_table_lost(doc, results: list[ExtractResult], forms: list[FormSpec]) -> None:
    """A converted .doc that reads as text (or with broken values) but looks like one of our forms:
    never filed as text material without saying that its table could not be read."""
    text = doc.plain_text()
    head = text[:300]  # a form's title is at its top; prose may name a form anywhere
    titled = any(all(k in head for k in group) for f in forms for group in f.title_keywords)
    if not (titled or _FORM_SHAPED.search(text)):
        return
    for r in results:
        if r.form_type is not None and not any(p.severity == "error" for p in r.problems):
            continue
        from formgen.intake.readers.antiword_reader import antiword_path

        hint = ("（本机未安装能另行读取表格的 antiword：sudo apt-get install antiword）"
                if antiword_path() is None else "")
        r.error(None, "这份 .doc/.wps 文件看起来是表格，但 LibreOffice 转换时丢失了表格结构，formgen 未能读出其中的表格"
                f"{hint}；请报送单位用 Word 另存为 .docx 后重新发送")
        r.error_kind = r.error_kind or "table_lost"


def _unreadable(member: SourceFile, err: InputFileError) -> ExtractResult:
    """A member of a container that could not be read: reported, not fatal for its siblings."""
    result = ExtractResult(file=member.path or member.name, form_type=None, method=None,
                           source=member.source_label, origin=member, error_kind=err.kind)
    result.error(None, err.message)
    return result


_CONVERT_WHAT = {"doc": "旧版 Word（.doc）文件", "wps": "WPS 文件", "rtf": "RTF 文件", "odt": "ODT 文件",
                 "html": "网页格式的文件", "wordxml": "Word 2003 XML 文件"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def convert_ahead(sources: Iterable[SourceFile]) -> dict[str, SourceFile | InputFileError]:
    """Every old-format file among ``sources`` — given directly, or inside a zip or an
    email — converted to .docx in one LibreOffice call (one call per file is many times
    slower). Pass the result to :func:`extract_source` as ``converted``."""
    todo: dict[str, SourceFile] = {}
    for source in sources:
        for leaf in _convertible(source):
            todo.setdefault(_sha(leaf.data), leaf)
    if not todo:
        return {}
    return dict(zip(todo, convert.convert_to_docx(list(todo.values()))))


def _convertible(source: SourceFile) -> list[SourceFile]:
    if len(source.data) > MAX_BYTES:
        return []
    kind = sniff(source.data, source.name)
    if kind in CONVERTIBLE:
        return [source]
    if kind not in CONTAINERS:
        return []
    try:
        members, _ = expand(source)
    except InputFileError:
        return []  # extract_source reports it when the file's turn comes
    return [m for m in members if len(m.data) <= MAX_BYTES and sniff(m.data, m.name) in CONVERTIBLE]


def _convert(source: SourceFile, kind: str, converted: Converted | None) -> SourceFile:
    kind_what = _CONVERT_WHAT.get(kind, "此类文件")
    done = converted.get(_sha(source.data)) if converted else None
    if done is None:
        out = convert.convert_to_docx([source])
        if not out:
            raise _error(source, f"{kind_what}转换失败，请让报送单位另存为 .docx 后重新发送", "corrupt")
        done = out[0]
    if isinstance(done, InputFileError):  # (converted ahead, it may name another copy of the same bytes)
        raise _error(source, done.reason, done.kind)
    stem = source.name.rsplit(".", 1)[0] if "." in source.name else source.name
    return replace(source, name=f"{stem}.docx", data=done.data)


def extract_source(source: SourceFile, forms: list[FormSpec] | None = None, _depth: int = 0,
                   converted: Converted | None = None) -> list[ExtractResult]:
    """The forms in ``source`` (several for a container); InputFileError when it cannot be read.

    Results of a container's members carry ``source`` (the member's name); a
    member that cannot be read becomes a result with form_type None and its
    error as the problem, so one bad attachment does not hide the others.
    ``converted`` holds old-format files converted ahead in one batch (:func:`convert_ahead`).
    """
    forms = forms if forms is not None else builtin_forms()
    if len(source.data) > MAX_BYTES:
        raise too_large(source.path or source.name, len(source.data))
    kind = sniff(source.data, source.name)
    if kind == "empty":
        raise _error(source, "文件为空（0 字节或没有内容），请让报送单位重新发送", "empty")
    if kind == "ole-damaged":
        raise _error(source, "文件已损坏或不完整，无法作为 Word/WPS 文档打开，请让报送单位重新保存后发送", "corrupt")
    if kind == "ole-encrypted":
        raise _error(source, "文件已加密，请让报送单位去除密码后重新发送", "encrypted")
    if kind in _UNSUPPORTED:
        raise _error(source, _UNSUPPORTED[kind], "unsupported")
    if kind == "text" and _claimed(source.name):
        # plain text under a Word/PDF/picture name: a broken download or a renamed file, not a form without tables
        raise _error(source, f"这不是{_claimed(source.name)}文件：内容只是 {len(source.data)} 字节的纯文本"
                             "（可能已损坏或改过扩展名）；请让报送单位重新发送原文件", "corrupt")
    if kind in CONTAINERS:
        return _extract_container(source, kind, forms, _depth, converted)
    if kind in CONVERTIBLE:
        binary = source.data if kind in ("doc", "wps") and _word_binary(source.data) else None
        results = _read_one(_convert(source, kind, converted), "docx", forms, binary)
        for r in results:
            r.origin = source
        return results
    return _read_one(source, kind, forms)


def _extract_container(source: SourceFile, kind: str, forms: list[FormSpec], depth: int,
                       converted: Converted | None) -> list[ExtractResult]:
    if depth >= MAX_DEPTH:
        raise _error(source, "压缩包/邮件嵌套层数过多，请让报送单位直接发送表格文件", "unsupported")
    what = {"zip": "压缩包", "eml": "邮件", "msg": "Outlook 邮件", "mbox": "邮箱导出文件"}[kind]
    members, errors = expand(source)
    photo_sets = _photo_sets(members, forms)  # several photos: the pages of one form go together
    results: list[ExtractResult] = []
    for i, member in enumerate(members):
        if i in photo_sets:
            inner = photo_sets[i]
        else:
            try:
                inner = extract_source(member, forms, depth + 1, converted)
            except InputFileError as e:
                inner = [_unreadable(member, e)]
        for r in inner:
            r.source = r.source or member.source_label
        results.extend(inner)
    for err in errors:  # members the container could not give us (encrypted zip entry, bomb …)
        r = ExtractResult(file=source.path or source.name, form_type=None, method=None,
                          source=Path(err.path).name if err.path else None, error_kind=err.kind)
        r.error(None, err.message)
        results.append(r)
    if not results:
        raise _error(source, f"{what}中没有找到任何附件或文件", "empty")
    return results


def _photo_sets(members: list[SourceFile], forms: list[FormSpec]) -> dict[int, list[ExtractResult]]:
    """Results of the photos among ``members`` read as sets of pages (photo_pages), by member
    index: a form's results at its first photo, [] at the photos of its later pages."""
    idx = [i for i, m in enumerate(members) if len(m.data) <= MAX_BYTES and sniff(m.data, m.name) in PHOTO_KINDS]
    if len(idx) < 2:
        return {}
    try:
        from formgen.intake.photo_pages import read_photo_set
    except ImportError:
        return {}
    photos = [members[i] for i in idx]
    out: dict[int, list[ExtractResult]] = {}
    try:
        groups = read_photo_set(photos, forms)
    except InputFileError:  # e.g. no OCR installed: each photo says so on its own
        return {}
    for group, got in groups:
        head = photos[group[0]]
        if isinstance(got, InputFileError):
            out[idx[group[0]]] = [_unreadable(head, got)]
            continue
        for r in got:
            r.origin = head
        out[idx[group[0]]] = got
        for k in group[1:]:
            out[idx[k]] = []
    return out


def extract_path(path: Path, forms: list[FormSpec] | None = None) -> list[ExtractResult]:
    """Read the file at ``path``; every result's ``file`` is ``path`` as given."""
    path = Path(path)
    try:
        if not path.exists():
            raise InputFileError(path, "文件不存在，请检查路径", "missing")
        if path.is_dir():
            raise InputFileError(path, "这是一个文件夹，请指定其中的文件", "unsupported")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise too_large(path, size)
        data = path.read_bytes()
    except PermissionError:
        raise InputFileError(path, "没有读取该文件的权限", "unreadable") from None
    except OSError as e:
        raise InputFileError(path, f"无法读取文件（{e.strerror or e}）", "unreadable") from None
    source = SourceFile(name=path.name, data=data, path=str(path))
    results = extract_source(source, forms, converted=convert_ahead([source]))  # a zip of .doc: one soffice call
    for r in results:
        r.file = str(path)
    return results

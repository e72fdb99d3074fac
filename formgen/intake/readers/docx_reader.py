"""The .docx reader: word/document.xml → GridDocument.

Reads the package with zipfile + lxml directly (not python-docx's object model)
because returned forms and hostile files need things python-docx does not give:
vMerge/gridSpan resolved into row/col spans, bookmarks per cell, tracked
changes, content controls, and hard limits on what a file may make us do.

Safety: every part is read through :func:`_read_part`, which refuses a part
whose declared size or compression ratio is absurd and never inflates more
than the cap; XML is parsed without DTDs, entities or network, and a DOCTYPE
is refused outright (Word never writes one). Tables are capped in rows,
columns and cells so that a crafted gridSpan cannot blow up memory.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from formgen.errors import InputFileError
from formgen.intake.grid import Cell, GridDocument, Line, Table
from formgen.intake.result import SourceFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC_REL = "/officeDocument"
CUSTOM_PROPS_REL = "/custom-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Limits: far above any real form, far below what hurts.
MAX_DOCUMENT_XML = 40 * 1024 * 1024  # inflated bytes of the main part
MAX_SMALL_PART = 2 * 1024 * 1024  # rels, custom props
MAX_RATIO = 200  # inflated / compressed, for parts bigger than 1 MB
MAX_MEMBERS = 5000
MAX_ROWS = 2000  # per table
MAX_COLS = 64  # grid columns per table
MAX_CELLS = 50_000  # per document
MAX_LINES = 20_000  # paragraphs outside tables
MAX_SPAN = MAX_COLS
MAX_NESTING = 6  # tables inside tables
MAX_TEXT = 200_000  # characters per paragraph

# Subtrees whose text is not part of the document as it reads now.
_SKIP = {
    w("del"), w("moveFrom"), w("delText"), w("instrText"), w("delInstrText"),
    w("rPr"), w("pPr"), w("tcPr"), w("trPr"), w("tblPr"), w("sectPr"),
    w("footnoteReference"), w("endnoteReference"), w("commentReference"),
    w("drawing"), w("pict"), w("object"), f"{{{MC}}}Fallback",
}
_BREAKS = {w("br"), w("cr")}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          dtd_validation=False, remove_comments=True, remove_pis=True)


def _fail(source: SourceFile, message: str, kind: str = "corrupt") -> InputFileError:
    return InputFileError(source.path or source.name, message, kind)


# ---------------------------------------------------------------------------------------------
# the package
# ---------------------------------------------------------------------------------------------

def _open_zip(source: SourceFile) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(source.data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise _fail(source, "文件已损坏，无法作为 Word 文档打开，请让报送单位重新保存后发送") from None
    if len(infos) > MAX_MEMBERS:
        raise _fail(source, "文件结构异常（压缩包内文件过多），无法读取")
    return zf


def _read_part(zf: zipfile.ZipFile, name: str, cap: int, source: SourceFile) -> bytes | None:
    """The inflated bytes of one part, or None when absent; refuses bombs before inflating."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:
        raise _fail(source, "文件已加密，请让报送单位去除密码后重新发送", "encrypted")
    if info.file_size > cap:
        raise _fail(source, f"文件中的 {name} 过大，疑似异常文件，已拒绝读取", "too_large")
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _fail(source, "文件压缩比异常（疑似压缩炸弹），已拒绝读取", "too_large")
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)  # zipfile also stops at the declared size
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError,
            RuntimeError):
        raise _fail(source, f"文件中的 {name} 已损坏，无法读取，请让报送单位重新保存后发送") from None
    except Exception:  # zlib.error and friends from a crafted stream
        raise _fail(source, f"文件中的 {name} 已损坏，无法读取，请让报送单位重新保存后发送") from None
    if len(data) > cap:
        raise _fail(source, f"文件中的 {name} 过大，疑似异常文件，已拒绝读取", "too_large")
    return data


def parse_xml(data: bytes, source: SourceFile, what: str) -> etree._Element:
    """Parse one XML part safely; a DOCTYPE (entity tricks) is refused."""
    unsafe = _fail(source, f"文件中的 {what} 含有 DOCTYPE/实体声明（Word 不会写入），疑似恶意文件，已拒绝读取",
                   "unsafe")
    if b"<!DOCTYPE" in data[:65536].upper():
        raise unsafe
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        raise _fail(source, f"文件中的 {what} 已损坏（XML 格式错误），请让报送单位重新保存后发送") from None
    if root is None:
        raise _fail(source, f"文件中的 {what} 为空，无法读取")
    if root.getroottree().docinfo.doctype:
        raise unsafe
    return root


def _rels(zf: zipfile.ZipFile, rels_name: str, source: SourceFile) -> list[tuple[str, str]]:
    """(type, target) pairs of a .rels part; [] when it is missing or unreadable."""
    data = _read_part(zf, rels_name, MAX_SMALL_PART, source)
    if not data:
        return []
    try:
        root = parse_xml(data, source, rels_name)
    except InputFileError as e:
        if e.kind == "unsafe":
            raise
        return []
    return [(r.get("Type") or "", r.get("Target") or "") for r in root.iter(f"{{{REL_NS}}}Relationship")]


def _target(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target))


def _main_part_name(zf: zipfile.ZipFile, source: SourceFile) -> str:
    for typ, target in _rels(zf, "_rels/.rels", source):
        if typ.endswith(OFFICE_DOC_REL) and target:
            name = _target("", target)
            if name in zf.NameToInfo:
                return name
    if "word/document.xml" in zf.NameToInfo:
        return "word/document.xml"
    raise _fail(source, "不是 Word 文档（缺少 word/document.xml），请确认文件类型", "unsupported")


def _custom_properties(zf: zipfile.ZipFile, source: SourceFile) -> dict[str, str]:
    name = "docProps/custom.xml"
    for typ, target in _rels(zf, "_rels/.rels", source):
        if typ.endswith(CUSTOM_PROPS_REL) and target:
            name = _target("", target)
    data = _read_part(zf, name, MAX_SMALL_PART, source)
    if not data:
        return {}
    try:
        root = parse_xml(data, source, name)
    except InputFileError as e:
        if e.kind == "unsafe":
            raise
        return {}  # a broken property part must not cost the document
    props: dict[str, str] = {}
    for prop in root:
        key = prop.get("name")
        if key and len(prop):
            props[key] = (prop[0].text or "").strip()
    return props


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------

def _placeholder_sdt(sdt: etree._Element) -> bool:
    """A content control still showing its prompt ("单击此处输入文字") holds no value."""
    pr = sdt.find(w("sdtPr"))
    return pr is not None and pr.find(w("showingPlcHdr")) is not None


def _runs_text(el: etree._Element, out: list[str], marks: list[str]) -> None:
    """Text of a paragraph's inline content, in order; bookmarks go to ``marks``."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == w("t"):
            out.append(child.text or "")
        elif tag == w("tab") or tag == w("ptab"):
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag == w("bookmarkStart"):
            name = child.get(w("name"))
            if name:
                marks.append(name)
        elif tag == w("sdt"):
            if not _placeholder_sdt(child):
                content = child.find(w("sdtContent"))
                if content is not None:
                    _runs_text(content, out, marks)
        elif len(child):
            _runs_text(child, out, marks)


def _paragraph_text(p: etree._Element, marks: list[str]) -> str:
    out: list[str] = []
    _runs_text(p, out, marks)
    text = "".join(out)
    return text[:MAX_TEXT]


# ---------------------------------------------------------------------------------------------
# blocks and tables
# ---------------------------------------------------------------------------------------------

@dataclass
class _State:
    blocks: list = field(default_factory=list)
    n_tables: int = 0
    n_cells: int = 0
    n_paras: int = 0


def _block_items(el: etree._Element):
    """Paragraphs, tables and bookmarks of block-level content, through sdt/customXml wrappers."""
    for child in el:
        tag = child.tag
        if tag in (w("p"), w("tbl"), w("bookmarkStart")):
            yield child
        elif tag == w("sdt"):
            if not _placeholder_sdt(child):
                content = child.find(w("sdtContent"))
                if content is not None:
                    yield from _block_items(content)
        elif tag in (w("customXml"), w("ins"), w("moveTo"), w("smartTag")):
            yield from _block_items(child)


def _row_items(el: etree._Element, tag_wanted: str):
    """Rows of a table (or cells of a row), through sdt/customXml wrappers; plus bookmarks."""
    for child in el:
        tag = child.tag
        if tag == tag_wanted or tag == w("bookmarkStart"):
            yield child
        elif tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if tag == w("sdt") else child
            if content is not None:
                yield from _row_items(content, tag_wanted)


def _int_val(el: etree._Element | None, default: int, low: int, high: int) -> int:
    if el is None:
        return default
    raw = el.get(w("val"))
    try:
        v = int(raw) if raw is not None else default
    except ValueError:
        return default
    return max(low, min(high, v))


def _cell_content(tc: etree._Element, state: _State, depth: int, nested: list) -> tuple[str, list[str]]:
    """Text (paragraphs joined by \\n) and bookmarks of a cell; nested tables are read too."""
    parts: list[str] = []
    marks: list[str] = []
    for item in _block_items(tc):
        if item.tag == w("p"):
            parts.append(_paragraph_text(item, marks))
        elif item.tag == w("bookmarkStart"):
            name = item.get(w("name"))
            if name:
                marks.append(name)
        elif item.tag == w("tbl"):
            if depth >= MAX_NESTING:
                continue
            inner = _read_table(item, state, depth + 1, nested)
            if inner is not None:
                nested.append(inner)
                # Keep the nested table's text in the cell too: a value may be typed in a table.
                for row in inner.rows():
                    parts.append("\t".join(c.text for c in row))
    return "\n".join(parts), marks


def _read_table(tbl: etree._Element, state: _State, depth: int, nested: list) -> Table | None:
    cells: list[Cell] = []
    # Which cell currently ends at the row above, per starting column (for vMerge continue).
    open_by_col: dict[int, Cell] = {}
    r = -1
    pending_marks: list[str] = []
    for tr in _row_items(tbl, w("tr")):
        if tr.tag == w("bookmarkStart"):
            name = tr.get(w("name"))
            if name:
                pending_marks.append(name)
            continue
        trpr = tr.find(w("trPr"))
        if trpr is not None and trpr.find(w("del")) is not None:
            continue  # a tracked row deletion
        r += 1
        if r >= MAX_ROWS:
            break
        col = _int_val(trpr.find(w("gridBefore")) if trpr is not None else None, 0, 0, MAX_COLS)
        next_open: dict[int, Cell] = {}
        prev: Cell | None = None
        for tc in _row_items(tr, w("tc")):
            if tc.tag == w("bookmarkStart"):
                name = tc.get(w("name"))
                if name:
                    pending_marks.append(name)
                continue
            if col >= MAX_COLS or state.n_cells >= MAX_CELLS:
                break
            tcpr = tc.find(w("tcPr"))
            span = _int_val(tcpr.find(w("gridSpan")) if tcpr is not None else None, 1, 1, MAX_SPAN)
            span = min(span, MAX_COLS - col)
            vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
            hmerge = tcpr.find(w("hMerge")) if tcpr is not None else None
            text, marks = _cell_content(tc, state, depth, nested)
            marks = pending_marks + marks
            pending_marks = []
            continues = vmerge is not None and (vmerge.get(w("val")) or "continue") == "continue"
            above = open_by_col.get(col) if continues else None
            if above is not None and above.last_row == r - 1:
                above.rowspan += 1
                if text.strip():
                    above.text = f"{above.text}\n{text}" if above.text else text
                above.anchors.extend(marks)
                next_open[col] = above
                prev = above
            elif (hmerge is not None and (hmerge.get(w("val")) or "continue") == "continue"
                  and prev is not None and prev.row == r):
                prev.colspan += span  # legacy horizontal merge
                if text.strip():
                    prev.text = f"{prev.text}\n{text}" if prev.text else text
                prev.anchors.extend(marks)
            else:
                cell = Cell(text=text, row=r, col=col, colspan=span, anchors=marks)
                cells.append(cell)
                state.n_cells += 1
                next_open[col] = cell
                prev = cell
            col += span
        open_by_col = next_open
    if pending_marks and cells:
        cells[-1].anchors.extend(pending_marks)
    if not cells:
        return None
    state.n_tables += 1
    return Table(cells=cells)


def _read_body(body: etree._Element, state: _State) -> None:
    pending: list[str] = []
    for item in _block_items(body):
        if item.tag == w("bookmarkStart"):
            name = item.get(w("name"))
            if name:
                pending.append(name)
        elif item.tag == w("p"):
            if state.n_paras >= MAX_LINES:
                continue
            marks = pending
            pending = []
            text = _paragraph_text(item, marks)
            state.n_paras += 1
            state.blocks.append(Line(text=text, where=f"正文第{state.n_paras}段", anchors=marks))
        elif item.tag == w("tbl"):
            if state.n_cells >= MAX_CELLS:
                continue
            nested: list[Table] = []
            table = _read_table(item, state, 0, nested)
            if table is not None:
                if pending:
                    table.cells[0].anchors[:0] = pending
                    pending = []
                state.blocks.append(table)
                state.blocks.extend(nested)
    if pending:
        state.blocks.append(Line(text="", where="正文末尾", anchors=pending))


def read_docx(source: SourceFile) -> GridDocument:
    """Read a .docx into the grid (see ``formgen.intake.grid``); InputFileError when unreadable."""
    zf = _open_zip(source)
    with zf:
        main = _main_part_name(zf, source)
        data = _read_part(zf, main, MAX_DOCUMENT_XML, source)
        if not data:
            raise _fail(source, "Word 文档正文为空或已损坏，请让报送单位重新保存后发送")
        root = parse_xml(data, source, "正文（document.xml）")
        properties = _custom_properties(zf, source)
    body = root.find(w("body"))
    state = _State()
    if body is not None:
        _read_body(body, state)
    # Number tables in reading order (nested ones follow their parent).
    for index, table in enumerate(b for b in state.blocks if isinstance(b, Table)):
        table.index = index
        for c in table.cells:
            c.where = f"表{index + 1} 第{c.row + 1}行第{c.col + 1}列"
    return GridDocument(source=source.name, blocks=state.blocks, properties=properties, method="labels")

"""Typing into an issued blank the way a clerk does in Word.

The clerk clicks into a value cell and types: the text lands in the cell's
paragraph next to our point bookmark (which stays), Enter starts a new
paragraph with the same formatting, Shift+Enter a line break. Printed
placeholders such as “（500字左右事迹简述，可附页）” are sometimes selected and
typed over, sometimes left in their own line, sometimes typed after; the
stamp lines of an opinion cell stay below the typed opinion.
"""
from __future__ import annotations

import copy
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
from docx.oxml.ns import qn

from formgen.anchors import parse_anchor

FW_INDENT = "\u3000\u3000"  # two full-width spaces: how many clerks indent a paragraph


@dataclass
class TypingStyle:
    """How one clerk types long texts."""

    placeholder: str = "replace"  # replace | own_para | inline
    indent: str = "none"  # none | fwspace | chars  (first line of prose paragraphs)
    breaks: str = "paras"  # paras (Enter) | br (Shift+Enter) for line lists such as 简历
    prose_pt: float | None = None  # a smaller size for long texts, so that the form stays on one page


def open_blank(path: Path):
    return docx.Document(str(path))


def anchors_in(doc) -> dict[str, object]:
    """Bookmark name → its <w:bookmarkStart> element, for our anchors only."""
    out = {}
    for el in doc.element.body.iter(qn("w:bookmarkStart")):
        name = el.get(qn("w:name"))
        if name and parse_anchor(name):
            out[name] = el
    return out


def form_type_of(path: Path) -> str | None:
    """The formgen_form_type custom property of an issued blank."""
    with zipfile.ZipFile(path) as zf:
        try:
            xml = zf.read("docProps/custom.xml").decode("utf-8")
        except KeyError:
            return None
    m = re.search(r'name="formgen_form_type"><vt:lpwstr>([^<]*)<', xml)
    return m.group(1) if m else None


def _paragraph_of(mark):
    p = mark.getparent()
    while p is not None and p.tag != qn("w:p"):
        p = p.getparent()
    if p is None:
        raise ValueError("bookmark outside a paragraph")
    return p


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _run_props(p):
    """The formatting a newly typed run gets: the paragraph mark's, else the first run's."""
    ppr = p.find(qn("w:pPr"))
    mark = ppr.find(qn("w:rPr")) if ppr is not None else None
    if mark is None:
        r = p.find(qn("w:r"))
        mark = r.find(qn("w:rPr")) if r is not None else None
    if mark is None:
        return None
    rpr = copy.deepcopy(mark)
    rpr.tag = qn("w:rPr")
    return rpr


def _set_size(rpr, pt: float):
    """Font size of a run's properties; w:sz where the schema wants it, w:szCs right after."""
    sz = rpr.get_or_add_sz()
    sz.set(qn("w:val"), str(int(round(pt * 2))))
    cs = rpr.find(qn("w:szCs"))
    if cs is None:
        cs = rpr.makeelement(qn("w:szCs"), {})
        sz.addnext(cs)
    cs.set(qn("w:val"), str(int(round(pt * 2))))


def _new_run(p, text: str, pt: float | None = None):
    r = p.makeelement(qn("w:r"), {})
    rpr = _run_props(p)
    if rpr is None and pt:
        rpr = r.makeelement(qn("w:rPr"), {})
    if rpr is not None:
        if pt:
            _set_size(rpr, pt)
        r.append(rpr)
    t = r.makeelement(qn("w:t"), {})
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def _append_text(p, text: str, pt: float | None = None):
    p.append(_new_run(p, text, pt))


def _append_break(p):
    r = p.makeelement(qn("w:r"), {})
    rpr = _run_props(p)
    if rpr is not None:
        r.append(rpr)
    r.append(r.makeelement(qn("w:br"), {}))
    p.append(r)


def _sibling_paragraph(p, text: str):
    """Enter at the end of ``p``: a new paragraph after it with the same paragraph formatting."""
    new = p.makeelement(qn("w:p"), {})
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        new.append(copy.deepcopy(ppr))
    p.addnext(new)
    if text:
        _append_text(new, text)
    return new


def _first_line_indent(p, chars: int = 2):
    """Format → Paragraph → first-line indent 2 characters (python-docx keeps the schema order)."""
    ind = p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * 240))


def _clear_runs(p):
    """Select the paragraph's text and delete it: runs go, bookmarks and pPr stay."""
    for r in list(p.findall(qn("w:r"))):
        p.remove(r)


def type_lines(doc, anchor: str, lines: list[str], style: TypingStyle | None = None,
               placeholders: list[str] = (), prose: bool = False) -> None:
    """Type ``lines`` into the cell (or line) holding bookmark ``anchor``.

    ``prose`` marks paragraphs of running text (事迹, 做法和成效), which get the
    clerk's first-line indent; lists (简历, 职责) never do.
    """
    style = style or TypingStyle()
    marks = anchors_in(doc)
    if anchor not in marks:
        raise KeyError(f"{anchor} not in document")
    p = _paragraph_of(marks[anchor])
    lines = [ln for ln in lines if ln is not None]
    if not lines:
        return
    existing = _text(p).strip()
    has_placeholder = bool(existing) and existing in {ph.strip() for ph in placeholders}

    def indent(par, text):
        if prose and style.indent == "fwspace":
            return FW_INDENT + text
        if prose and style.indent == "chars":
            _first_line_indent(par)
        return text

    if style.breaks == "br" and not prose:
        target = p
        if has_placeholder and style.placeholder == "own_para":
            target = _sibling_paragraph(p, "")
        elif has_placeholder and style.placeholder == "replace":
            _clear_runs(p)
        for i, line in enumerate(lines):
            if i:
                _append_break(target)
            _append_text(target, line)
        return

    pt = style.prose_pt if prose else None
    first, rest = lines[0], lines[1:]
    if has_placeholder and style.placeholder == "own_para":
        last = _sibling_paragraph(p, "")
        _append_text(last, indent(last, first), pt)
    else:
        inline = has_placeholder and style.placeholder == "inline"  # typed straight after the placeholder
        if has_placeholder and style.placeholder == "replace":
            _clear_runs(p)
        last = p
        _append_text(p, first if inline else indent(p, first), pt)
    for line in rest:
        last = _sibling_paragraph(last, "")
        _append_text(last, indent(last, line), pt)


def type_text(doc, anchor: str, text: str) -> None:
    """A one-line value (姓名, 得分 …) typed into its cell."""
    type_lines(doc, anchor, [text])


def save_as_returned(doc, target, author: str | None, when: datetime) -> None:
    """Save (to a path or a binary stream) like Word does after the clerk's edit: last author, time, revision."""
    cp = doc.core_properties
    if author:
        cp.last_modified_by = author
    cp.modified = when
    cp.revision = (cp.revision or 1) + 1
    doc.save(str(target) if isinstance(target, Path) else target)

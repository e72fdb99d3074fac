"""Typing into an issued blank the way a clerk does in Word.

The clerk clicks into a value cell and types: the text lands in the cell's
paragraph next to our point bookmark (which stays), Enter starts a new
paragraph with the same formatting, Shift+Enter a line break. Printed
placeholders such as “（500字左右事迹简述，可附页）” are sometimes selected and
typed over, sometimes left in their own line, sometimes typed after; the
stamp lines of an opinion cell stay below the typed opinion.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx

from formgen import docxkit as dk
from formgen.anchors import PROP_FORM_TYPE, parse_anchor

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
    return {name: el for name, el in dk.bookmark_starts(doc).items() if parse_anchor(name)}


def form_type_of(path: Path) -> str | None:
    """The formgen_form_type custom property of an issued blank."""
    return dk.read_custom_properties(path).get(PROP_FORM_TYPE)


def _sibling_paragraph(p, text: str):
    """Enter at the end of ``p``, then ``text``."""
    new = dk.type_enter(p)
    if text:
        dk.type_text_into(new, text)
    return new


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
    p = dk.paragraph_of(marks[anchor])
    lines = [ln for ln in lines if ln is not None]
    if not lines:
        return
    existing = dk.p_text(p).strip()
    has_placeholder = bool(existing) and existing in {ph.strip() for ph in placeholders}

    def indent(par, text):
        if prose and style.indent == "fwspace":
            return FW_INDENT + text
        if prose and style.indent == "chars":
            dk.p_first_line_indent(par)
        return text

    if style.breaks == "br" and not prose:
        target = p
        if has_placeholder and style.placeholder == "own_para":
            target = _sibling_paragraph(p, "")
        elif has_placeholder and style.placeholder == "replace":
            dk.delete_runs(p)
        for i, line in enumerate(lines):
            if i:
                dk.type_line_break(target)
            dk.type_text_into(target, line)
        return

    pt = style.prose_pt if prose else None
    first, rest = lines[0], lines[1:]
    if has_placeholder and style.placeholder == "own_para":
        last = _sibling_paragraph(p, "")
        dk.type_text_into(last, indent(last, first), pt)
    else:
        inline = has_placeholder and style.placeholder == "inline"  # typed straight after the placeholder
        if has_placeholder and style.placeholder == "replace":
            dk.delete_runs(p)
        last = p
        dk.type_text_into(p, first if inline else indent(p, first), pt)
    for line in rest:
        last = _sibling_paragraph(last, "")
        dk.type_text_into(last, indent(last, line), pt)


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

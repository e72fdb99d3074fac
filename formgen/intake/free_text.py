"""Free-text documents a campaign asks for as such (seed 001: 自查报告 / 专项报告).

A form type with ``free_text: true`` is recognised by its ``title_keywords`` in
the first lines of a document without tables; its whole text becomes the
field ``text`` (checked against ``max_chars`` like any field). Without such a
type, a long free text is still taken as a detailed deeds document.
"""
from __future__ import annotations

from formgen import anchors as A
from formgen.forms import FormSpec
from formgen.intake.grid import GridDocument
from formgen.intake.normalize import clean_multiline
from formgen.intake.result import ExtractResult

HEAD_LINES = 4  # the title of a report is within its first lines
TITLE_CHARS = 60


def read_free_text(doc: GridDocument, forms: list[FormSpec]) -> ExtractResult | None:
    """``doc`` read as a free-text form type, or None when it is none of them."""
    candidates = [f for f in forms if f.free_text]
    if not candidates or doc.tables:
        return None
    # the title: the short lines at the top (a body paragraph that merely mentions 自查 does not count)
    head = "".join("".join(line.text.split()) for line in doc.lines[:HEAD_LINES] if len(line.text.strip()) <= TITLE_CHARS)
    for form in candidates:
        if any(group and all(w in head for w in group) for group in form.title_keywords):
            result = ExtractResult(file=doc.source, form_type=form.type, method=doc.method)
            key = form.fields[0].key if form.fields else "text"
            result.fields = {key: clean_multiline(doc.plain_text())}
            for prop, name in ((A.PROP_UNIT, "unit"), (A.PROP_CAMPAIGN, "campaign")):
                if doc.properties.get(prop):
                    result.anchors[name] = doc.properties[prop]
            return result
    return None

"""Machine-readable anchors that an issued blank carries back to us.

Two layers, both verified to survive typing in Word and a re-save by
LibreOffice (``soffice --convert-to docx``):

* document level — custom document properties (``docProps/custom.xml``)
  ``formgen_form_type``, ``formgen_template_version``, ``formgen_campaign``,
  ``formgen_unit``; plus a bookmark ``fgform_<form_type>`` on the title, in case
  an editor drops the custom properties;
* value cells — a point bookmark inside each value cell: ``fg_<field key>`` for
  a field, ``fg_score_<NN>`` (1-based, two digits) for an item's 得分 cell, and
  ``fg_subject`` for the name line of a score sheet. The value is the whole text
  of the cell that holds the bookmark, so typing anywhere in it is fine.

Bookmark names are ASCII, start with a letter and stay under Word's 40
characters, since field keys are short snake_case. This module only names
the anchors; writing them into a package is :mod:`formgen.docxkit`'s job.
"""
from __future__ import annotations

import re

PROP_FORM_TYPE = "formgen_form_type"
PROP_TEMPLATE_VERSION = "formgen_template_version"
PROP_CAMPAIGN = "formgen_campaign"
PROP_UNIT = "formgen_unit"
ANCHOR_PROPS = (PROP_FORM_TYPE, PROP_TEMPLATE_VERSION, PROP_CAMPAIGN, PROP_UNIT)

FIELD_PREFIX = "fg_"
FORM_PREFIX = "fgform_"
SCORE_RE = re.compile(r"^fg_score_(\d{2})$")
SUBJECT_ANCHOR = "fg_subject"


def field_anchor(key: str) -> str:
    return f"{FIELD_PREFIX}{key}"


def score_anchor(index: int) -> str:
    """Anchor of the 得分 cell of item ``index`` (0-based)."""
    return f"fg_score_{index + 1:02d}"


def form_anchor(form_type: str) -> str:
    return f"{FORM_PREFIX}{form_type}"


def parse_anchor(name: str) -> tuple[str, str | int] | None:
    """``("field", key)``, ``("score", index0)``, ``("form", type)``, ``("subject", "")`` or None."""
    if name.startswith(FORM_PREFIX):
        return ("form", name[len(FORM_PREFIX):])
    m = SCORE_RE.match(name)
    if m:
        return ("score", int(m.group(1)) - 1)
    if name == SUBJECT_ANCHOR:
        return ("subject", "")
    if name.startswith(FIELD_PREFIX) and len(name) > len(FIELD_PREFIX):
        return ("field", name[len(FIELD_PREFIX):])
    return None

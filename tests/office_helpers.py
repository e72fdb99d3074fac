"""A unit filling in an office's own form (tests of forms import): values by field kind, typed with
python-docx into the issued blank — or into the office's un-anchored original (the same typing with
every formgen anchor taken out afterwards, which is what last year's form looks like filled in)."""
from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

from formgen import docxkit as dk
from formgen.forms import FormSpec

OFFICE_FORMS = Path(__file__).parent / "data" / "office_forms"
NAMES = ["李晓梅", "不动产登记综合窗口", "县政务服务中心", "王建国", "0839-7201111", "群众满意", "社区网格一组"]


def sample_values(spec: FormSpec) -> dict[str, tuple[list[str], object]]:
    """key → (lines typed, value expected back)."""
    out: dict[str, tuple[list[str], object]] = {}
    n = 0
    for f in spec.fields:
        if f.position == "line":
            continue  # the unit's name, filled in by the issue
        if f.kind == "birth":
            out[f.key] = (["1983.07"], "1983-07")
        elif f.kind == "gender":
            out[f.key] = (["女"], "女")
        elif f.kind == "integer":
            out[f.key] = (["12"], 12)
        elif f.kind == "date":
            out[f.key] = (["2008年9月"], "2008年9月")
        elif f.kind == "choice":
            out[f.key] = ([f.choices[-1]], f.choices[-1])
        elif f.kind == "multiline":
            lines = [f"坚持首问负责，{f.label}第一段。", "推行一次告知，群众少跑腿。"]
            out[f.key] = (lines, "\n".join(lines))
        else:
            value = NAMES[n % len(NAMES)]
            n += 1
            out[f.key] = ([value], value)
    return out


_BOXES = "□☐○"


def _type_into(p, lines: list[str], option: bool):
    """Type into paragraph ``p`` like a clerk: over the underscores of ``姓名：____``, ticking ``□女``,
    before a printed unit word (``人``), else at the end; further lines as new paragraphs."""
    text = dk.p_text(p)
    if option:
        for t in p.iter(qn("w:t")):
            for box in _BOXES:
                if t.text and f"{box}{lines[0]}" in t.text:
                    t.text = t.text.replace(f"{box}{lines[0]}", f"☑{lines[0]}")
                    return
        raise AssertionError(f"no option {lines[0]} in {text!r}")
    for t in p.iter(qn("w:t")):
        if t.text and re.search("_{2,}", t.text):
            t.text = re.sub("_{2,}", lines[0], t.text, count=1)
            break
    else:
        if text.strip() in ("人", "件", "户"):
            first = next(p.iter(qn("w:t")))
            first.text = lines[0] + first.text
        else:
            dk.type_text_into(p, lines[0])
    last = p
    for line in lines[1:]:
        last = dk.type_enter(last)
        dk.type_text_into(last, line)


def fill_blank(data: bytes, spec: FormSpec, values: dict, strip_anchors: bool = False) -> bytes:
    """The blank (.docx bytes) with ``values`` typed at their anchors; optionally every anchor removed after."""
    doc = docx.Document(io.BytesIO(data))
    marks = dk.bookmark_starts(doc)
    for f in spec.fields:
        if f.key not in values:
            continue
        lines, _ = values[f.key]
        start = marks[f"fg_{f.key}"]
        p = dk.paragraph_of(start)
        option = f.kind == "choice" or (f.kind == "gender" and any(b in dk.p_text(p) for b in _BOXES))
        if f.kind == "multiline" and re.search("[:：]\\s*$", dk.p_text(p)):
            nxt = p.getnext()  # "主要事迹：" then blank paragraphs: type in the first blank one
            p = nxt if nxt is not None and nxt.tag == qn("w:p") else p
        _type_into(p, lines, option)
    if strip_anchors:
        for el in list(doc.element.body.iter(qn("w:bookmarkStart"))):
            if (el.get(qn("w:name")) or "").startswith("fg"):
                bid = el.get(qn("w:id"))
                for end in list(doc.element.body.iter(qn("w:bookmarkEnd"))):
                    if end.get(qn("w:id")) == bid:
                        end.getparent().remove(end)
                el.getparent().remove(el)
    buf = io.BytesIO()
    doc.save(buf)
    out = buf.getvalue()
    if strip_anchors:
        out = _without_custom_props(out)
    return out


def _without_custom_props(data: bytes) -> bytes:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, src.read(info.filename))
    return dk.set_custom_properties(out.getvalue(), {"KSOProductBuildVer": "2052-11.1.0.12598"})

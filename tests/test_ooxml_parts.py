"""Issue 15 point 16: the packages formgen writes hold no part Word would repair (a focused OOXML check)."""
from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def package_problems(data: bytes) -> list[str]:
    """Every part well-formed and typed, every internal relationship target present, no orphan part,
    and no stylesWithEffects.xml (python-docx's copy never matches the styles formgen writes)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    out = [f"not well-formed: {n}" for n in names if n.endswith((".xml", ".rels")) and not _parses(z.read(n))]
    types = etree.fromstring(z.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{CT}Override")}
    out += [f"override without part: {o}" for o in overrides - names]
    reached = {"[Content_Types].xml"}
    for rels in (n for n in names if n.endswith(".rels")):
        reached.add(rels)
        base = posixpath.dirname(posixpath.dirname(rels))
        for r in etree.fromstring(z.read(rels)).iter(f"{REL}Relationship"):
            if r.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(base, r.get("Target"))).lstrip("/")
            reached.add(target)
            if target not in names:
                out.append(f"{rels}: missing target {target}")
    for n in names - reached:
        out.append(f"orphan part: {n}")
    for n in names:
        if not n.endswith("/") and n not in overrides and n.rsplit(".", 1)[-1].lower() not in defaults:
            out.append(f"no content type: {n}")
    out += [f"stale part: {n}" for n in names if n.endswith("stylesWithEffects.xml")]
    return out


def _parses(xml: bytes) -> bool:
    try:
        etree.fromstring(xml)
        return True
    except etree.XMLSyntaxError:
        return False


def test_a_new_formgen_document_has_no_stale_styles_with_effects():
    from formgen import docxkit as dk
    from formgen.publish.layout import new_document

    for doc in (dk.new_document(), new_document()):
        buf = io.BytesIO()
        doc.save(buf)
        assert package_problems(buf.getvalue()) == []


def test_the_collect_workbook_is_a_clean_package(workspace):
    from formgen.collect.decisions import refresh

    book = refresh(workspace)
    assert package_problems(book.read_bytes()) == []

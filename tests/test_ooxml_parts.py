"""Issue 15 point 16: the packages formgen writes hold no part Word would repair (a focused OOXML check)."""
from __future__ import annotations

import io
import posixpath
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
    return out + _undefined_styles(z)


def _undefined_styles(z: zipfile.ZipFile) -> list[str]:
    """A paragraph, run or table style named in any word/ part (numbering.xml too) that styles.xml lacks."""
    if "word/styles.xml" not in z.namelist():
        return []
    defined = {s.get(f"{W}styleId") for s in etree.fromstring(z.read("word/styles.xml")).iter(f"{W}style")}
    out = set()
    for part in (n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")):
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for el in etree.fromstring(z.read(part)).iter(f"{W}{tag}"):
                if el.get(f"{W}val") not in defined:
                    out.add(f"{part}: {tag} {el.get(f'{W}val')} not in styles.xml")
    return sorted(out)


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


# ---- every docx and xlsx formgen writes: the two demos (an award campaign and an assessed one) + export ----

@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """Output kind (its folder, or its name for single files) → one file of that kind."""
    from click.testing import CliRunner

    from formgen.cli import cli

    root = tmp_path_factory.mktemp("outputs")
    runner = CliRunner()
    for preset in ("ruian-2014", "town-internal"):
        result = runner.invoke(cli, ["demo", str(root / preset), "--preset", preset])
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["-C", str(root / "ruian-2014"), "export"])
    assert result.exit_code == 0, result.output
    files: dict[str, list[Path]] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix in (".docx", ".xlsx") and "forms_in" not in path.parts and "p" not in path.parts[-3:-1]:
            files.setdefault(path.parent.name if path.parent.name not in ("publish", "ballots") else path.stem, []
                             ).append(path)
    return files


KINDS = ["issue", "templates", "collect", "panel", "score", "tally", "export", "证书", "公示名单", "授牌名单",
         "表彰通报", "证书_合并打印"]


def test_issue15_defect16_every_output_is_a_clean_package(outputs):
    assert set(KINDS) <= set(outputs), sorted(outputs)
    assert any("测评票" in kind for kind in outputs)  # the ballots' editable docx
    problems = {str(path.relative_to(path.parents[2])): package_problems(path.read_bytes())
                for paths in outputs.values() for path in paths}
    assert {name: p for name, p in problems.items() if p} == {}


def _docx_text(path: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    paras = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
    return ["".join(p.split()) for p in paras if p.strip()]


def _xlsx_cells(path: Path) -> dict:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {(ws.title, c.coordinate): str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value not in (None, "")}


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_issue15_defect16_libreoffice_round_trip_keeps_every_output(outputs, tmp_path):
    """One file of every kind, opened and saved again by LibreOffice: it loads, and the text survives."""
    (tmp_path / "in").mkdir()
    sample = []  # copies with unique names: templates/通知.docx and out/issue/…/通知.docx are different kinds
    for i, paths in enumerate(outputs.values()):
        sample.append(tmp_path / "in" / f"{i}_{paths[0].name}")
        shutil.copyfile(paths[0], sample[-1])
    profile = f"-env:UserInstallation={(tmp_path / 'p').as_uri()}"
    for ext, filt in (("docx", "docx:MS Word 2007 XML"), ("xlsx", "xlsx:Calc MS Excel 2007 XML")):
        out = tmp_path / ext
        files = [str(p) for p in sample if p.suffix == f".{ext}"]
        subprocess.run(["soffice", "--headless", "--norestore", profile, "--convert-to", filt, "--outdir", str(out),
                        *files], check=True, capture_output=True, timeout=300)
        for src in map(Path, files):
            back = out / src.name
            assert back.exists(), f"LibreOffice could not open {src.name}"
            if ext == "docx":
                # (LibreOffice may move a frame's or the last table's paragraphs: the same text, in any order)
                assert sorted(_docx_text(back)) == sorted(_docx_text(src)), src.name
            else:
                assert _xlsx_cells(back) == _xlsx_cells(src), src.name

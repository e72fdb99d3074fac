"""End to end: extract over the shared corpus (same comparison as shared/tools/score_corpus.py),
foreign real-world files, hostile files through the CLI, and a tagged blank round trip."""
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.docxkit import custom_properties_xml
from formgen.cli import cli
from formgen.errors import InputFileError
from formgen.intake.extract import extract_path, extract_source
from formgen.intake.result import SourceFile
from formgen.intake.sniff import sniff
from intake_helpers import W_NS, docx_bytes
from corpus_helpers import CORPUS, needs_corpus, needs_soffice, load_scorer, truth





@needs_corpus
@pytest.mark.parametrize("entry", truth({"docx", "lo-docx"}), ids=lambda e: e["file"])
def test_corpus_docx_matchestruth(entry):
    scorer = load_scorer()
    results = extract_path(CORPUS / entry["file"])
    assert len(results) == 1
    got = results[0].to_json()
    correct, total, misses = scorer.compare_form(entry, got, scorer.DEFAULT_THRESHOLD)
    assert correct == total, misses


def _foreign(suffix):
    folder = CORPUS / "foreign"
    return sorted(folder.glob(f"*/*{suffix}")) if folder.exists() else []


@needs_corpus
@pytest.mark.parametrize("path", _foreign(".docx"), ids=lambda p: p.name)
def test_foreign_docx_gives_no_form_or_clean_error(path):
    try:
        results = extract_path(path)
    except InputFileError as e:
        assert "\n" not in str(e) and str(e)
    else:
        assert all(r.form_type is None for r in results)


@needs_corpus
@pytest.mark.parametrize("path", _foreign(".doc"), ids=lambda p: p.name)
def test_foreign_doc_is_sniffed_as_an_old_office_file(path):
    assert sniff(path.read_bytes(), path.name) in {"doc", "ole-encrypted", "ole", "ole-damaged", "empty"}


# ---------------------------------------------------------------------------------------------
# the CLI contract on bad files
# ---------------------------------------------------------------------------------------------

def _cli(tmp_path, name, data):
    f = tmp_path / name
    f.write_bytes(data)
    return CliRunner().invoke(cli, ["extract", str(f), "--json"])


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name, data", [
    ("空.docx", b""),
    ("坏.docx", docx_bytes("<w:p/>")[:300]),
    ("表.xlsx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"})),
    ("xxe.docx", docx_bytes("", document_xml=(
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
    ).encode())),
    ("加密.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
])
def test_cli_unreadable_file_one_line(tmp_path, name, data):
    res = _cli(tmp_path, name, data)
    assert res.exit_code > 0
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in res.output


def test_cli_text_renamed_docx_gives_no_form(tmp_path):
    """Issue 15 defect 12: plain text under a Word name is not a Word file (exit 2, one line), not "no table"."""
    res = _cli(tmp_path, "改名.docx", "这只是一段文字。".encode())
    assert res.exit_code == 2
    assert "不是Word文件" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_cli_json_is_utf8_not_escaped(tmp_path):
    from intake_helpers import simple_table

    data = docx_bytes(simple_table([["姓名", "张三&<“”>", "性别", "男"], ["出生年月", "1980.1", "政治面貌", "群众"]]))
    res = _cli(tmp_path, "申报表.docx", data)
    assert res.exit_code == 0
    assert "张三&<“”>" in res.stdout
    out = json.loads(res.stdout)
    assert out["form_type"] == "candidate_application" and out["method"] == "labels"
    assert set(out) == {"file", "form_type", "method", "fields", "items", "problems"}


def test_too_large_refused_without_reading(tmp_path):
    big = tmp_path / "大.pdf"
    with open(big, "wb") as fh:
        fh.seek(51 * 1024 * 1024)
        fh.write(b"\0")
    with pytest.raises(InputFileError) as e:
        extract_path(big)
    assert e.value.kind == "too_large"


def test_zip_without_container_support_or_with_it_never_crashes():
    inner = docx_bytes("<w:p/>")
    try:
        results = extract_source(SourceFile(name="材料.zip", data=_zip({"a.docx": inner})))
    except InputFileError as e:
        assert "\n" not in str(e)
    else:
        assert all(r.source for r in results)


# ---------------------------------------------------------------------------------------------
# a tagged blank: filled in with python-docx, re-saved by LibreOffice, read back by its anchors
# ---------------------------------------------------------------------------------------------

FILLED = {"name": "=张&晓明", "gender": "男", "birth": "1982年7月", "unit_title": "市民政局<办公室>主任",
          "deeds": "第一段。\n第二段“引号”。"}


def _blank_with_anchors() -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    doc = Document()
    counter = iter(range(1, 100))

    def bookmark(paragraph, name):
        i = str(next(counter))
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), i)
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), i)
        paragraph._p.append(start)
        paragraph._p.append(end)

    bookmark(doc.add_paragraph("“勤廉标兵”候选人申报表"), "fgform_candidate_application")
    table = doc.add_table(rows=4, cols=4)
    labels = [("姓  名", "name"), ("性  别", "gender"), ("出生年月", "birth"), ("政治面貌", "political")]
    for i, (label, key) in enumerate(labels):
        row, col = divmod(i, 2)
        table.cell(row, col * 2).text = label
        bookmark(table.cell(row, col * 2 + 1).paragraphs[0], f"fg_{key}")
    table.cell(2, 0).text = "单位及职务"
    unit = table.cell(2, 1).merge(table.cell(2, 3))
    bookmark(unit.paragraphs[0], "fg_unit_title")
    table.cell(3, 0).text = "主要事迹"
    deeds = table.cell(3, 1).merge(table.cell(3, 3))
    deeds.paragraphs[0].text = "（500字左右事迹简述，可附页）"
    bookmark(deeds.paragraphs[0], "fg_deeds")
    buf = io.BytesIO()
    doc.save(buf)
    # Custom document properties as formgen.anchors describes them.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="'
                                    b'application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            elif item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFg" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("docProps/custom.xml", custom_properties_xml(
            {"formgen_form_type": "candidate_application", "formgen_unit": "市民政局", "formgen_template_version": "1"}))
    return out.getvalue()


def _fill(blank: bytes) -> bytes:
    from docx import Document

    doc = Document(io.BytesIO(blank))
    for cell in {id(c): c for row in doc.tables[0].rows for c in row.cells}.values():
        names = cell._tc.xpath(".//w:bookmarkStart/@w:name")
        key = names[0][3:] if names else None
        if key in FILLED:
            lines = FILLED[key].split("\n")
            cell.paragraphs[-1].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.soffice
@needs_soffice
def test_tagged_blank_survives_fill_and_libreoffice_resave(tmp_path):
    filled = tmp_path / "filled.docx"
    filled.write_bytes(_fill(_blank_with_anchors()))
    outdir = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "docx", "--outdir", str(outdir), str(filled)],
                   check=True, capture_output=True, timeout=120)
    for path in (filled, outdir / "filled.docx"):
        [r] = extract_path(path)
        assert r.form_type == "candidate_application" and r.method == "tagged", path
        assert r.fields["name"] == "=张&晓明"
        assert r.fields["gender"] == "男"
        assert r.fields["birth"] == "1982-07"
        assert r.fields["unit_title"] == "市民政局<办公室>主任"
        assert r.fields["deeds"] == "第一段。\n第二段“引号”。"
        assert r.fields["political"] is None
        assert r.anchors["unit"] == "市民政局"
        assert all(r.provenance[k].method == "tagged" for k in FILLED)


def test_formgen_extract_runs_as_a_program(tmp_path):
    """The installed entry point prints JSON and exits 0 (no workspace needed)."""
    from intake_helpers import simple_table

    f = tmp_path / "表.docx"
    f.write_bytes(docx_bytes(simple_table([["项目", "分值", "得分"], ["政治坚定", "20分", "18"],
                                           ["作风优良", "20分", "19"]])))
    exe = Path(sys.executable).parent / "formgen"
    if not exe.exists():
        pytest.skip("formgen entry point not installed beside this Python")
    proc = subprocess.run([str(exe), "extract", str(f), "--json"], capture_output=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    out = json.loads(proc.stdout.decode("utf-8"))
    assert out["form_type"] == "candidate_score_sheet"
    assert [i["score"] for i in out["items"]][:2] == [18, 19]

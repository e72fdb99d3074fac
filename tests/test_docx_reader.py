import io
import zipfile

import pytest

from formgen.errors import InputFileError
from formgen.intake.grid import Line, Table
from formgen.intake.readers.docx_reader import read_docx
from formgen.intake.sniff import sniff
from intake_helpers import W_NS, docx_bytes, p, simple_table, source, tbl, tc, tr


def read(body: str, **kw):
    return read_docx(source(docx_bytes(body, **kw)))


def test_lines_and_table_in_order():
    doc = read(p("附件4") + simple_table([["姓名", "张三"]]) + p("注：附详细事迹"))
    assert [type(b) for b in doc.blocks] == [Line, Table, Line]
    assert doc.lines[0].text == "附件4"
    cell = doc.tables[0].at(0, 1)
    assert cell.text == "张三"
    assert cell.where == "表1 第1行第2列"


def test_spans_and_vertical_merges_resolved():
    body = tbl(
        tr(tc("姓名"), tc("张三"), tc("照片", vmerge="restart")),
        tr(tc("单位及职务"), tc("市民政局"), tc("", vmerge="continue")),
        tr(tc("主要事迹", vmerge="restart"), tc("第一段", span=2, vmerge="restart")),
        tr(tc("", vmerge="continue"), tc("", span=2, vmerge="continue")),
    )
    t = read(body).tables[0]
    photo = t.at(1, 2)
    assert (photo.text, photo.row, photo.rowspan) == ("照片", 0, 2)
    deeds = t.at(3, 2)
    assert (deeds.text, deeds.row, deeds.col, deeds.rowspan, deeds.colspan) == ("第一段", 2, 1, 2, 2)
    assert len(t.cells) == 7  # every position covered once
    assert t.n_rows == 4 and t.n_cols == 3


def test_breaks_tabs_paragraphs_kept():
    t = read(simple_table([["简历", "2001—2005\t学习\n2005—至今\t科员"]])).tables[0]
    assert t.at(0, 1).text == "2001—2005\t学习\n2005—至今\t科员"
    vertical = read(tbl(tr(tc("主\n要\n事\n迹"), tc("x")))).tables[0]
    assert vertical.at(0, 0).text == "主\n要\n事\n迹"


def test_tracked_changes_content_controls_and_bookmarks():
    cell = (
        '<w:p><w:bookmarkStart w:id="1" w:name="fg_name"/><w:bookmarkEnd w:id="1"/>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>张</w:t></w:r></w:ins>'
        '<w:del w:id="3" w:author="a"><w:r><w:delText>李</w:delText></w:r></w:del>'
        '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>晓明</w:t></w:r></w:sdtContent></w:sdt></w:p>'
    )
    prompt = ('<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>单击此处输入文字。'
              '</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    doc = read(tbl(tr(tc("姓名"), tc(cell), tc(prompt))), props={"formgen_form_type": "candidate_application"})
    t = doc.tables[0]
    assert t.at(0, 1).text == "张晓明"
    assert t.at(0, 1).anchors == ["fg_name"]
    assert t.at(0, 2).text == ""  # a content control still showing its prompt is empty
    assert doc.properties == {"formgen_form_type": "candidate_application"}


def test_nested_table_kept_in_cell_and_as_table():
    inner = simple_table([["曾获荣誉", "2010年度先进"]])
    doc = read(tbl(tr(tc("简历"), tc(inner))))
    assert len(doc.tables) == 2
    assert "2010年度先进" in doc.tables[0].at(0, 1).text
    assert doc.tables[1].index == 1 and doc.tables[1].at(0, 1).text == "2010年度先进"


def test_absurd_span_is_capped():
    body = tbl(tr(tc("a", span=10**9), tc("b")), tr(tc("c"), tc("d", vmerge="continue")))
    t = read(body).tables[0]
    assert t.n_cols <= 64


# ---------------------------------------------------------------------------------------------
# hostile input
# ---------------------------------------------------------------------------------------------

def test_corrupt_zip():
    data = docx_bytes(simple_table([["姓名", "张三"]]))
    with pytest.raises(InputFileError) as e:
        read_docx(source(data[: len(data) // 2]))
    assert e.value.kind == "corrupt" and "\n" not in str(e.value)


def test_broken_xml():
    with pytest.raises(InputFileError, match="XML"):
        read_docx(source(docx_bytes("", document_xml=b"<w:document><w:body><w:p>")))


def test_xxe_is_refused_and_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(InputFileError) as e:
        read_docx(source(docx_bytes("", document_xml=xml.encode())))
    assert e.value.kind == "unsafe"
    assert "TOPSECRET" not in str(e.value)


def test_billion_laughs_refused():
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{"&a%d;" % (i - 1) * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [{ents}]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r>'
           f"<w:t>&a9;</w:t></w:r></w:p></w:body></w:document>")
    with pytest.raises(InputFileError) as e:  # refused for its DTD: the entities are never expanded
        read_docx(source(docx_bytes("", document_xml=xml.encode())))
    assert e.value.kind == "unsafe"


def test_zip_bomb_refused_before_inflating():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        # 64 MB of zeros compresses to ~64 KB: refused on its declared size alone.
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(64):
                fh.write(chunk)
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(InputFileError) as e:
        read_docx(source(data))
    assert e.value.kind == "too_large"


def test_not_a_word_package():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputFileError) as e:
        read_docx(source(buf.getvalue()))
    assert e.value.kind == "unsupported"


@pytest.mark.parametrize("data, kind", [
    (b"", "empty"),
    ("这是一段纯文本，被改名为 .docx。".encode("utf-8"), "text"),
    ("姓名：张三".encode("gb18030"), "text"),
    (b"%PDF-1.4\n...", "pdf"),
    (b"{\\rtf1\\ansi hello}", "rtf"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
    (b"From: a@b.cn\r\nTo: c@d.cn\r\nSubject: =?GB2312?B?sai=?=\r\n\r\nbody", "eml"),
    (b"From a@b.cn Mon Jan  1 00:00:00 2014\nFrom: a@b.cn\nSubject: x\n\nbody\n", "mbox"),
    (b"\x00\x01\x02\x03" * 100, "unknown"),
])
def test_sniff(data, kind):
    assert sniff(data, "x.docx") == kind


def test_sniff_docx_by_content_not_name():
    data = docx_bytes(p("x"))
    assert sniff(data, "材料.doc") == "docx"
    assert sniff(data[:200], "材料.zip") == "docx"  # damaged, but its first member says Word
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("申报表.docx", data)
    assert sniff(buf.getvalue(), "材料.docx") == "zip"

"""Small .docx builders for the intake tests (raw WordprocessingML, no template needed)."""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from formgen.docxkit import CUSTOM_PROPS_CT, CUSTOM_PROPS_REL, custom_properties_xml
from formgen.intake.result import SourceFile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOC_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OFFICE_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def p(text: str = "", bookmark: str | None = None) -> str:
    """A paragraph; ``\\n`` in text becomes a line break, ``\\t`` a tab."""
    runs = []
    for i, line in enumerate(text.split("\n")):
        if i:
            runs.append("<w:r><w:br/></w:r>")
        for j, part in enumerate(line.split("\t")):
            if j:
                runs.append("<w:r><w:tab/></w:r>")
            if part:
                runs.append(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    mark = ""
    if bookmark:
        mark = f'<w:bookmarkStart w:id="{abs(hash(bookmark)) % 10000}" w:name="{bookmark}"/>' \
               f'<w:bookmarkEnd w:id="{abs(hash(bookmark)) % 10000}"/>'
    return f"<w:p>{mark}{''.join(runs)}</w:p>"


def tc(content: str, span: int = 1, vmerge: str | None = None) -> str:
    """A cell; ``content`` is text (one paragraph per line of it) or raw XML starting with '<'."""
    pr = ""
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    body = content if content.startswith("<") else "".join(p(x) for x in content.split("\n"))
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{body or '<w:p/>'}</w:tc>"


def tr(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"


def simple_table(rows: list[list[str]]) -> str:
    return tbl(*(tr(*(tc(c) for c in row)) for row in rows))


def docx_bytes(body: str, props: dict[str, str] | None = None, document_xml: bytes | None = None) -> bytes:
    """A minimal valid .docx holding ``body`` (the inside of w:body)."""
    xml = document_xml or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    ).encode("utf-8")
    overrides = f'<Override PartName="/word/document.xml" ContentType="{DOC_CT}"/>'
    rels = f'<Relationship Id="rId1" Type="{OFFICE_DOC_REL}" Target="word/document.xml"/>'
    if props:
        overrides += f'<Override PartName="/docProps/custom.xml" ContentType="{CUSTOM_PROPS_CT}"/>'
        rels += f'<Relationship Id="rId9" Type="{CUSTOM_PROPS_REL}" Target="docProps/custom.xml"/>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    f"{overrides}</Types>")
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f"{rels}</Relationships>")
        zf.writestr("word/document.xml", xml)
        if props:
            zf.writestr("docProps/custom.xml", custom_properties_xml(props))
    return buf.getvalue()


def source(data: bytes, name: str = "表.docx") -> SourceFile:
    return SourceFile(name=name, data=data, path=name)


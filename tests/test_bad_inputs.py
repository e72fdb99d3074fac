"""Issue 8 defects in the intake library: one bad part never costs its siblings."""
from __future__ import annotations

import io
import json
import struct
import zipfile

from click.testing import CliRunner

from formgen.intake.containers import expand
from formgen.intake.result import SourceFile

DOCX_LIKE = b"PK-not-really-a-docx"


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _flag_utf8_with_gbk_name(data: bytes, placeholder: bytes, gbk: bytes) -> bytes:
    """Member ``placeholder`` renamed to GBK bytes while its UTF-8 flag is set (both headers)."""
    assert len(placeholder) == len(gbk) and data.count(placeholder) == 2
    out = bytearray(data.replace(placeholder, gbk))
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = -1
        while (at := out.find(sig, at + 1)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(gbk)] == gbk:
                flags, = struct.unpack_from("<H", out, at + flag_at)
                struct.pack_into("<H", out, at + flag_at, flags | 0x800)
    return bytes(out)


def test_defect6_bad_utf8_flagged_name_keeps_its_sibling():
    gbk = "推荐表.txt".encode("gbk")
    data = _zip([("A" * len(gbk), "第一份".encode()), ("good.txt", "第二份".encode())])
    bad = _flag_utf8_with_gbk_name(data, b"A" * len(gbk), gbk)
    members, errors = expand(SourceFile(name="材料.zip", data=bad, path="/in/材料.zip"))
    assert not errors
    assert sorted(m.name for m in members) == ["good.txt", "推荐表.txt"]
    assert {m.name: m.data for m in members}["推荐表.txt"] == "第一份".encode()


EML = b"""From: =?utf-8?b?5Lic5bGx6KGX6YGT?= <ds@example.cn>
To: office@example.cn
Subject: report
this line has no colon at all
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain; charset=utf-8

body
--XX
Content-Type: application/octet-stream; name="form.docx"
Content-Disposition: attachment; filename="form.docx"
Content-Transfer-Encoding: base64

UEstbm90LXJlYWxseS1hLWRvY3g=
--XX--
"""


def test_defect7_header_line_without_colon_keeps_the_attachment():
    members, errors = expand(SourceFile(name="x.eml", data=EML, path="/in/x.eml"))
    assert not errors
    assert [(m.name, m.data, m.sender) for m in members] == [("form.docx", DOCX_LIKE, "ds@example.cn")]


def test_defect11_extract_of_a_zip_with_nothing_readable_exits_nonzero(tmp_path):
    from formgen.cli import cli

    path = tmp_path / "坏包.zip"
    path.write_bytes(_zip([("a.xlsx", b"PK\x03\x04broken"), ("b.docx", b"")]))
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "extract", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert len(json.loads(result.stdout)) == 2
    ok = tmp_path / "好包.zip"
    ok.write_bytes(_zip([("a.txt", "文字材料。".encode() * 50), ("b.docx", b"")]))
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract", str(ok), "--json"]).exit_code == 0

"""Zip / eml / msg / mbox expansion: names, nesting, provenance, hostile archives."""
from __future__ import annotations

import base64
import datetime as dt
import io
import os
import struct
import zipfile
import zlib

import pytest

from formgen.errors import InputFileError
from formgen.intake.containers import Limits, expand
from formgen.intake.containers.names import decode_header_text, safe_name
from formgen.intake.result import SourceFile
from testdata import DONGSHAN_APP, TAX_PDF, returned

MB = 1024 * 1024
PDF = b"%PDF-1.4\n% test\n"
CST = dt.timezone(dt.timedelta(hours=8))


def src(name: str, data: bytes) -> SourceFile:
    return SourceFile(name=name, data=data, path=f"/in/{name}")


def make_zip(members: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def zip_with_raw_names(members: list[tuple[bytes, bytes]], extra: dict[int, bytes] | None = None) -> bytes:
    """A zip whose names are the given raw bytes with the UTF-8 flag (bit 11) clear, as
    Chinese Windows zip tools write them. zipfile would flag non-ASCII names UTF-8, so
    write ASCII placeholders of the same length and put the raw bytes in afterwards."""
    buf = io.BytesIO()
    placeholders = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (raw, data) in enumerate(members):
            placeholder = chr(ord("A") + i) * len(raw)
            placeholders.append(placeholder.encode())
            info = zipfile.ZipInfo(placeholder)
            info.compress_type = zipfile.ZIP_DEFLATED
            if extra and i in extra:
                info.extra = extra[i]
            zf.writestr(info, data)
    out = buf.getvalue()
    for placeholder, (raw, _) in zip(placeholders, members):
        assert out.count(placeholder) == 2  # local header + central directory
        out = out.replace(placeholder, raw)
    return out


def patch_headers(data: bytes, index: int, *, flags_or: int = 0, file_size: int | None = None) -> bytes:
    """Set flag bits / the declared uncompressed size of member ``index`` in both headers."""
    out = bytearray(data)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    local = infos[index].header_offset
    central = [i for i in range(len(out)) if out[i:i + 4] == b"PK\x01\x02"][index]
    for start, flag_at, size_at in ((local, 6, 22), (central, 8, 24)):
        flags = struct.unpack_from("<H", out, start + flag_at)[0] | flags_or
        struct.pack_into("<H", out, start + flag_at, flags)
        if file_size is not None:
            struct.pack_into("<I", out, start + size_at, file_size)
    return bytes(out)


# ---------------------------------------------------------------- zip names
def test_gbk_member_names_without_utf8_flag():
    data = zip_with_raw_names([("东山街道申报表.docx".encode("gbk"), b"form one"),
                               ("评分表（东山）.pdf".encode("gb18030"), PDF)])
    assert all(not i.flag_bits & 0x800 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    leaves, errors = expand(src("材料.zip", data))
    assert [leaf.name for leaf in leaves] == ["东山街道申报表.docx", "评分表（东山）.pdf"]
    assert errors == []
    assert leaves[0].via == ["材料.zip"] and leaves[0].path == "/in/材料.zip"
    assert leaves[1].data == PDF


def test_utf8_names_without_flag_and_unicode_path_extra_field():
    raw = "报表.docx".encode("gbk")
    # Info-ZIP Unicode Path: version 1, CRC-32 of the raw name, the UTF-8 name — it wins.
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw)) + "申报表.docx".encode()
    extra = struct.pack("<HH", 0x7075, len(body)) + body
    stale = b"\x01" + struct.pack("<I", 0) + "错误.docx".encode()  # CRC does not match: ignored
    stale_extra = struct.pack("<HH", 0x7075, len(stale)) + stale
    data = zip_with_raw_names([(raw, b"a"), ("材料/评分表.pdf".encode(), PDF), ("勤廉.txt".encode("gbk"), b"c")],
                              extra={0: extra, 2: stale_extra})
    leaves, _ = expand(src("x.zip", data))
    assert [leaf.source_label for leaf in leaves] == ["申报表.docx", "材料/评分表.pdf", "勤廉.txt"]


def test_nested_folders_and_zip_in_zip_keep_their_path_in_via():
    inner = make_zip([("评分表.pdf", PDF)])
    outer = make_zip([("东山街道/推荐材料/申报表.docx", b"form"), ("东山街道/内层.zip", inner),
                      ("东山街道/", b""), ("__MACOSX/东山街道/._申报表.docx", b"junk"), (".DS_Store", b"x"),
                      ("东山街道/Thumbs.db", b"x"), ("东山街道/~$申报表.docx", b"lock")])
    leaves, errors = expand(src("材料.zip", outer))
    assert errors == []
    by_name = {leaf.name: leaf for leaf in leaves}
    assert sorted(by_name) == ["申报表.docx", "评分表.pdf"]
    assert by_name["申报表.docx"].via == ["材料.zip", "东山街道/推荐材料"]
    assert by_name["评分表.pdf"].via == ["材料.zip", "东山街道", "内层.zip"]
    assert by_name["评分表.pdf"].source_label == "东山街道/内层.zip/评分表.pdf"


def test_path_traversal_names_are_made_safe():
    data = make_zip([("../../etc/passwd", b"p"), ("/abs/x.pdf", PDF), ("C:\\Windows\\evil.docx", b"e"),
                     ("a\x01b\u202e.docx", b"c")])
    leaves, _ = expand(src("t.zip", data))
    assert [leaf.name for leaf in leaves] == ["passwd", "x.pdf", "evil.docx", "ab.docx"]
    assert all(".." not in part and not part.startswith("/") for leaf in leaves for part in leaf.via)
    assert leaves[0].via == ["t.zip", "etc"] and leaves[2].via == ["t.zip", "Windows"]


@pytest.mark.parametrize("raw, expected", [
    ("../../etc/x", "x"), ("..", "未命名文件"), ("C:\\a\\b.doc", "b.doc"), ("con.docx", "_con.docx"),
    ("a<b>:c?.pdf", "a_b__c_.pdf"), (" 申报表.docx. ", "申报表.docx"), ("x\x00y.doc", "xy.doc"),
])
def test_safe_name(raw, expected):
    assert safe_name(raw) == expected


def test_safe_name_caps_length_and_keeps_suffix():
    name = safe_name("长" * 300 + ".docx")
    assert name.endswith(".docx") and len(name.encode()) <= 200


# ---------------------------------------------------------------- zip limits
def test_encrypted_zip_is_refused_whole():
    # Made with `zip -P pw enc.zip a.txt` (ZipCrypto); zipfile cannot write encrypted zips.
    enc = base64.b64decode(
        "UEsDBAoACQAAAGBMd11kQCJLFwAAAAsAAAAFABwAYS50eHRVVAkAA8MIBGvDCARrdXgLAAEEAAAAAAQAAAAA7RZc8lTK0GqG2VfKK6Xz"
        "weq9NwkZI25QSwcIZEAiSxcAAAALAAAAUEsBAh4DCgAJAAAAYEx3XWRAIksXAAAACwAAAAUAGAAAAAAAAQAAAKSBAAAAAGEudHh0VVQF"
        "AAPDCARrdXgLAAEEAAAAAAQAAAAAUEsFBgAAAAABAAEASwAAAGYAAAAAAA==")
    with pytest.raises(InputFileError) as err:
        expand(src("enc.zip", enc))
    assert err.value.kind == "encrypted" and "密码" in str(err.value)


def test_one_encrypted_member_is_an_error_and_the_rest_go_on():
    data = patch_headers(make_zip([("密.docx", b"secret"), ("评分表.pdf", PDF)]), 0, flags_or=0x1)
    leaves, errors = expand(src("m.zip", data))
    assert [leaf.name for leaf in leaves] == ["评分表.pdf"]
    assert [e.kind for e in errors] == ["encrypted"] and "密.docx" in str(errors[0])
    assert errors[0].source_label == "密.docx"


def test_too_many_members_rejects_the_archive():
    data = make_zip([(f"f{i}.txt", b"x") for i in range(12)])
    with pytest.raises(InputFileError) as err:
        expand(src("many.zip", data), Limits(max_members=10))
    assert err.value.kind == "too_large" and "10 个" in str(err.value)


def test_high_ratio_member_is_skipped():
    data = make_zip([("bomb.bin", b"\0" * (2 * MB)), ("ok.pdf", PDF)])
    leaves, errors = expand(src("r.zip", data))
    assert [leaf.name for leaf in leaves] == ["ok.pdf"]
    assert errors[0].kind == "too_large" and "压缩比" in str(errors[0])


def test_member_over_single_limit_is_skipped():
    data = make_zip([("big.bin", os.urandom(MB + 10)), ("ok.pdf", PDF)])
    leaves, errors = expand(src("s.zip", data), Limits(max_member_bytes=MB))
    assert [leaf.name for leaf in leaves] == ["ok.pdf"] and "超过 1 MB" in str(errors[0])


def test_declared_total_over_limit_rejects_the_archive():
    data = make_zip([(f"r{i}.bin", os.urandom(MB)) for i in range(3)], zipfile.ZIP_STORED)
    with pytest.raises(InputFileError) as err:
        expand(src("t.zip", data), Limits(max_total_bytes=2 * MB))
    assert "压缩炸弹" in str(err.value) and "2 MB" in str(err.value)


def test_actual_total_over_limit_counts_bytes_inflated_at_every_level():
    # Each archive declares less than the limit; together they produce more.
    inner = make_zip([("a.bin", os.urandom(MB)), ("b.bin", os.urandom(MB))], zipfile.ZIP_STORED)
    outer = make_zip([("inner.zip", inner)], zipfile.ZIP_STORED)
    with pytest.raises(InputFileError, match="压缩炸弹"):
        expand(src("o.zip", outer), Limits(max_total_bytes=int(5.5 * MB)))


def test_lying_header_never_yields_more_than_declared():
    honest = make_zip([("lie.bin", b"\0" * (3 * MB)), ("ok.pdf", PDF)])
    data = patch_headers(honest, 0, file_size=1000)  # says 1000 bytes, inflates to 3 MB
    leaves, errors = expand(src("lie.zip", data))
    assert [leaf.name for leaf in leaves] == ["ok.pdf"]
    assert errors[0].kind == "corrupt"


def test_nesting_deeper_than_the_limit_is_skipped():
    data = make_zip([("level4.pdf", PDF)])
    for level in (3, 2):
        data = make_zip([(f"z{level + 1}.zip", data), (f"level{level}.pdf", PDF)])
    leaves, errors = expand(src("z1.zip", make_zip([("z2.zip", data)])), Limits(max_depth=3))
    assert sorted(leaf.name for leaf in leaves) == ["level2.pdf", "level3.pdf"]
    assert errors[0].kind == "too_large" and "z2.zip/z3.zip/z4.zip" in str(errors[0])


def test_corrupt_archive_raises_and_corrupt_member_is_reported():
    with pytest.raises(InputFileError) as err:
        expand(src("bad.zip", b"PK\x03\x04" + b"\0" * 100))
    assert err.value.kind == "corrupt" and "压缩包已损坏" in str(err.value)
    good = make_zip([("a.txt", b"hello " * 1000), ("b.pdf", PDF)])
    offset = zipfile.ZipFile(io.BytesIO(good)).infolist()[0].header_offset + 30 + len("a.txt")
    broken = good[:offset + 5] + bytes(b ^ 0xFF for b in good[offset + 5:offset + 20]) + good[offset + 20:]
    leaves, errors = expand(src("half.zip", broken))
    assert [leaf.name for leaf in leaves] == ["b.pdf"] and "a.txt" in str(errors[0])


def test_damaged_docx_is_a_leaf_not_a_broken_archive():
    data = make_zip([("申报表.docx", b"PK\x03\x04 truncated")])
    leaves, errors = expand(src("a.zip", data))
    assert [leaf.name for leaf in leaves] == ["申报表.docx"] and errors == []


def test_non_container_comes_back_as_the_only_leaf():
    source = src("a.pdf", PDF)
    assert expand(source) == ([source], [])


# ---------------------------------------------------------------- email
def b64(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode('gb18030' if charset != 'UTF-8' else 'utf-8')).decode()}?="


def raw_email(attachments: list[tuple[str, str, bytes]], sender="Unit <Unit@Example.CN>",
              date="Thu, 25 Sep 2014 10:12:45 +0800", subject=None, boundary="BB") -> bytes:
    """attachments: (content-type, raw header parameters, payload)."""
    subject = subject or b64("东山街道推荐材料", "GB2312")
    parts = [f"From: {sender}\r\nTo: a@b.cn\r\nDate: {date}\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
             'Content-Type: multipart/mixed; boundary="BB"\r\n\r\n--BB\r\n'
             "Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             f"{base64.b64encode('您好，材料见附件'.encode('gb2312')).decode()}\r\n"]
    body = "".join(parts).encode()
    for ctype, params, payload in attachments:
        body += (f"--BB\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: base64\r\n"
                 f"Content-Disposition: attachment;{params}\r\n\r\n").encode("utf-8", "surrogateescape")
        body += base64.encodebytes(payload).replace(b"\n", b"\r\n") + b"\r\n"
    return (body + b"--BB--\r\n").replace(b"--BB", f"--{boundary}".encode()).replace(
        b'boundary="BB"', f'boundary="{boundary}"'.encode())


def test_eml_names_rfc2047_gb2312_with_gbk_characters_and_rfc2231():
    gbk_only = "林昇喆申报表.docx"  # 昇 and 喆 are not in GB2312; clients label them GB2312 anyway
    rfc2231 = "附件2 评分表（东山街道）.pdf".encode()
    quoted = "".join(f"%{b:02X}" for b in rfc2231)
    gb_2231 = "".join(f"%{b:02X}" for b in "推荐表.doc".encode("gbk"))
    data = raw_email([
        ("application/octet-stream", f'\r\n\tfilename="{b64(gbk_only, "GB2312")}"', b"one"),
        ("application/pdf", f"\r\n\tfilename*0*=UTF-8''{quoted[:39]};\r\n\tfilename*1*={quoted[39:]}", PDF),
        ("application/msword", f"\r\n\tfilename*=gb2312''{gb_2231}", b"three"),
        ("application/octet-stream", ' filename="../../etc/cron.d/evil.docx"', b"four"),
    ])
    leaves, errors = expand(src("m.eml", data))
    assert [leaf.name for leaf in leaves] == [gbk_only, "附件2 评分表（东山街道）.pdf", "推荐表.doc", "evil.docx"]
    assert errors == []
    first = leaves[0]
    assert first.sender == "unit@example.cn" and first.subject == "东山街道推荐材料"
    assert first.sent_at == dt.datetime(2014, 9, 25, 10, 12, 45, tzinfo=CST) and first.sent_at.utcoffset()
    assert first.data == b"one" and first.via == ["m.eml"]


def test_raw_8bit_names_and_split_encoded_words():
    data = raw_email([("application/pdf", ' filename="评分表.pdf"'.encode("gbk").decode("utf-8", "surrogateescape"),
                       PDF)], date="25 Sep 2014 02:12:45 -0000")
    leaves, _ = expand(src("m.eml", data))
    assert leaves[0].name == "评分表.pdf"
    assert leaves[0].sent_at == dt.datetime(2014, 9, 25, 2, 12, 45, tzinfo=dt.timezone.utc)
    # One character's bytes split over two encoded words.
    raw = "申报".encode("gbk")
    words = f"=?GBK?B?{base64.b64encode(raw[:3]).decode()}?=\r\n =?GBK?B?{base64.b64encode(raw[3:]).decode()}?="
    assert decode_header_text(words) == "申报"
    assert decode_header_text("=?utf-8?Q?=E7=94=B3=E6=8A=A5_x?= tail") == "申报 x tail"


def test_zip_and_forwarded_email_attached_to_an_email():
    zipped = make_zip([("申报表.docx", b"form")])
    forwarded = raw_email([("application/pdf", ' filename="inner.pdf"', PDF)], sender="sub@example.cn",
                          date="Wed, 24 Sep 2014 09:00:00 +0800", subject="inner subject", boundary="INNER")
    data = raw_email([("application/zip", ' filename="材料.zip"', zipped)])
    # message/rfc822 parts are not base64-encoded: append one by hand.
    data = data.replace(b"--BB--\r\n", b"--BB\r\nContent-Type: message/rfc822\r\n"
                        b'Content-Disposition: attachment; filename="fwd.eml"\r\n\r\n' + forwarded + b"\r\n--BB--\r\n")
    leaves, errors = expand(src("outer.eml", data))
    assert errors == []
    by_name = {leaf.name: leaf for leaf in leaves}
    assert by_name["申报表.docx"].via == ["outer.eml", "材料.zip"]
    assert by_name["申报表.docx"].sender == "unit@example.cn"
    assert by_name["inner.pdf"].via == ["outer.eml", "fwd.eml"]
    assert by_name["inner.pdf"].sender == "sub@example.cn" and by_name["inner.pdf"].subject == "inner subject"


def test_mbox_with_two_messages():
    first = raw_email([("application/pdf", ' filename="a.pdf"', PDF)], sender="a@example.cn")
    second = raw_email([("application/pdf", ' filename="b.pdf"', PDF)], sender="B@Example.cn",
                       date="Fri, 26 Sep 2014 08:00:00 +0800")
    mbox = (b"From a@example.cn Thu Sep 25 10:12:45 2014\n" + first.replace(b"\r\n", b"\n") + b"\n"
            b"From b@example.cn Fri Sep 26 08:00:00 2014\n" + second.replace(b"\r\n", b"\n") + b"\n")
    leaves, errors = expand(src("export.mbox", mbox))
    assert errors == []
    assert [(leaf.name, leaf.sender, leaf.source_label) for leaf in leaves] == [
        ("a.pdf", "a@example.cn", "第1封邮件/a.pdf"), ("b.pdf", "b@example.cn", "第2封邮件/b.pdf")]
    assert leaves[1].sent_at.day == 26 and leaves[0].data == PDF


def foxmail_message(docx: bytes, pdf: bytes) -> bytes:
    """东山街道's mail as Foxmail 7 sends it (the layout of the shared corpus's 勤廉标兵推荐材料.eml):
    GB2312 headers, a text + html alternative, the .docx named in RFC 2047, the .pdf in RFC 2231
    continuations (name*0*/name*1*)."""
    def b64lines(data: bytes) -> str:
        return base64.encodebytes(data).decode().replace("\n", "\r\n")

    pdf_name = "".join(f"%{b:02X}" for b in "附件2 评分表（东山街道）.pdf".encode())

    def pdf_param(key: str) -> str:
        return f"\r\n\t{key}*0*=UTF-8''{pdf_name[:42]};\r\n\t{key}*1*={pdf_name[42:]}"

    docx_name = b64("东山街道勤廉标兵申报表.docx", "GB2312")
    mixed, alt = "----=_NextPart_000_0001_01CFD8A1.2B3C4D50", "----=_NextPart_alt_001"
    text = "市效能办：\n    您好！现将东山街道推荐材料发送给您，请查收。\n东山街道办事处\n".encode("gb2312")
    return (
        "Received: from mail.example.cn (unknown [10.1.1.21]) by mx.example.cn with SMTP; "
        "Thu, 25 Sep 2014 10:12:45 +0800\r\n"
        "Date: Thu, 25 Sep 2014 10:12:45 +0800\r\n"
        f"From: {b64('东山街道办事处', 'GB2312')} <dongshan@example.cn>\r\n"
        f'To: "{b64("市效能办", "GB2312")}" <xiaoneng@example.cn>\r\n'
        f"Subject: {b64('东山街道勤廉标兵推荐材料', 'GB2312')}\r\n"
        "X-Mailer: Foxmail 7, 2, 5, 140[cn]\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed;\r\n\tboundary="{mixed}"\r\n\r\n'
        "This is a multi-part message in MIME format.\r\n\r\n"
        f'--{mixed}\r\nContent-Type: multipart/alternative;\r\n\tboundary="{alt}"\r\n\r\n'
        f'--{alt}\r\nContent-Type: text/plain;\r\n\tcharset="GB2312"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        f"{b64lines(text)}\r\n"
        f'--{alt}\r\nContent-Type: text/html;\r\n\tcharset="GB2312"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        f"{b64lines(b'<html><body>' + text + b'</body></html>')}\r\n--{alt}--\r\n\r\n"
        f"--{mixed}\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;"
        f'\r\n\tname="{docx_name}"\r\nContent-Transfer-Encoding: base64\r\n'
        f'Content-Disposition: attachment;\r\n\tfilename="{docx_name}"\r\n\r\n{b64lines(docx)}\r\n'
        f"--{mixed}\r\nContent-Type: application/pdf;{pdf_param('name')}\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment;{pdf_param('filename')}\r\n\r\n"
        f"{b64lines(pdf)}\r\n--{mixed}--\r\n"
    ).encode("ascii")


def test_foxmail_email_from_a_unit():
    docx, pdf = returned(DONGSHAN_APP), returned(TAX_PDF)
    data = foxmail_message(docx, pdf)
    leaves, errors = expand(SourceFile(name="东山街道-勤廉标兵推荐材料.eml", data=data, path="/in/东山街道-勤廉标兵推荐材料.eml"))
    assert errors == []
    assert [leaf.name for leaf in leaves] == ["东山街道勤廉标兵申报表.docx", "附件2 评分表（东山街道）.pdf"]
    assert {leaf.sender for leaf in leaves} == {"dongshan@example.cn"}
    assert {leaf.sent_at for leaf in leaves} == {dt.datetime(2014, 9, 25, 10, 12, 45, tzinfo=CST)}
    assert (leaves[0].data, leaves[1].data) == (docx, pdf)  # the html alternative is no attachment
    assert leaves[0].subject == "东山街道勤廉标兵推荐材料" and leaves[0].path == "/in/东山街道-勤廉标兵推荐材料.eml"


# ---------------------------------------------------------------- Outlook .msg
def _filetime(when: dt.datetime) -> int:
    return int((when - dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)).total_seconds() * 10_000_000)


def _add_msg(writer, prefix: list[str], subject: str, sender: str, sent: dt.datetime, attachments: list,
             top: bool = True) -> None:
    """The MAPI streams extract_msg reads: class, subject, sender, submit time, attachments
    (``(name, bytes)`` by value or ``(subject, sender, sent, attachments)`` embedded)."""
    def props(entries, header):
        return header + b"".join(struct.pack("<II", tag, 6) + value for tag, value in entries)

    def u16(text):
        return text.encode("utf-16-le")

    writer.addEntry(prefix + ["__substg1.0_001A001F"], u16("IPM.Note"))
    writer.addEntry(prefix + ["__substg1.0_0037001F"], u16(subject))
    writer.addEntry(prefix + ["__substg1.0_5D01001F"], u16(sender))
    count = struct.pack("<IIII", 0, len(attachments), 0, len(attachments))
    writer.addEntry(prefix + ["__properties_version1.0"], props(
        [(0x00390040, struct.pack("<Q", _filetime(sent))), (0x0E070003, struct.pack("<II", 1, 0))],
        b"\0" * 8 + count + (b"\0" * 8 if top else b"")))
    for i, att in enumerate(attachments):
        path = prefix + [f"__attach_version1.0_#{i:08X}"]
        writer.addEntry(path, storage=True)
        method = 1 if len(att) == 2 else 5  # ATTACH_BY_VALUE / ATTACH_EMBEDDED_MSG
        writer.addEntry(path + ["__properties_version1.0"], props([(0x37050003, struct.pack("<II", method, 0))],
                                                                  b"\0" * 8))
        if method == 1:
            writer.addEntry(path + ["__substg1.0_3707001F"], u16(att[0]))
            writer.addEntry(path + ["__substg1.0_37010102"], att[1])
        else:
            writer.addEntry(path + ["__substg1.0_3701000D"], storage=True)
            _add_msg(writer, path + ["__substg1.0_3701000D"], *att, top=False)
    if top:
        for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
            writer.addEntry(prefix + ["__nameid_version1.0", stream], b"")


def test_outlook_msg_with_embedded_msg_and_zip():
    from extract_msg.ole_writer import OleWriter

    sent = dt.datetime(2014, 9, 25, 2, 12, 45, tzinfo=dt.timezone.utc)
    writer = OleWriter()
    _add_msg(writer, [], "东山街道勤廉标兵推荐材料", "DongShan@Example.cn", sent, [
        ("东山街道勤廉标兵申报表.docx", b"form bytes"),
        ("材料.zip", make_zip([("评分表.pdf", PDF)])),
        ("转发：岗位推荐", "post@example.cn", sent, [("../岗位推荐表.pdf", PDF)]),
    ])
    buf = io.BytesIO()
    writer.write(buf)
    leaves, errors = expand(src("东山.msg", buf.getvalue()))
    assert errors == []
    assert [(leaf.source_label, leaf.sender) for leaf in leaves] == [
        ("东山街道勤廉标兵申报表.docx", "dongshan@example.cn"),
        ("材料.zip/评分表.pdf", "dongshan@example.cn"),
        ("转发：岗位推荐.msg/岗位推荐表.pdf", "post@example.cn"),
    ]
    assert leaves[0].sent_at == sent and leaves[0].subject == "东山街道勤廉标兵推荐材料"
    assert leaves[0].data == b"form bytes"


def test_msg_without_its_property_streams_raises():
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    writer.addEntry(["__substg1.0_0037001F"], "主题".encode("utf-16-le"))
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(InputFileError) as err:
        expand(src("bad.msg", buf.getvalue()))
    assert err.value.kind == "corrupt" and "Outlook 邮件已损坏" in str(err.value)


def test_inline_body_pictures_are_not_attachments():
    data = raw_email([("application/pdf", ' filename="a.pdf"', PDF)])
    logo = (b"--BB\r\nContent-Type: image/png; name=\"image001.png\"\r\nContent-ID: <image001@01D>\r\n"
            b"Content-Disposition: inline; filename=\"image001.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.b64encode(b"\x89PNG\r\n\x1a\n") + b"\r\n--BB--\r\n")
    leaves, _ = expand(src("m.eml", data.replace(b"--BB--\r\n", logo)))
    assert [leaf.name for leaf in leaves] == ["a.pdf"]


def test_base64_encoded_forwarded_email_is_still_opened():
    forwarded = raw_email([("application/pdf", ' filename="inner.pdf"', PDF)], sender="sub@example.cn",
                          boundary="INNER")
    data = raw_email([("message/rfc822", ' filename="fwd.eml"', forwarded)])
    leaves, errors = expand(src("outer.eml", data))
    assert errors == [] and [(leaf.source_label, leaf.sender) for leaf in leaves] == [
        ("fwd.eml/inner.pdf", "sub@example.cn")]

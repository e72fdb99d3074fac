"""Zip archives: GBK member names, nested folders, encrypted members, zip bombs.

Sizes are checked twice: on what the central directory declares (cheap,
before anything is inflated) and on the bytes actually inflated, read in
chunks so a lying header never makes us hold more than the limit.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from formgen.errors import InputFileError
from formgen.intake.containers import MB, LimitExceeded, Walk
from formgen.intake.containers.names import path_components, zip_member_name
from formgen.intake.result import SourceFile

_CHUNK = 1 * MB
_AES = 99  # WinZip AES: compression method 99, also an encrypted member
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db"}


def _is_junk(parts: list[str], raw_parts: list[str]) -> bool:
    """Folders, macOS resource forks, Explorer caches and Office lock files."""
    if not parts or any(p.lower() == "__macosx" for p in raw_parts):
        return True
    base = raw_parts[-1] if raw_parts else parts[-1]
    return base.lower() in _JUNK_NAMES or base.startswith(("~$", "._"))


def _is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & 0x1) or info.compress_type == _AES


def unflag_bad_utf8_names(data: bytes) -> bytes:
    """``data`` with the UTF-8 flag (bit 11) cleared on members whose name bytes are not UTF-8.

    zipfile refuses the whole archive over one such name; unflagged, the name is
    decoded like any legacy name (GB18030 …) by :func:`zip_member_name`. Both the
    central directory entry and the member's local header are changed, as zipfile
    checks that they agree. Unchanged when the central directory cannot be walked.
    """
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(data):
        return data
    cd_size, cd_offset = struct.unpack_from("<II", data, end + 12)
    start = end - cd_size
    base = start - cd_offset  # bytes prepended to the archive (self-extractors)
    out = bytearray(data)
    pos = start
    while 0 <= pos and pos + 46 <= end and data[pos:pos + 4] == b"PK\x01\x02":
        flags, = struct.unpack_from("<H", data, pos + 8)
        n_name, n_extra, n_comment = struct.unpack_from("<HHH", data, pos + 28)
        local, = struct.unpack_from("<I", data, pos + 42)
        name = data[pos + 46:pos + 46 + n_name]
        if flags & 0x800:
            try:
                name.decode("utf-8")
            except UnicodeDecodeError:
                struct.pack_into("<H", out, pos + 8, flags & ~0x800)
                at = base + local
                if 0 <= at and at + 30 <= len(data) and data[at:at + 4] == b"PK\x03\x04":
                    local_flags, = struct.unpack_from("<H", data, at + 6)
                    struct.pack_into("<H", out, at + 6, local_flags & ~0x800)
        pos += 46 + n_name + n_extra + n_comment
    return bytes(out)


def open_zip(src: SourceFile, depth: int, walk: Walk) -> None:
    limits = walk.limits
    archive = walk.named(src, "压缩包")
    try:
        try:
            zf = zipfile.ZipFile(io.BytesIO(src.data))
        except UnicodeDecodeError:  # a member flagged UTF-8 whose name is not: unflag it, keep the rest
            zf = zipfile.ZipFile(io.BytesIO(unflag_bad_utf8_names(src.data)))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise walk.error(f"{archive}已损坏，无法打开；请让报送单位重新打包发送") from None
    if len(infos) > limits.max_members:
        raise LimitExceeded(f"{archive}包含 {len(infos)} 个文件，超过 {limits.max_members} 个的上限，已拒收；"
                            "请让报送单位只发送表格文件")

    members = []
    for info in infos:
        if info.is_dir():
            continue
        name = zip_member_name(info)
        raw_parts = [p for p in name.replace("\\", "/").split("/") if p]
        parts = path_components(name)
        if not _is_junk(parts, raw_parts):
            members.append((info, parts))
    if sum(info.file_size for info, _ in members) > limits.max_total_bytes:
        raise LimitExceeded(f"{archive}解压后超过 {limits.max_total_bytes // MB} MB，疑似压缩炸弹，已拒收；"
                            "请让报送单位直接发送表格文件")
    if members and all(_is_encrypted(info) for info, _ in members):
        raise walk.error(f"{archive}设有密码，无法解压；请让报送单位去掉密码后重新发送", "encrypted")

    with zf:
        for info, parts in members:
            member = walk.child(src, parts[-1], b"", folder="/".join(parts[:-1]))
            data = _read_member(zf, info, member, len(src.data), walk)
            if data is not None:
                member.data = data
                walk.add(member, depth)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: SourceFile, archive_size: int,
                 walk: Walk) -> bytes | None:
    """The member's bytes, or None after recording why it cannot be had."""
    limits = walk.limits
    label = walk.label(member)
    if _is_encrypted(info):
        walk.member_error(f"压缩包中的“{label}”设有密码，无法解压；请让报送单位去掉密码后重新发送", "encrypted", member)
        return None
    too_big = (f"压缩包中的“{label}”解压后超过 {limits.max_member_bytes // MB} MB，已跳过；"
               "请让报送单位单独发送该文件")
    bomb = (f"压缩包中的“{label}”压缩比超过 {limits.max_ratio:g}:1，疑似压缩炸弹，已跳过；"
            "请让报送单位直接发送该文件")
    # The compressed bytes cannot exceed the archive, whatever the header says.
    packed = max(1, min(info.compress_size, archive_size))

    def ratio_broken(size: int) -> bool:
        return size > limits.ratio_floor_bytes and size > limits.max_ratio * packed

    if info.file_size > limits.max_member_bytes:
        walk.member_error(too_big, "too_large", member)
        return None
    if ratio_broken(info.file_size):
        walk.member_error(bomb, "too_large", member)
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                walk.count_bytes(len(chunk))
                if size > limits.max_member_bytes:
                    walk.member_error(too_big, "too_large", member)
                    return None
                if ratio_broken(size):
                    walk.member_error(bomb, "too_large", member)
                    return None
                chunks.append(chunk)
    except NotImplementedError:
        walk.member_error(f"压缩包中的“{label}”使用了不支持的压缩方式，无法解压；"
                          "请让报送单位用标准 ZIP 格式重新打包", "unsupported", member)
        return None
    except LimitExceeded:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, InputFileError):
        walk.member_error(f"压缩包中的“{label}”已损坏，无法解压；请让报送单位重新打包发送", "corrupt", member)
        return None
    return b"".join(chunks)

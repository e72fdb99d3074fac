"""Files that carry forms without being forms: zip archives and email.

``expand(source)`` opens a zip / .eml / .msg / .mbox and returns the files
inside as :class:`SourceFile` leaves, opening containers found inside
containers (a zip attached to an email, an email forwarded as attachment, a
zip in a zip). Every leaf keeps where it came from:

* ``via``: the chain of names, outermost first, starting with the file given
  (``["东山街道.eml", "材料.zip"]``). A folder inside a zip is one element of
  its own (``["材料.zip", "东山街道/推荐材料"]``), so ``SourceFile.source_label``
  reads as the member's full path in the archive while ``name`` stays a bare
  file name. A message inside an mbox is named ``第N封邮件``.
* ``path``: the outer file on disk, unchanged.
* ``sender`` / ``sent_at`` / ``subject``: of the email that carried the leaf
  most directly (for an email forwarded as attachment: the forwarded one, i.e.
  the unit that wrote it). Members of a zip inherit them from the zip's email.

Limits (``Limits``) guard against zip bombs and deep nesting; they are checked
on declared sizes and again on the bytes actually produced. A member that
cannot be read becomes an ``InputFileError`` in the returned list and the rest
go on; a container unreadable as a whole, or one that breaks a limit for the
whole expansion (total size, member count), raises ``InputFileError``.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace

from formgen.errors import InputFileError
from formgen.intake.limits import MAX_BYTES, MB
from formgen.intake.result import SourceFile
from formgen.intake.sniff import sniff


@dataclass(frozen=True)
class Limits:
    max_members: int = 1000  # files + nested containers over one expansion
    max_total_bytes: int = 200 * MB  # everything unpacked over one expansion
    max_member_bytes: int = MAX_BYTES  # one member
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_floor_bytes
    ratio_floor_bytes: int = 1 * MB
    max_depth: int = 4  # container levels, the given file included (eml → eml → zip → zip)


DEFAULT_LIMITS = Limits()

CONTAINER_KINDS = ("zip", "eml", "msg", "mbox")


class LimitExceeded(Exception):
    """A limit for the whole expansion was broken: the outer file is rejected."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Walk:
    """The state of one ``expand()``: limits, running totals, leaves and errors."""

    def __init__(self, outer: SourceFile, limits: Limits):
        self.outer = outer
        self.outer_path = outer.path or outer.name
        self.limits = limits
        self.total_bytes = 0
        self.count = 0
        self.leaves: list[SourceFile] = []
        self.errors: list[InputFileError] = []

    # --- naming -----------------------------------------------------------
    def label(self, src: SourceFile) -> str:
        """How a message names ``src``: its path below the outer file."""
        return src.source_label if src.via else src.name

    def named(self, src: SourceFile, noun: str) -> str:
        """``压缩包`` for the outer file itself, ``压缩包“a/b.zip”`` for one inside it."""
        return noun if src is self.outer else f"{noun}“{self.label(src)}”"

    def error(self, message: str, kind: str = "corrupt") -> InputFileError:
        return InputFileError(self.outer_path, message, kind)

    def member_error(self, message: str, kind: str = "corrupt", member: SourceFile | None = None) -> None:
        """A member that could not be read; ``source_label`` on the error names it."""
        err = self.error(message, kind)
        err.source_label = self.label(member) if member is not None else None
        self.errors.append(err)

    # --- limits -----------------------------------------------------------
    def count_bytes(self, n: int) -> None:
        self.total_bytes += n
        if self.total_bytes > self.limits.max_total_bytes:
            raise LimitExceeded(
                f"解压后超过 {self.limits.max_total_bytes // MB} MB，疑似压缩炸弹，已拒收；"
                "请让报送单位直接发送表格文件"
            )

    def count_member(self) -> None:
        self.count += 1
        if self.count > self.limits.max_members:
            raise LimitExceeded(
                f"包含的文件超过 {self.limits.max_members} 个，已拒收；请让报送单位只发送表格文件"
            )

    # --- the tree ---------------------------------------------------------
    def child(self, parent: SourceFile, name: str, data: bytes, folder: str = "", **meta) -> SourceFile:
        """A file found inside ``parent``; email metadata in ``meta`` overrides the parent's."""
        via = [*parent.via, parent.name] + ([folder] if folder else [])
        base = replace(parent, name=name, data=data, via=via)
        return replace(base, **meta) if meta else base

    def add(self, leaf: SourceFile, depth: int) -> None:
        """Keep ``leaf`` (found at container level ``depth``), or open it if it is a container."""
        self.count_member()
        kind = container_kind(leaf.data, leaf.name)
        if kind is None:
            self.leaves.append(leaf)
            return
        if depth + 1 > self.limits.max_depth:
            self.member_error(
                f"“{self.label(leaf)}”是第 {depth + 1} 层嵌套的压缩包或邮件，超过 {self.limits.max_depth} 层，"
                "已跳过；请让报送单位解开后重新发送",
                "too_large",
                leaf,
            )
            return
        try:
            open_container(kind, leaf, depth + 1, self)
        except InputFileError as err:  # a nested container unreadable as a whole
            err.source_label = self.label(leaf)
            self.errors.append(err)
        except LimitExceeded:
            raise
        except Exception:  # a parser tripping over hostile bytes: this container only
            self.member_error(f"“{self.label(leaf)}”已损坏，无法打开；请让报送单位重新发送", "corrupt", leaf)


# A damaged Office file is a damaged zip too; its reader explains it better than "压缩包已损坏".
_ZIPPED_DOCUMENTS = (".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp", ".wps", ".et")


def container_kind(data: bytes, name: str) -> str | None:
    """"zip" / "eml" / "msg" / "mbox" when ``data`` is a container, else None."""
    kind = sniff(data, name)
    if kind == "zip" and name.lower().endswith(_ZIPPED_DOCUMENTS) and not _opens_as_zip(data):
        return None
    return kind if kind in CONTAINER_KINDS else None


def _opens_as_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)):
            return True
    except Exception:  # BadZipFile, OSError, ValueError … all mean "no"
        return False


def open_container(kind: str, src: SourceFile, depth: int, walk: Walk) -> None:
    from formgen.intake.containers import email_message, outlook_msg, zip_archive

    opener = {
        "zip": zip_archive.open_zip,
        "eml": email_message.open_eml,
        "mbox": email_message.open_mbox,
        "msg": outlook_msg.open_msg,
    }[kind]
    opener(src, depth, walk)


def expand(source: SourceFile, limits: Limits = DEFAULT_LIMITS) -> tuple[list[SourceFile], list[InputFileError]]:
    """The files carried by ``source`` (zip / eml / msg / mbox), recursively.

    A ``source`` that is no container comes back as the only leaf. Raises
    ``InputFileError`` when the container cannot be read at all or breaks a
    limit for the whole expansion.
    """
    kind = container_kind(source.data, source.name)
    if kind is None:
        if sniff(source.data, source.name) == "zip":  # a damaged .docx/.xlsx: not ours to open
            raise InputFileError(source.path or source.name, "文件已损坏（不是完整的 Office 文件），无法打开；"
                                 "请让报送单位重新发送", "corrupt")
        return [source], []
    walk = Walk(source, limits)
    try:
        walk.count_bytes(len(source.data))
        open_container(kind, source, 1, walk)
    except LimitExceeded as exceeded:
        raise walk.error(exceeded.message, "too_large") from None
    except InputFileError:
        raise
    except Exception:  # a parser tripping over hostile bytes: never a traceback for the user
        noun = {"zip": "压缩包", "eml": "邮件", "msg": "Outlook 邮件", "mbox": "邮箱导出文件"}[kind]
        raise walk.error(f"{noun}已损坏，无法读取；请让报送单位重新发送") from None
    return walk.leaves, walk.errors


"""A small IMAP client over :mod:`imaplib`: what fetching returned forms needs, nothing more.

* SSL, STARTTLS or plain; certificates checked (optionally against the
  office's own CA file).
* After login it sends IMAP ID when the server advertises it: 163/126 refuse
  SELECT from a client that has not said who it is ("Unsafe Login").
* Folder names go out and come back in modified UTF-7 (``formgen.mail.utf7``).
* Only ``BODY.PEEK``: fetching never sets \\Seen by itself; marking is a
  separate, explicit STORE.
"""
from __future__ import annotations

import imaplib
import re
import socket
import ssl
from dataclasses import dataclass
from datetime import date, datetime

from formgen.campaign.mail import MailServer
from formgen.mail import utf7
from formgen.mail.errors import MailError, auth_failed, describe, lost

HEADER_FIELDS = "FROM SENDER SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_IDATE = re.compile(rb'\bINTERNALDATE "([^"]+)"')
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")
CLIENT_ID = '("name" "formgen" "version" "0.1" "vendor" "formgen")'


def imap_date(day: date) -> str:
    """``20-Sep-2014`` whatever the machine's locale (SEARCH SINCE wants English month names)."""
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tls_context(server: MailServer) -> ssl.SSLContext:
    """The system's trusted certificates, or the office's own CA file (``ca_file``)."""
    if not server.ca_file:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=server.ca_file)
    except (OSError, ssl.SSLError) as e:
        raise MailError(f"根证书文件“{server.ca_file}”无法读取（{getattr(e, 'strerror', None) or e}）；"
                        "请检查 campaign.yaml 中 ca_file 的路径，应为信息中心提供的 .pem / .crt 文件", "certificate") from None


@dataclass
class Envelope:
    """One message as the header fetch sees it."""

    uid: int
    size: int
    internal_date: datetime | None
    flags: list[str]
    header: bytes


@dataclass
class Body:
    uid: int
    data: bytes
    internal_date: datetime | None


def _parse_items(data: list) -> list[tuple[bytes, bytes]]:
    """(attribute text, literal bytes) per message of a FETCH response."""
    out: list[tuple[bytes, bytes]] = []
    for item in data:
        if isinstance(item, tuple):
            out.append((item[0], item[1] or b""))
        elif isinstance(item, bytes) and out and item.strip() != b")":
            meta, literal = out[-1]
            out[-1] = (meta + b" " + item, literal)  # attributes the server put after the literal
        elif isinstance(item, bytes) and item.strip() != b")":
            out.append((item, b""))
    return out


def _idate(meta: bytes) -> datetime | None:
    m = _IDATE.search(meta)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


class Mailbox:
    """One logged-in IMAP session on one folder."""

    def __init__(self, server: MailServer, user: str, password: str, timeout: float = 30.0):
        self.server, self.user = server, user
        self.port = server.port or (993 if server.security == "ssl" else 143)
        self.sent_id = False
        try:
            if server.security == "ssl":
                self.conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(server.host, self.port, ssl_context=tls_context(server),
                                                            timeout=timeout)
            else:
                self.conn = imaplib.IMAP4(server.host, self.port, timeout=timeout)
                if server.security == "starttls":
                    if "STARTTLS" not in self.conn.capabilities:
                        raise MailError(f"收信服务器 {server.host}:{self.port} 不支持 STARTTLS；请把 mail.imap.security 改为 ssl"
                                        "（端口 993），或向管理员确认", "tls")
                    self.conn.starttls(ssl_context=tls_context(server))
        except (OSError, imaplib.IMAP4.error, ssl.SSLError) as e:
            raise self._describe(e) from None
        self._login(password)

    def _describe(self, e: BaseException) -> MailError:
        if isinstance(e, imaplib.IMAP4.abort) or isinstance(e, (ConnectionResetError, BrokenPipeError, EOFError)):
            return lost("收信", e)
        return describe(e, "收信", self.server.host, self.port, "mail.imap", self.server.security)

    def _login(self, password: str) -> None:
        try:
            try:
                if password.isascii():
                    self.conn.login(self.user, password)
                else:  # LOGIN cannot carry non-ASCII; AUTHENTICATE PLAIN can (UTF-8)
                    payload = f"\0{self.user}\0{password}".encode("utf-8")
                    self.conn.authenticate("PLAIN", lambda _challenge: payload)
            except imaplib.IMAP4.abort:
                raise
            except imaplib.IMAP4.error as e:
                raise auth_failed("收信", self.user, str(e).removeprefix("b'").removesuffix("'")) from None
            caps = set(self.conn.capabilities)
            typ, data = self.conn.capability()
            if typ == "OK" and data and data[0]:
                caps |= set(data[0].decode("ascii", "replace").upper().split())
            self.capabilities = caps
            if "ID" in caps:  # 163/126: SELECT fails with "Unsafe Login" until the client says who it is
                self.conn.xatom("ID", CLIENT_ID)
                self.sent_id = True
        except MailError:
            self.close()
            raise
        except (OSError, imaplib.IMAP4.error) as e:
            self.close()
            raise self._describe(e) from None

    # ---- folders ----------------------------------------------------------------------------
    def folders(self) -> list[str]:
        """Every folder's name as people read it (收件箱, 已发送 …)."""
        typ, data = self._call(self.conn.list)
        out: list[str] = []
        for line in data or []:
            if isinstance(line, tuple):
                line = line[0] + b" " + line[1]
            if not isinstance(line, bytes):
                continue
            m = re.match(rb'\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)$', line)
            if not m:
                continue
            name = m.group("name").decode("utf-8", "replace").strip()
            if name.startswith('"') and name.endswith('"'):
                name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            out.append(utf7.decode(name))
        return out

    def select(self, folder: str) -> int:
        """Open ``folder`` read-write; returns its UIDVALIDITY."""
        typ, data = self._call(self.conn.select, quote(utf7.encode(folder)))
        if typ != "OK":
            reply = (data[0] or b"").decode("utf-8", "replace") if data else ""
            hint = "；网易邮箱提示 Unsafe Login 时请在网页版“设置→POP3/SMTP/IMAP”中开启 IMAP 服务" \
                if "unsafe" in reply.lower() else ""
            raise MailError(f"无法打开邮箱文件夹“{folder}”（服务器答复：{reply}）；请检查 mail.folder，"
                            f"收件箱写 INBOX，其他文件夹写网页版邮箱中显示的名称{hint}", "folder")
        _, vals = self.conn.response("UIDVALIDITY")
        try:
            self.uidvalidity = int(vals[0])
        except (TypeError, ValueError, IndexError):
            self.uidvalidity = 0
        _, perm = self.conn.response("PERMANENTFLAGS")
        self.permanent_flags = (perm[0] or b"").decode("ascii", "replace") if perm and perm[0] else ""
        return self.uidvalidity

    @property
    def keywords_allowed(self) -> bool:
        return "\\*" in self.permanent_flags

    # ---- messages ---------------------------------------------------------------------------
    def search_since(self, day: date | None) -> list[int]:
        args = ("SINCE", imap_date(day)) if day else ("ALL",)
        typ, data = self._call(self.conn.uid, "SEARCH", *args)
        if typ != "OK":
            raise MailError(f"收信服务器拒绝了邮件查询（{data}）；请稍后重试", "protocol")
        return sorted(int(x) for x in b" ".join(d for d in data if d).split())

    def envelopes(self, uids: list[int]) -> list[Envelope]:
        """Size, arrival time, flags and the headers filtering needs, for ``uids``."""
        out: list[Envelope] = []
        for chunk in _chunks(uids, 200):
            typ, data = self._call(self.conn.uid, "FETCH", _uidset(chunk),
                                   f"(UID RFC822.SIZE INTERNALDATE FLAGS BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])")
            if typ != "OK":
                raise MailError(f"收信服务器拒绝读取邮件头（{data}）；请稍后重试", "protocol")
            for meta, literal in _parse_items(data):
                uid = _UID.search(meta)
                if not uid:
                    continue
                size = _SIZE.search(meta)
                flags = _FLAGS.search(meta)
                out.append(Envelope(int(uid.group(1)), int(size.group(1)) if size else len(literal), _idate(meta),
                                    flags.group(1).decode("ascii", "replace").split() if flags else [], literal))
        return out

    def bodies(self, uids: list[int]) -> list[Body]:
        """The whole raw messages (BODY.PEEK[]: reading does not set \\Seen)."""
        typ, data = self._call(self.conn.uid, "FETCH", _uidset(uids), "(UID INTERNALDATE BODY.PEEK[])")
        if typ != "OK":
            raise MailError(f"收信服务器拒绝读取邮件（{data}）；请稍后重试", "protocol")
        out = []
        for meta, literal in _parse_items(data):
            uid = _UID.search(meta)
            if uid:
                out.append(Body(int(uid.group(1)), literal, _idate(meta)))
        return out

    def add_flag(self, uids: list[int], flag: str) -> None:
        for chunk in _chunks(uids, 500):
            self._call(self.conn.uid, "STORE", _uidset(chunk), "+FLAGS.SILENT", f"({flag})")

    def move(self, uids: list[int], folder: str) -> None:
        target = quote(utf7.encode(folder))
        if "MOVE" in self.capabilities:
            typ, data = self._call(self.conn.uid, "MOVE", _uidset(uids), target)
        else:
            typ, data = self._call(self.conn.uid, "COPY", _uidset(uids), target)
            if typ == "OK":
                self.delete(uids)
        if typ != "OK":
            raise MailError(f"无法把已收取的邮件移入“{folder}”（{data}）；请先在邮箱中建好该文件夹，或把 mail.after_fetch 改为 keep",
                            "folder")

    def delete(self, uids: list[int]) -> None:
        self.add_flag(uids, "\\Deleted")
        if "UIDPLUS" in self.capabilities:
            self._call(self.conn.uid, "EXPUNGE", _uidset(uids))
        else:
            self._call(self.conn.expunge)

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except (OSError, imaplib.IMAP4.abort, EOFError, ssl.SSLError) as e:
            raise self._describe(e) from None
        except imaplib.IMAP4.error as e:
            raise MailError(f"收信服务器报告错误（{e}）；请稍后重试", "protocol") from None

    def close(self) -> None:
        try:
            self.conn.logout()
        except (OSError, imaplib.IMAP4.error, EOFError, ssl.SSLError, socket.timeout):
            try:
                self.conn.shutdown()
            except Exception:  # already gone: nothing left to close
                pass

    def __enter__(self) -> "Mailbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _chunks(items: list[int], n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _uidset(uids: list[int]) -> str:
    """``1:5,7,9:10`` — contiguous runs collapsed, so thousands of UIDs fit on one command line."""
    parts: list[str] = []
    uids = sorted(set(uids))
    i = 0
    while i < len(uids):
        j = i
        while j + 1 < len(uids) and uids[j + 1] == uids[j] + 1:
            j += 1
        parts.append(str(uids[i]) if i == j else f"{uids[i]}:{uids[j]}")
        i = j + 1
    return ",".join(parts)

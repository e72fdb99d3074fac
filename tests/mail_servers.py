"""Mail for the tests and the mail bench: the local servers (``formgen.mail.local``), a line
that breaks, and messages as Chinese mail clients write them.

``CutProxy`` forwards TCP to a server and drops the connection after N bytes
from the server: a line that breaks in the middle of a fetch.
"""
from __future__ import annotations

import socket
import threading
import time
from email.message import EmailMessage

from formgen.mail.local import (DOVECOT, PASSWORD, USER, Dovecot, Smtp, dovecot_missing, free_port,  # noqa: F401
                                make_cert)


class CutProxy:
    """TCP forwarder to 127.0.0.1:``target`` that cuts every connection after ``limit`` server bytes."""

    def __init__(self, target: int, limit: int):
        self.target, self.limit = target, limit
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, self.limit), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self._stop = True
        self.sock.close()


# ---- messages --------------------------------------------------------------------------------

def message(sender: str, subject: str, attachments: list[tuple[str, bytes]] = (), *, to: str = USER,
            date: str = "Mon, 29 Sep 2014 10:30:00 +0800", message_id: str | None = None,
            in_reply_to: str | None = None, body: str = "您好，附件是我单位的推荐材料，请查收。") -> bytes:
    """A message as a Chinese mail client sends it (UTF-8 names, RFC 2231)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = message_id or f"<{time.time_ns()}.{abs(hash(subject)) % 10**8}@unit.example.cn>"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    for name, data in attachments:
        maintype, subtype = _mime(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def plain_message(sender: str, subject: str, message_id: str, body: str = "材料见后续邮件。") -> bytes:
    """A text-only UTF-8 message, built by hand (thousands of them for bulk tests and the bench)."""
    import base64

    word = "=?UTF-8?B?" + base64.b64encode(subject.encode()).decode() + "?="
    return (f"From: {sender}\r\nTo: {USER}\r\nSubject: {word}\r\nDate: Mon, 29 Sep 2014 10:30:00 +0800\r\n"
            f"Message-ID: {message_id}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{base64.b64encode(body.encode()).decode()}\r\n").encode("ascii")


def gbk_message(sender: str, subject: str, name: str, data: bytes, *, date: str = "Tue, 30 Sep 2014 09:00:00 +0800",
                message_id: str = "<gbk-1@foxmail.example.cn>") -> bytes:
    """What old Foxmail / Outlook send: GBK encoded-words in the subject and the file name."""
    import base64

    def word(text: str) -> str:
        return "=?GBK?B?" + base64.b64encode(text.encode("gbk")).decode() + "?="

    body = base64.encodebytes("请查收附件。".encode("gbk")).decode()
    att = base64.encodebytes(data).decode()
    return (f"From: {sender}\r\nTo: {USER}\r\nSubject: {word(subject)}\r\nDate: {date}\r\nMessage-ID: {message_id}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
            "Content-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{body}\r\n--b1\r\nContent-Type: application/octet-stream; name=\"{word(name)}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{word(name)}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{att}\r\n--b1--\r\n").replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode("ascii")


def forwarded(sender: str, subject: str, inner: bytes, *, message_id: str = "<fwd-1@personal.example.cn>") -> bytes:
    """``inner`` forwarded as an attachment (message/rfc822)."""
    import email
    from email import policy

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = USER
    msg["Subject"] = subject
    msg["Date"] = "Wed, 01 Oct 2014 08:00:00 +0800"
    msg["Message-ID"] = message_id
    msg.set_content("转发单位的报送邮件。")
    msg.add_attachment(email.message_from_bytes(inner, policy=policy.default))
    return msg.as_bytes()


def _mime(name: str) -> tuple[str, str]:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"pdf": ("application", "pdf"), "zip": ("application", "zip"), "doc": ("application", "msword"),
            "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
            }.get(ext, ("application", "octet-stream"))

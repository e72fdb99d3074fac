"""Sending over SMTP (:mod:`smtplib`): SSL, STARTTLS or plain, with a rate limit.

A refused recipient is that message's failure, not the session's: the caller
records it and goes on with the next unit.
"""
from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage

from formgen.campaign.mail import MailServer
from formgen.mail.errors import MailError, auth_failed, describe, lost
from formgen.mail.imap import tls_context


class Outbox:
    """One SMTP session; ``send`` waits as long as the rate limit asks."""

    def __init__(self, server: MailServer, user: str | None, password: str | None, per_minute: float = 20.0,
                 timeout: float = 30.0):
        self.server = server
        self.port = server.port or {"ssl": 465, "starttls": 587, "none": 25}[server.security]
        self.interval = 60.0 / per_minute if per_minute and per_minute > 0 else 0.0
        self._last = 0.0
        try:
            if server.security == "ssl":
                self.conn: smtplib.SMTP = smtplib.SMTP_SSL(server.host, self.port, timeout=timeout,
                                                           context=tls_context(server))
            else:
                self.conn = smtplib.SMTP(server.host, self.port, timeout=timeout)
                self.conn.ehlo()
                if server.security == "starttls":
                    if not self.conn.has_extn("starttls"):
                        raise MailError(f"发信服务器 {server.host}:{self.port} 不支持 STARTTLS；请把 mail.smtp.security 改为 ssl"
                                        "（端口 465），或向管理员确认", "tls")
                    self.conn.starttls(context=tls_context(server))
                    self.conn.ehlo()
            if server.login and user and password is not None:
                try:
                    self.conn.login(user, password)
                except smtplib.SMTPAuthenticationError as e:
                    raise auth_failed("发信", user, _reply(e)) from None
                except smtplib.SMTPNotSupportedError:
                    raise MailError(_no_auth(server, self.port), "auth") from None
        except MailError:
            self.close()
            raise
        except smtplib.SMTPServerDisconnected as e:
            raise lost("发信", e) from None
        except (OSError, smtplib.SMTPException, ssl.SSLError) as e:
            raise describe(e, "发信", server.host, self.port, "mail.smtp", server.security) from None

    def send(self, msg: EmailMessage, sender: str, to: list[str]) -> None:
        """Send ``msg``; a refused recipient or sender raises :class:`MailError` for this message only."""
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        try:
            refused = self.conn.send_message(msg, from_addr=sender, to_addrs=to)
        except smtplib.SMTPRecipientsRefused as e:
            detail = "；".join(f"{addr}（{code} {_text(text)}）" for addr, (code, text) in e.recipients.items())
            raise MailError(f"发信服务器拒收收件人 {detail}；请核对单位名单（units.xlsx）中的邮箱", "recipient") from None
        except smtplib.SMTPSenderRefused as e:
            if e.smtp_code == 530 or (not self.server.login and e.smtp_code in (550, 553, 554) and
                                      "auth" in _text(e.smtp_error).lower()):
                raise MailError(f"发信服务器要求先登录才能发信（{e.smtp_code} {_text(e.smtp_error)}）；请删除 mail.smtp 的 "
                                "login: false，并设置邮箱密码（formgen mail password）", "auth") from None
            raise MailError(f"发信服务器拒绝以 {sender} 发信（{e.smtp_code} {_text(e.smtp_error)}）；"
                            "mail.from 一般须与登录账号 mail.user 相同", "sender") from None
        except smtplib.SMTPDataError as e:
            raise MailError(f"发信服务器拒收这封邮件（{e.smtp_code} {_text(e.smtp_error)}）；附件过大或内容被拦截时，"
                            "请减少附件后重试", "data") from None
        except smtplib.SMTPServerDisconnected as e:
            raise lost("发信", e) from None
        except (OSError, smtplib.SMTPException) as e:
            raise describe(e, "发信", self.server.host, self.port, "mail.smtp", self.server.security) from None
        if refused:  # some recipients taken, some not
            detail = "；".join(f"{addr}（{code} {_text(text)}）" for addr, (code, text) in refused.items())
            raise MailError(f"部分收件人被拒收：{detail}；其余收件人已发出。请核对单位名单中的邮箱", "recipient_partial")

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _no_auth(server: MailServer, port: int) -> str:
    """The server offers no AUTH but the settings ask to log in: what that means depends on the line."""
    head = f"发信服务器 {server.host}:{port} 不提供登录（AUTH）"
    relay = "若它是无需登录的单位内部发信中继，请在 mail.smtp 中加上 login: false"
    if server.security == "none":  # many mail providers offer AUTH only once the line is encrypted
        return f"{head}，连接也未加密。{relay}；若它是需要登录的邮箱服务器，多数要求先加密，请把 mail.smtp.security 改为 ssl 或 starttls"
    return f"{head}。{relay}；否则请向邮箱管理员确认发信服务器地址和端口"


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:120]


def _reply(e: smtplib.SMTPResponseException) -> str:
    return f"{e.smtp_code} {_text(e.smtp_error)}"

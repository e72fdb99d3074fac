"""Network failures as one Chinese line that says what to change.

Every exception the IMAP / SMTP libraries and sockets raise while formgen talks
to the mailbox is turned into a :class:`MailError` here, so no command ever
shows a traceback for a wrong port, a wrong password or a dropped line.
"""
from __future__ import annotations

import socket
import ssl

from formgen.errors import FormgenError

AUTH_CODE_HINT = ("QQ邮箱、163/126邮箱须填写“授权码”而不是网页登录密码（在网页版邮箱“设置→账户”中开启 IMAP/SMTP 服务后生成），"
                  "政务邮箱（Coremail）如已开启二次验证也须使用客户端专用密码")


class MailError(FormgenError):
    """A mailbox failure; ``kind`` is a short English tag for tests and the ledger."""

    def __init__(self, message: str, kind: str = "network"):
        super().__init__(message)
        self.kind = kind


class ConnectionLost(MailError):
    """The server went away in the middle of a session."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message, "dropped")
        self.detail = detail


def _reason(e: BaseException) -> str:
    text = getattr(e, "reason", None) or getattr(e, "strerror", None) or str(e) or type(e).__name__
    return " ".join(str(text).split())[:160]


def describe(e: BaseException, role: str, host: str, port: int, key: str, security: str) -> MailError:
    """``e`` raised while connecting to ``host:port``; ``role`` 收信/发信, ``key`` the settings key (mail.imap)."""
    where = f"{role}服务器 {host}:{port}"
    if isinstance(e, MailError):
        return e
    if isinstance(e, ssl.SSLCertVerificationError):
        return MailError(f"{where} 的证书无法验证（{_reason(e)}）；如是单位自建服务器，请向信息中心索取根证书并填写 "
                         f"{key}.ca_file，不要关闭证书检查", "certificate")
    if isinstance(e, ssl.SSLError):
        usual = "993" if role == "收信" else "465"
        return MailError(f"与{where} 建立加密连接失败（{_reason(e)}）；请检查 {key}.security 与端口是否对应"
                         f"（ssl 一般用 {usual}，starttls 用 {'143' if role == '收信' else '587'}）", "tls")
    if isinstance(e, socket.gaierror):
        return MailError(f"找不到{role}服务器“{host}”（域名无法解析）；请检查 {key}.host 和网络连接", "dns")
    if isinstance(e, ConnectionRefusedError):
        return MailError(f"无法连接{where}（连接被拒绝）；请检查 {key}.host 和 {key}.port，或服务器是否已开启 "
                         f"{'IMAP' if role == '收信' else 'SMTP'} 服务", "refused")
    if isinstance(e, (socket.timeout, TimeoutError)):
        return MailError(f"连接{where} 超时；请检查网络、防火墙和 {key}.port", "timeout")
    if isinstance(e, OSError):
        return MailError(f"无法连接{where}（{_reason(e)}）；请检查网络和 {key} 设置", "network")
    return MailError(f"与{where} 通信失败（{_reason(e)}）；请检查 {key} 设置后重试", "protocol")


def auth_failed(role: str, user: str, reply: str) -> MailError:
    reply = " ".join(reply.split())[:120]
    return MailError(f"邮箱 {user} 登录{role}服务器失败（服务器答复：{reply}）；请核对 mail.user 和密码。{AUTH_CODE_HINT}",
                     "auth")


def lost(role: str, detail: BaseException | str, done: int | None = None) -> ConnectionLost:
    got = f"本次已收取的 {done} 封已记入台账，" if done else ""
    detail = _reason(detail) if isinstance(detail, BaseException) else detail
    if role == "发信":
        return ConnectionLost(f"与发信服务器的连接中断（{detail}）；请检查网络后重新运行，已发出的邮件记录在台账中（formgen mail sent）",
                              detail)
    return ConnectionLost(f"与{role}服务器的连接中断（{detail}）；{got}请检查网络后再次运行，将从中断处继续，不会重复收取",
                          detail)

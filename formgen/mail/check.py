"""``formgen mail test``: can formgen log in to the office mailbox, to receive and to send?

Each side gives one line: what works (folder, message count, IMAP ID sent), or
the one Chinese line that says what is wrong. Nothing is sent, nothing marked.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.campaign.mail import MailSettings
from formgen.mail.errors import MailError
from formgen.mail.imap import Mailbox
from formgen.mail.smtp import Outbox


@dataclass
class CheckLine:
    side: str  # 收信 / 发信
    ok: bool
    text: str


def check_imap(settings: MailSettings, password: str | None) -> CheckLine:
    if settings.imap is None:
        return CheckLine("收信", False, "未设置 mail.imap（收信服务器），无法从邮箱收取报送材料")
    s = settings.imap
    try:
        with Mailbox(s, settings.user, password, settings.timeout) as box:
            folders = box.folders()
            if settings.folder != "INBOX" and settings.folder not in folders:
                shown = "、".join(folders[:12])
                return CheckLine("收信", False, f"邮箱中没有文件夹“{settings.folder}”；请把 mail.folder 改为其中之一：{shown}")
            box.select(settings.folder)
            count = len(box.search_since(None))
            note = "，已发送客户端标识（IMAP ID）" if box.sent_id else ""
            marks = "" if box.keywords_allowed or settings.mark != "keyword" else \
                f"；注意：服务器不允许自定义标记 {settings.keyword}，建议把 mail.mark 改为 seen"
            return CheckLine("收信", True, f"正常：{s.host}:{box.port}（{s.security}），文件夹“{settings.folder}”共 {count} 封{note}{marks}")
    except MailError as e:
        return CheckLine("收信", False, str(e))


def check_smtp(settings: MailSettings, password: str | None) -> CheckLine:
    if settings.smtp is None:
        return CheckLine("发信", False, "未设置 mail.smtp（发信服务器），无法用 --send 发出通知和催报邮件")
    s = settings.smtp
    try:
        with Outbox(s, settings.user, password, 0, settings.timeout) as box:
            how = s.security if s.login else f"{s.security}，不登录"
            return CheckLine("发信", True, f"正常：{s.host}:{box.port}（{how}），将以 {settings.sender} 发信")
    except MailError as e:
        return CheckLine("发信", False, str(e))


def needs_password(settings: MailSettings) -> bool:
    """Reading always logs in; sending does unless mail.smtp says login: false."""
    return settings.imap is not None or (settings.smtp is not None and settings.smtp.login)


def check_mail(settings: MailSettings, password: str | None) -> list[CheckLine]:
    return [check_imap(settings, password), check_smtp(settings, password)]

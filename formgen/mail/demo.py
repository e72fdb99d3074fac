"""``formgen demo --mail``: the demo's mail step against local servers started for it.

A Dovecot (IMAP) and an aiosmtpd (SMTP) on free ports of 127.0.0.1 stand in for
the office mailbox (``formgen.mail.local``); the demo workspace's campaign.yaml
gets a ``mail:`` section pointing at them. The issue mails go out over SMTP;
the sample units' email returns are put into the mailbox instead of forms_in/,
with one unit answering the issue mail from a personal address; ``collect
--mail`` takes them in; the reminders go out over SMTP. The servers stop when
the demo ends; what was sent and fetched stays in the ledger.
"""
from __future__ import annotations

import atexit
import os
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import yaml

from formgen.errors import FormgenError
from formgen.mail.local import PASSWORD, USER, Dovecot, Smtp, dovecot_missing
from formgen.mail.password import ENV_VAR
from formgen.workspace import Workspace


class MailDemo:
    def __init__(self, ws: Workspace):
        missing = dovecot_missing()
        if missing:
            raise FormgenError(f"无法演示邮件收发：{missing}；可不加 --mail 运行演示")
        try:
            import aiosmtpd  # noqa: F401  (the test extra)
        except ImportError:
            raise FormgenError("无法演示邮件收发：未安装 aiosmtpd（pip install \"formgen[test]\"，scripts/setup.sh 会安装）；"
                               "可不加 --mail 运行演示") from None
        self.ws = ws
        self.imap = Dovecot().start()
        atexit.register(self.stop)  # a demo that fails half-way leaves no server behind
        self.smtp = Smtp()
        self.smtp.__enter__()
        self._running = True
        os.environ[ENV_VAR] = PASSWORD  # this process only: the local servers' password
        section = {"mail": {"user": USER, "from": USER, "folder": "INBOX", "per_minute": 0,
                            "imap": {"host": "127.0.0.1", "port": self.imap.port, "security": "none"},
                            "smtp": {"host": "127.0.0.1", "port": self.smtp.port, "security": "none"}}}
        text = ws.campaign_file.read_text(encoding="utf-8").rstrip()
        ws.campaign_file.write_text(text + "\n\n# 演示用的本机邮件服务器（formgen demo --mail）\n"
                                    + yaml.safe_dump(section, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def describe(self) -> str:
        return (f"本机邮件服务器：IMAP 127.0.0.1:{self.imap.port}（Dovecot），SMTP 127.0.0.1:{self.smtp.port}（aiosmtpd），"
                f"账号 {USER}；已写入 campaign.yaml 的 mail 一节")

    def sent_count(self) -> int:
        return len(self.smtp.messages)

    def mail_returns(self, returned) -> list[str]:
        """Move the sample's email returns from forms_in/ into the mailbox; one unit answers the issue mail."""
        moved, raws = [], []
        for r in returned:
            if r.path.suffix.lower() == ".eml" and r.path.exists():
                raws.append(r.path.read_bytes())
                r.path.unlink()
                moved.append(r.unit)
        replied = self._reply()
        if replied is not None:
            raws.append(replied)
        if raws:
            self.imap.append(raws)
        return moved

    def _reply(self) -> bytes | None:
        """A unit's contact answers the issue mail from a home address, with no forms (a question)."""
        if not self.smtp.messages:
            return None
        _, to, raw = self.smtp.messages[-1]
        sent = BytesParser(policy=policy.default).parsebytes(raw)
        msg = EmailMessage()
        msg["From"] = "zhang.home@163.com"
        msg["To"] = USER
        msg["Subject"] = "回复：" + str(sent["Subject"])
        msg["Message-ID"] = "<demo-reply@163.com>"
        msg["In-Reply-To"] = sent["Message-ID"]
        msg["References"] = sent["Message-ID"]
        msg["Date"] = sent["Date"]
        msg.set_content("收到通知。请问候选人的事迹材料是否需要单位盖章？")
        return msg.as_bytes()

    def stop(self) -> None:
        if getattr(self, "_running", False):
            self._running = False
            self.smtp.__exit__(None, None, None)
        self.imap.cleanup()

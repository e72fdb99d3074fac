"""The ``mail:`` section of campaign.yaml: the office mailbox formgen reads and sends from.

The password is never here: it comes from the environment variable
``FORMGEN_MAIL_PASSWORD``, the system keyring, or a prompt
(``formgen.mail.password``). Example::

    mail:
      user: xiaoneng@ruian.gov.cn
      from: xiaoneng@ruian.gov.cn          # 发件地址 (default: user)
      imap: {host: imap.qq.com, port: 993, security: ssl}
      smtp: {host: smtp.qq.com, port: 465, security: ssl}   # an office relay without login:
                                           # {host: 10.0.0.5, port: 25, security: none, login: false}
      folder: INBOX                        # 收件箱; other folders by their displayed name
      since: 2014-09-20                    # default: the notice's 成文日期
      senders: units                       # units | any: only mail from units.xlsx addresses (or replies)
      subject_contains: [推荐, 报送]         # optional: keep only subjects containing one of these
      mark: keyword                        # keyword ($formgen) | seen (\\Seen) | none
      after_fetch: keep                    # keep | move | delete — only ever what this says
      move_to: 已收取
      per_minute: 20                       # sending rate limit
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from formgen.settings_model import SettingsModel

Security = Literal["ssl", "starttls", "none"]


_Model = SettingsModel  # extra keys and NaN/infinity refused


class MailServer(_Model):
    host: str
    port: int | None = None  # default by security: IMAP 993/143, SMTP 465/587/25
    security: Security = "ssl"
    # A certificate authority file to trust (a government server with its own CA); the system's otherwise.
    ca_file: str | None = None
    # SMTP only: false for an office relay that takes mail without a login (offers no AUTH); no password is asked
    login: bool = True


class MailSettings(_Model):
    user: str  # 登录账号, usually the full address
    from_address: str | None = Field(default=None, alias="from")  # 发件地址; default: user
    from_name: str | None = None  # 发件人名称; default: contact.department
    imap: MailServer | None = None
    smtp: MailServer | None = None
    folder: str = "INBOX"
    since: dt.date | None = None  # fetch mail sent from this day on; default: the notice's date
    senders: Literal["units", "any"] = "units"
    subject_contains: list[str] = Field(default_factory=list)
    mark: Literal["keyword", "seen", "none"] = "keyword"
    keyword: str = "$formgen"
    after_fetch: Literal["keep", "move", "delete"] = "keep"
    move_to: str | None = None
    per_minute: float = 20.0  # messages sent per minute at most (0: no limit)
    max_message_mb: int = 50  # messages larger than this are left in the mailbox, with a problem line
    timeout: float = 30.0  # seconds per network operation

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data):
        if isinstance(data, dict) and any(str(k).lower() in ("password", "pass", "授权码", "密码") for k in data):
            raise ValueError("密码不能写在 campaign.yaml 中，请删除这一项，改用环境变量 FORMGEN_MAIL_PASSWORD "
                             "或运行 formgen mail password 保存到系统密码库")
        return data

    @model_validator(mode="after")
    def _imap_logs_in(self):
        if self.imap is not None and not self.imap.login:
            raise ValueError("@imap.login：收信服务器必须登录才能读取邮箱；login: false 只能用于 mail.smtp（无需登录的发信中继）")
        return self

    @model_validator(mode="after")
    def _move_target(self):
        if self.after_fetch == "move" and not self.move_to:
            raise ValueError("mail.after_fetch 为 move 时必须填写 mail.move_to（收取后移入的文件夹）")
        return self

    @property
    def sender(self) -> str:
        return self.from_address or self.user

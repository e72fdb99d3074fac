"""The mailbox password: never in campaign.yaml.

Looked up in this order: the environment variable ``FORMGEN_MAIL_PASSWORD``;
the system keyring (``pip install formgen[mail]``; service ``formgen-mail``,
user = mail.user), where ``formgen mail password`` saves it; a prompt when a
person is at the keyboard. For QQ / 163 / 126 it is the 授权码, not the web
login password.
"""
from __future__ import annotations

import os
import sys
from typing import Callable

from formgen.errors import FormgenError

ENV_VAR = "FORMGEN_MAIL_PASSWORD"
KEYRING_SERVICE = "formgen-mail"


def _keyring():
    try:
        import keyring  # optional: the [mail] extra
        from keyring.errors import KeyringError
    except ImportError:
        return None, Exception
    return keyring, KeyringError


def from_keyring(user: str) -> str | None:
    keyring, error = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except error:  # no usable backend on this machine (a server without a desktop session)
        return None
    except Exception:  # a backend failing in its own way is no password, not a crash
        return None


def save_to_keyring(user: str, password: str) -> None:
    keyring, error = _keyring()
    if keyring is None:
        raise FormgenError("未安装 keyring，无法保存到系统密码库；请运行 pip install \"formgen[mail]\"，"
                           f"或改用环境变量 {ENV_VAR}")
    try:
        keyring.set_password(KEYRING_SERVICE, user, password)
    except Exception as e:  # no backend: say so in one line
        raise FormgenError(f"无法保存到系统密码库（{type(e).__name__}）；请改用环境变量 {ENV_VAR}") from None


def mail_password(user: str, prompt: Callable[[str], str] | None = None) -> str:
    """The password for ``user``: environment, keyring, then ``prompt`` (only when stdin is a terminal)."""
    value = os.environ.get(ENV_VAR)
    if value:
        return value
    value = from_keyring(user)
    if value:
        return value
    if prompt is not None and sys.stdin is not None and sys.stdin.isatty():
        value = prompt(f"请输入邮箱 {user} 的密码（QQ/163 邮箱为授权码）")
        if value:
            return value
    raise FormgenError(f"没有邮箱 {user} 的密码：请设置环境变量 {ENV_VAR}，或运行 formgen mail password 保存到系统密码库"
                       "（密码不写在 campaign.yaml 中）")

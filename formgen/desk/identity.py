"""Who is acting on the desk.

Token mode (the default): the one clerk at this PC — the name formgen records elsewhere
($FORMGEN_USER or the login name), role ``clerk``.

``--lan``: accounts made with ``formgen users add`` (argon2 hashes in the ledger), roles clerk /
judge / viewer, sessions that expire after SESSION_IDLE of no use, and at most LOGIN_TRIES wrong
passwords per name and address in LOGIN_WINDOW before logins are refused for a while.
Every write runs inside ``acting_as(actor.name)``, so the ledger records who made it.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from flask import abort, current_app, g, redirect, request, url_for

from formgen.errors import FormgenError
from formgen.ledger.decisions import staff_name
from formgen.ledger.users import ROLES, get_user, save_user

SESSION_COOKIE = "formgen_desk_session"
SESSION_IDLE = 2 * 3600  # seconds without a request before a session ends
LOGIN_TRIES = 5
LOGIN_WINDOW = 15 * 60  # seconds


@dataclass(frozen=True)
class Actor:
    name: str
    role: str  # clerk, judge, viewer

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def can_write(self) -> bool:
        return self.role == "clerk"


@dataclass
class _Session:
    actor: Actor
    csrf: str
    seen: float


class Sessions:
    """The signed-in sessions of one desk run (in memory: a restart signs everyone out)."""

    def __init__(self, idle: float = SESSION_IDLE):
        self.idle = idle
        self._by_id: dict[str, _Session] = {}
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def open(self, actor: Actor) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._by_id[sid] = _Session(actor, secrets.token_urlsafe(24), time.monotonic())
        return sid

    def get(self, sid: str | None) -> _Session | None:
        if not sid:
            return None
        with self._lock:
            s = self._by_id.get(sid)
            if s is None:
                return None
            if time.monotonic() - s.seen > self.idle:
                del self._by_id[sid]
                return None
            s.seen = time.monotonic()
            return s

    def close(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)

    def blocked_for(self, name: str, address: str) -> int:
        """Seconds until ``name`` may try again from ``address`` (0: now)."""
        with self._lock:
            recent = [t for t in self._failures.get((name, address), []) if time.monotonic() - t < LOGIN_WINDOW]
            self._failures[(name, address)] = recent
            if len(recent) < LOGIN_TRIES:
                return 0
            return int(LOGIN_WINDOW - (time.monotonic() - recent[0])) + 1

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.setdefault((name, address), []).append(time.monotonic())

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop((name, address), None)


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def add_user(ws, name: str, role: str, password: str) -> bool:
    """``formgen users add``: make or update an account; True when it is new."""
    name = (name or "").strip()
    if not name:
        raise FormgenError("用户名不能为空")
    if role not in ROLES:
        raise FormgenError(f"不认识的角色“{role}”；可用：" + "、".join(f"{k}（{v}）" for k, v in ROLES.items()))
    if len(password) < 8:
        raise FormgenError("密码至少 8 位")
    with ws.ledger() as ledger:
        return save_user(ledger, name, role, _hasher().hash(password))


def check_password(ws, name: str, password: str) -> Actor | None:
    """The account's actor when ``password`` is right, else None (argon2 verify)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    with ws.ledger() as ledger:
        user = get_user(ledger, name)
    if user is None:
        _hasher().hash(password)  # the same time for an unknown name as for a wrong password
        return None
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return Actor(user.name, user.role)


def session_csrf() -> str | None:
    s = getattr(g, "desk_session", None)
    return s.csrf if s else None


def require_login():
    """``--lan``: None when the request carries a live session, else the login page (or 401 JSON)."""
    s = current_app.config["DESK_SESSIONS"].get(request.cookies.get(SESSION_COOKIE))
    if s is None:
        if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
            abort(401, "登录已过期，请重新登录")
        return redirect(url_for("login.form", next=request.full_path if request.method == "GET" else "/"))
    g.desk_session = s
    if s.actor.role == "judge" and not getattr(current_app.view_functions.get(request.endpoint), "judge_ok", False):
        abort(403, "评委账号只能使用评委页面")
    return None


def current_actor() -> Actor:
    s = getattr(g, "desk_session", None)
    if s is not None:
        return s.actor
    return Actor(staff_name(), "clerk")


def require_write() -> Actor:
    """The actor of a write; viewers get one Chinese line."""
    actor = current_actor()
    if not actor.can_write:
        raise FormgenError(f"“{actor.name}”是{actor.role_label}账号，不能修改；请用办事员账号登录")
    return actor


def accounts(ws) -> list[tuple[str, str]]:
    from formgen.ledger.users import list_users

    with ws.ledger() as ledger:
        return [(u.name, u.role) for u in list_users(ledger)]


def has_accounts(ws) -> bool:
    return bool(accounts(ws))

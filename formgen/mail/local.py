"""Local mail servers on a free port of 127.0.0.1: Dovecot (IMAP) and aiosmtpd (SMTP).

For the tests, the mail bench and ``formgen demo --mail`` — never for a real office.
``Dovecot()`` writes a complete configuration into a temporary directory
(passwd-file users, maildir storage, logs) and starts ``dovecot -F`` as a child
process in its own session. With ``tls=True`` it also gets a self-signed
certificate (made with ``openssl``) and an IMAPS port. Nothing outside the
temporary directory is touched. Run as root, the mail and login processes use
the ``dovecot`` / ``dovenull`` system users Debian's package creates (Dovecot
refuses to serve mail as root); otherwise everything runs as the current user.

``Smtp()`` is an aiosmtpd server in this process (the ``test`` extra) that keeps
what it receives and refuses any recipient whose address contains ``refuse``.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "xiaoneng@ruian.gov.cn"
PASSWORD = "abc123"

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dovecot_missing() -> str | None:
    """Why Dovecot cannot be started here, or None."""
    if DOVECOT is None:
        return "未安装 Dovecot（Debian 包 dovecot-imapd；scripts/setup.sh 会安装）"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
        except KeyError:
            return "以 root 运行但没有 dovecot/dovenull 系统用户（请用 apt 安装 dovecot-imapd）"
    return None


def _wait_port(port: int, proc: subprocess.Popen, log: Path, seconds: float = 15.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text(errors='replace') if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.settimeout(2)
                if s.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on {port}: {log.read_text(errors='replace') if log.exists() else ''}")


def make_cert(where: Path, cn: str = "localhost") -> tuple[Path, Path]:
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", f"/CN={cn}", "-addext", f"subjectAltName=DNS:{cn},IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


class Dovecot:
    def __init__(self, users: dict[str, str] | None = None, tls: bool = False):
        self.users = users or {USER: PASSWORD}
        self.tls = tls
        self.dir = Path(tempfile.mkdtemp(prefix="formgen-dovecot-"))
        os.chmod(self.dir, 0o755)  # the mail processes run as another user when we are root
        self.port = free_port()
        self.ssl_port = free_port() if tls else 0
        self.log = self.dir / "dovecot.log"
        self.proc: subprocess.Popen | None = None
        self.cert = self.key = None
        if tls:
            self.cert, self.key = make_cert(self.dir)

    def _config(self) -> str:
        root = os.geteuid() == 0
        if root:
            mail_user, login_user = pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
            internal, internal_group, login = "dovecot", grp.getgrgid(mail_user.pw_gid).gr_name, "dovenull"
            uid, gid = mail_user.pw_uid, mail_user.pw_gid
        else:
            me = pwd.getpwuid(os.getuid())
            internal, internal_group, login = me.pw_name, grp.getgrgid(os.getgid()).gr_name, me.pw_name
            uid, gid = os.getuid(), os.getgid()
        home = self.dir / "home"
        home.mkdir(exist_ok=True)
        if root:
            os.chown(home, uid, gid)
        (self.dir / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        ssl = (f"ssl = yes\nssl_cert = <{self.cert}\nssl_key = <{self.key}\n" if self.tls else "ssl = no\n")
        return f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.log}
listen = 127.0.0.1
protocols = imap
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = {min(uid, 1) if uid else 1}
first_valid_gid = 0
{ssl}
disable_plaintext_auth = no
mail_fsync = never
auth_mechanisms = plain login
auth_failure_delay = 0
imap_id_log = *
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def start(self) -> "Dovecot":
        conf = self.dir / "dovecot.conf"
        conf.write_text(self._config())
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        _wait_port(self.port, self.proc, self.log)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own session: dovecot and its children only
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Dovecot":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()

    # ---- putting messages in ----------------------------------------------------------------
    def client(self, user: str = USER):
        import imaplib

        c = imaplib.IMAP4("127.0.0.1", self.port)
        c.login(user, self.users[user])
        return c

    def append(self, messages: list[bytes], folder: str = "INBOX", user: str = USER,
               when: float | None = None) -> None:
        """APPEND each message (INTERNALDATE ``when``, default now); the folder is created if need be."""
        import imaplib

        from formgen.mail.imap import quote
        from formgen.mail.utf7 import encode

        c = self.client(user)
        try:
            box = quote(encode(folder))
            if folder != "INBOX":
                c.create(box)
            stamp = imaplib.Time2Internaldate(when or time.time())
            for raw in messages:
                typ, data = c.append(box, None, stamp, raw)
                assert typ == "OK", data
        finally:
            c.logout()

    def deliver(self, messages: list[bytes], user: str = USER) -> None:
        """Drop messages straight into the INBOX maildir, as a local delivery agent does (fast, for bulk)."""
        c = self.client(user)
        c.select("INBOX")  # opening the INBOX creates the maildir
        c.logout()
        new = self.dir / "home" / user / "Maildir" / "new"
        owner = new.stat()
        for i, raw in enumerate(messages):
            path = new / f"{time.time_ns()}.M{i}P{os.getpid()}.formgen-test"
            path.write_bytes(raw)
            os.chown(path, owner.st_uid, owner.st_gid)

    def flags(self, folder: str = "INBOX", user: str = USER) -> dict[int, list[str]]:
        """UID → flags, as the server holds them."""
        import re

        from formgen.mail.imap import quote
        from formgen.mail.utf7 import encode

        c = self.client(user)
        try:
            c.select(quote(encode(folder)))
            typ, data = c.uid("FETCH", "1:*", "(UID FLAGS)")
            out = {}
            for line in data or []:
                if isinstance(line, bytes):
                    m = re.search(rb"UID (\d+) FLAGS \(([^)]*)\)", line) or re.search(rb"FLAGS \(([^)]*)\) UID (\d+)", line)
                    if m and m.group(1).isdigit():
                        out[int(m.group(1))] = m.group(2).decode().split()
            return out
        finally:
            c.logout()

    def count(self, folder: str = "INBOX", user: str = USER) -> int:
        return len(self.flags(folder, user))

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# ---- SMTP ------------------------------------------------------------------------------------

class _Handler:
    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "refuse" in address:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 Message accepted"


class Smtp:
    """aiosmtpd on a free port of 127.0.0.1; ``messages`` holds (from, to, raw bytes)."""

    def __init__(self, user: str | None = USER, password: str = PASSWORD, tls: tuple[Path, Path] | None = None,
                 require_login: bool = False):
        """``tls``: (certificate, key) files to offer STARTTLS with; ``user`` None: a relay that offers no AUTH;
        ``require_login``: MAIL FROM before AUTH is answered 530, as a provider's server does."""
        import logging
        import ssl

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation chatter
        self.handler = _Handler()
        self.port = free_port()
        creds = {user: password} if user else {}

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = creds.get(getattr(auth_data, "login", b"").decode()) == getattr(auth_data, "password", b"").decode()
            return AuthResult(success=ok, handled=False)

        # PLAIN is what smtplib tries first and all it needs here
        kwargs = dict(authenticator=authenticator, auth_require_tls=False,
                      auth_exclude_mechanism=["LOGIN"], auth_required=require_login) if user else {}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            kwargs["tls_context"] = context
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def messages(self):
        return self.handler.messages

    def __enter__(self) -> "Smtp":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()



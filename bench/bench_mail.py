"""Mail fetch: formgen's fetch (UID bookkeeping, headers first) vs the naive way (every body, every run).

    .venv/bin/python bench/bench_mail.py [N_MESSAGES]

Starts a local Dovecot (tests/mail_servers.py), delivers N messages (default 500),
each from a unit with a ~100 KB PDF attached, then in the same run:

* formgen: ``fetch_mail`` into a fresh workspace, then again (the re-run);
* naive:   download every message body each run, recognise known messages by the
           SHA-256 of their bytes, collect the new ones — into a second fresh workspace.

Prints both runs' times for both, the bytes downloaded, and checks that nothing was
stored twice (messages, receipts).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mail_servers import PASSWORD, Dovecot, dovecot_missing, message  # noqa: E402
from mail_workspace import make_mail_ws  # noqa: E402

from formgen.collect.collect import CollectReport, collect_data, finish_collect  # noqa: E402
from formgen.ledger.files import now, sha256_of  # noqa: E402
from formgen.ledger.mail import message_by_id, record_message  # noqa: E402
from formgen.mail.fetch import fetch_mail  # noqa: E402
from formgen.mail.imap import Mailbox  # noqa: E402

UNITS = ["anyang", "yuhai", "jinhu", "dongshan", "shangwang"]


def _pdf(i: int) -> bytes:
    """~100 KB, about what a filled two-page form exported to PDF weighs."""
    return (b"%PDF-1.4\n%" + f"{i:08d}".encode() * 12800 + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def naive_fetch(ws) -> int:
    """Every body of every message since the start, every run; known bytes skipped. Returns bytes downloaded."""
    s = ws.campaign.mail
    got = new = 0
    report = CollectReport()
    with ws.ledger() as ledger, Mailbox(s.imap, s.user, PASSWORD) as box:
        validity = box.select(s.folder)
        uids = box.search_since(s.since)
        for i in range(0, len(uids), 25):
            for body in box.bodies(uids[i:i + 25]):
                got += len(body.data)
                sha = sha256_of(body.data)
                if message_by_id(ledger, None, sha) is not None:
                    continue
                path = f"邮箱/{s.folder}/#{body.uid}.eml"
                with ledger.transaction():
                    collect_data(ledger, ws, report, path, f"{body.uid}.eml", body.data, now())
                    record_message(ledger, message_id=None, sha256=sha, account=s.user, folder=s.folder,
                                   uidvalidity=validity, uid=body.uid, path=path, sender=None, subject=None,
                                   sent_at=None, internal_date=None, size=len(body.data), thread_unit=None)
                new += 1
        if new:  # as formgen does: the status book is rewritten only when something came in
            finish_collect(ledger, ws, report)
    return got


def _counts(ws) -> tuple[int, int]:
    with ws.ledger() as ledger:
        return (ledger.execute("SELECT COUNT(*) FROM mail_messages").fetchone()[0],
                ledger.execute("SELECT COUNT(*) FROM receipts").fetchone()[0])


def main(n: int) -> None:
    if dovecot_missing():
        sys.exit(f"无法运行：{dovecot_missing()}")
    os.environ["FORMGEN_MAIL_PASSWORD"] = PASSWORD
    with Dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        server.deliver([message(f"{UNITS[i % len(UNITS)]}@example.cn", f"报送材料{i}", [(f"说明{i}.pdf", _pdf(i))],
                                message_id=f"<bench-{i}@example.cn>") for i in range(n)])
        print(f"投递 {n} 封邮件（每封附 {len(_pdf(0)) // 1024} KB PDF）：{time.perf_counter() - t:.1f} 秒")
        ours = make_mail_ws(Path(tmp) / "ours", server.port)
        naive = make_mail_ws(Path(tmp) / "naive", server.port)
        with Mailbox(ours.campaign.mail.imap, ours.campaign.mail.user, PASSWORD) as box:  # untimed warm-up:
            box.select("INBOX")  # Dovecot indexes the maildir and the OS caches it once, for both sides
            uids = box.search_since(None)
            for i in range(0, len(uids), 100):
                box.bodies(uids[i:i + 100])

        t = time.perf_counter()
        first = fetch_mail(ours)
        ours_first = time.perf_counter() - t
        t = time.perf_counter()
        again = fetch_mail(ours)
        ours_again = time.perf_counter() - t
        assert first.taken == n and again.taken == 0 and again.looked_at == 0
        assert _counts(ours) == (n, n), _counts(ours)

        t = time.perf_counter()
        naive_bytes1 = naive_fetch(naive)
        naive_first = time.perf_counter() - t
        t = time.perf_counter()
        naive_bytes2 = naive_fetch(naive)
        naive_again = time.perf_counter() - t
        assert _counts(naive) == (n, n), _counts(naive)

        print(f"{'':12}{'首次收取':>10}{'再次收取':>10}{'再次下载':>12}")
        print(f"{'formgen':12}{ours_first:>9.2f}s{ours_again:>9.2f}s{0:>10.1f}MB")
        print(f"{'朴素做法':10}{naive_first:>9.2f}s{naive_again:>9.2f}s{naive_bytes2 / 1048576:>10.1f}MB")
        print(f"再次收取：formgen 比朴素做法快 {naive_again / max(ours_again, 1e-6):.0f} 倍；两边均无重复"
              f"（台账 {n} 封邮件、{n} 个附件；朴素做法首次下载 {naive_bytes1 / 1048576:.1f} MB）")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)

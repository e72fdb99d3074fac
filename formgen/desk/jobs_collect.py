"""The long jobs the 收件 and 催报 pages start in the worker: collect, mailbox fetch, sending reminders,
and the 收件情况.xlsx refresh after a decision. Each calls the stage function the CLI calls and turns
its progress into the job's lines."""
from __future__ import annotations

from pathlib import Path

from formgen.desk.worker import Progress
from formgen.workspace import Workspace


def collect_job(root: Path, paths: list[Path] | None):
    def run(progress: Progress) -> list[str]:
        from formgen.ballots.run import ballot_test
        from formgen.collect.collect import CollectReport, collect
        from formgen.collect.pool import default_jobs

        ws = Workspace.open(root)
        report = CollectReport()
        seen = {"failures": 0, "skipped": 0, "last": ""}

        def step(done: int, total: int, name: str) -> None:
            _report_new(progress, report, seen)
            if seen["last"]:
                progress.line(f"已读取 {seen['last']}")
            seen["last"] = name
            progress.step(done, total, name)

        report = collect(ws, paths, progress=step, jobs=default_jobs(), hand_over=ballot_test(ws), report=report)
        _report_new(progress, report, seen)
        return collect_summary(ws, report)

    return run


def _report_new(progress: Progress, report, seen: dict) -> None:
    """Lines for what went wrong since the last file, as it happens."""
    for name, message in report.failures[seen["failures"]:]:
        progress.line(f"无法读取 {name}：{message}", "error")
        if seen["last"] == name:
            seen["last"] = ""
    for name, why in report.skipped[seen["skipped"]:]:
        progress.line(f"未收取 {name}：{why}", "problem")
    seen["failures"], seen["skipped"] = len(report.failures), len(report.skipped)


def collect_summary(ws: Workspace, report) -> list[str]:
    from formgen.collect.labels import form_title

    lines = [f"新收文件 {report.new_files} 个，重复 {report.duplicates} 个，无法读取 {report.unreadable} 个，"
             f"已收过未变化 {report.unchanged} 个（用时 {report.seconds:.1f} 秒）。"]
    forms = "、".join(f"{form_title(ws.campaign, t) if t else '不是已知表格'} {n} 份"
                      for t, n in sorted(report.forms.items(), key=lambda kv: kv[0] or "~"))
    if forms:
        lines.append(f"识别出的表格：{forms}" + (f"、详细事迹材料 {report.deeds} 份" if report.deeds else ""))
    lines.append(f"全部已收材料的问题 {report.problems} 项（其中错误 {report.errors} 项）：见“核对”页。")
    lines += [f"收件情况.xlsx 核对：{x}" for x in report.review_lines]
    if report.handed_over:
        lines.append(f"测评票扫描件 {len(report.handed_over)} 个：请在“测评票”页读取。")
    return lines


def mail_job(root: Path, password: str | None):
    def run(progress: Progress) -> list[str]:
        from formgen.mail.fetch import fetch_mail

        ws = Workspace.open(root)

        def step(done: int, total: int, name: str) -> None:
            if name:
                progress.line(f"邮件：{name[:60]}")
            progress.step(done, total, name[:40])

        report = fetch_mail(ws, password=password or None, progress=step)
        c = report.collect
        lines = [f"邮箱“{report.folder}”共 {report.found} 封；本次新看 {report.looked_at} 封：收取 {report.taken} 封，"
                 f"台账中已有 {report.same} 封，不符合条件 {report.filtered} 封，过大未下载 {report.too_large} 封。",
                 f"附件：新收文件 {c.new_files} 个，重复 {c.duplicates} 个，无法读取 {c.unreadable} 个（用时 {report.seconds:.1f} 秒）。"]
        lines += report.notes
        lines += [f"无法读取 {name}：{message}" for name, message in c.failures]
        if report.text_only:
            lines.append(f"没有附件的邮件 {len(report.text_only)} 封（已存入台账）：" + "；".join(report.text_only[:5]))
        return lines

    return run


def remind_job(root: Path, force: bool, password: str | None):
    def run(progress: Progress) -> list[str]:
        from formgen.collect.remind import write_reminders
        from formgen.mail.send import reminder_messages, send_all

        ws = Workspace.open(root)
        reminders = write_reminders(ws)
        if not reminders:
            return ["各单位材料均已报齐，无需催报。"]
        report = send_all(ws, "remind", reminder_messages(reminders), force=force, password=password or None,
                          progress=lambda done, total, unit: progress.step(done, total, unit))
        for unit, to in report.sent:
            progress.line(f"已发送 {unit} → {'、'.join(to)}")
        for unit, why in report.skipped:
            progress.line(f"未发送 {unit}：{why}", "problem")
        for unit, message in report.failed:
            progress.line(f"发送失败 {unit}：{message}", "error")
        return [f"催报邮件：已发送 {len(report.sent)} 封，跳过 {len(report.skipped)} 个单位，失败 {len(report.failed)} 个单位。"]

    return run


def refresh_job(root: Path):
    def run(progress: Progress) -> list[str]:
        from formgen.collect.decisions import refresh

        path = refresh(Workspace.open(root))
        return [f"已更新 {path.name}"]

    return run


def refresh_later(worker, root: Path, actor: str) -> None:
    """After a decision: rewrite 收件情况.xlsx in the worker, so the page answers at once (a refresh
    already running may have read the ledger before this decision: queue another)."""
    worker.submit("refresh", "更新收件情况.xlsx", refresh_job(root), actor, join_running=False)

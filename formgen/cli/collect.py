"""Collection commands: collect, status, remind, correct, assign."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from formgen.cli import cli, console, esc, given_path, open_workspace, rel
from formgen.errors import FormgenError


# ---------------------------------------------------------------------------------------------
# collect
# ---------------------------------------------------------------------------------------------

@cli.command("collect")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--mail", "from_mail", is_flag=True, help="先从办公邮箱收取报送邮件（见 campaign.yaml 的 mail 设置），再收取文件。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="同时读取扫描件、照片和 PDF 的进程数（默认：CPU 核数）。")
@click.pass_context
def collect_cmd(ctx: click.Context, paths: tuple[Path, ...], from_mail: bool = False, jobs: int | None = None):
    """收取各单位报送的文件（默认 forms_in/ 下的全部文件，也可指定文件或文件夹）。

    只读取，不移动、不修改、不删除任何文件；重复运行不会重复登记。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from formgen.ballots.run import ballot_test, print_collected_ballots
    from formgen.collect.collect import collect
    from formgen.collect.pool import default_jobs
    from formgen.collect.labels import form_title

    ws = open_workspace(ctx)
    if from_mail:
        from formgen.cli.mail import fetch_and_print
        fetch_and_print(ctx)
    given = [given_path(ctx, p) for p in paths]
    out = console()
    with Progress(TextColumn("收取文件"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=out, transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        report = collect(ws, given or None, progress=progress, jobs=jobs or default_jobs(),
                         hand_over=ballot_test(ws))
    c = ws.campaign
    table = Table(title="收取结果", show_header=True, header_style="bold")
    table.add_column("项目")
    table.add_column("数量", justify="right")
    table.add_row("新收文件", str(report.new_files))
    table.add_row("重复（内容与已收文件相同）", str(report.duplicates))
    table.add_row("无法读取", str(report.unreadable), style="red" if report.unreadable else None)
    table.add_row("已收过、未变化", str(report.unchanged))
    for ftype, n in sorted(report.forms.items(), key=lambda kv: kv[0] or "~"):
        label = form_title(c, ftype) if ftype else "不是已知表格"
        table.add_row(f"识别出的表格：{esc(label)}", str(n))
    if report.deeds:
        table.add_row("识别出的表格：详细事迹材料", str(report.deeds))
    table.add_row("问题数（全部已收材料）", f"{report.problems}（其中错误 {report.errors}）",
                  style="red" if report.errors else None)
    out.print(table)
    for line in report.review_lines:  # what staff decided in 收件情况.xlsx since the last run
        out.print(f"收件情况.xlsx 核对：{esc(line)}")
    for name, message in report.failures:
        out.print(f"[red]无法读取[/red] {esc(name)}：{esc(message)}")
    for name, message in report.skipped:
        out.print(f"[yellow]未收取[/yellow] {esc(name)}：{esc(message)}")
    out.print(f"收件情况：{esc(rel(ws, report.book))}（用时 {report.seconds:.1f} 秒）")
    if report.errors:
        out.print("有错误需要处理：见收件情况.xlsx 的“问题清单”；formgen status 查看各单位报送情况。")
    # paper ballots (issue 11): ballots_in/, and ballot scans found among the forms
    print_collected_ballots(ws, lambda text: out.print(esc(text)), report.handed_over)


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------

@cli.command("status")
@click.option("--missing", "only_missing", is_flag=True, help="只列出尚未报齐的单位。")
@click.pass_context
def status_cmd(ctx: click.Context, only_missing: bool):
    """各单位的报送情况：收到了什么、通过什么途径、何时收到，还缺什么。"""
    from rich.table import Table

    from formgen.collect.status import short_route, status_table

    st = status_table(open_workspace(ctx), only_missing)
    table = Table(title=st.title, show_lines=True)
    table.add_column("单位", min_width=8, overflow="fold")
    for title in st.columns:
        table.add_column(title, min_width=7, overflow="fold")
    table.add_column("问题", min_width=6, overflow="fold")
    if st.mailed:  # what formgen mailed each unit (issue --send / remind --send), and when
        table.add_column("已发邮件", min_width=10, overflow="fold")
    for row in st.rows:
        cells = []
        for e in row.expected:
            if not e.arrivals:
                cells.append("—" if e.need == 0 else "[red]✗ 未收[/red]")  # need 0: not this unit's form
                continue
            got = [f"[green]✓[/green] {a.arrived_at:%m-%d}\n{short_route(a.route)}" if a.arrived_at
                   else "[green]✓[/green]" for a in e.arrivals]
            if e.missing:
                got.append(f"[red]还差 {e.missing} 份[/red]")
            cells.append("\n".join(got))
        problems = "\n".join(x for x in (f"[red]错误 {row.errors}[/red]" if row.errors else "",
                                         f"提醒 {row.warnings}" if row.warnings else "") if x)
        unit = esc(row.unit) if row.listed else f"{esc(row.unit)}\n[yellow]（不在名单中）[/yellow]"
        table.add_row(unit, *cells, problems, *([st.mailed.get(row.unit, "")] if st.mailed else []))
    out = console()
    out.print(table)
    out.print(f"[dim]{esc(st.legend)}。时间：邮件为发送时间，其他为文件修改时间。[/dim]")
    out.print(f"{st.listed} 个单位中 {st.complete} 个已报齐，{st.listed - st.complete} 个尚缺材料。"
              "催报邮件：formgen remind；问题明细：out/collect/收件情况.xlsx")


# ---------------------------------------------------------------------------------------------
# remind
# ---------------------------------------------------------------------------------------------

@cli.command("remind")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="催报邮件的保存目录（默认 out/remind/）。")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%d %H:%M"]), default=None,
              help="催报日期，如 2014-10-11（默认现在）；邮件中“截至……”按此日期写。")
@click.option("--send", is_flag=True, help="通过办公邮箱（campaign.yaml 的 mail 设置）直接发出。")
@click.option("--force", is_flag=True, help="与 --send 同用：今天已催报过的单位也再发一次。")
@click.pass_context
def remind_cmd(ctx: click.Context, out_dir: Path | None, on: datetime | None = None, send: bool = False,
               force: bool = False):
    """为尚未报齐的单位各生成一封催报邮件（.eml，可用 Outlook/Foxmail 打开后发送）。"""
    from formgen.collect.remind import write_reminders

    ws = open_workspace(ctx)
    if out_dir is not None:
        out_dir = given_path(ctx, out_dir)
    reminders = write_reminders(ws, out_dir, when=on)
    out = console()
    if not reminders:
        out.print("各单位材料均已报齐，无需催报。")
        return
    for r in reminders:
        to = esc("、".join(r.to)) if r.to else "[red]无邮箱（请在单位名单中填写）[/red]"
        out.print(f"{esc(r.unit)}：缺 {len(r.missing)} 项 → {to}")
        if r.bad_addresses:
            out.print(f"  [yellow]邮箱格式不正确，已略过：{esc('、'.join(r.bad_addresses))}[/yellow]")
    if not ws.campaign.contact.email:
        out.print("[yellow]campaign.yaml 未填写 contact.email，邮件没有发件人地址。[/yellow]")
    out.print(f"已生成 {len(reminders)} 封催报邮件：{esc(rel(ws, reminders[0].path.parent))}")
    from formgen.cli.mail import remind_send
    remind_send(ws, reminders, send, force)


# ---------------------------------------------------------------------------------------------
# correct / assign
# ---------------------------------------------------------------------------------------------

@cli.command("correct")
@click.argument("unit", required=False)
@click.argument("form_type", required=False)
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--note", default=None, help="更正说明（如“经电话核实”）。")
@click.option("--list", "list_all", is_flag=True, help="列出全部人工更正。")
@click.option("--delete", is_flag=True, help="撤销这一项更正，恢复为表格中读取的值。")
@click.option("--subject", default=None, help="同一单位报送了多份（如推荐了两人）时，写明更正哪一份：姓名或岗位。")
@click.pass_context
def correct_cmd(ctx, unit, form_type, key, value, note, list_all, delete, subject):
    """人工更正某单位某张表格的一项内容：formgen correct 单位 表格类型 字段 新值。

    更正按“单位＋表格类型＋字段”保存，之后重新收取或该单位改报新表，更正仍然有效。
    一个单位可报送多份的表格（如推荐多人），更正只对 --subject 写明的那一份有效。
    表格类型可写 post_nomination 或“十大效能示范岗推荐表”；字段可写 name 或“姓名”，得分项写项目名。
    值写“空”表示清空。每次更正和撤销都留有记录（--list 查看，也在收件情况.xlsx 的“人工更正”表中）。
    """
    from formgen.collect.decisions import correct, correction_history

    ws = open_workspace(ctx)
    out = console()
    if list_all:  # the whole history: every correction and withdrawal, who and when
        header, *rows = correction_history(ws)
        if not rows:
            out.print("尚无人工更正。")
            return
        out.print("人工更正（全部记录，按时间）：")
        for when, who, unit_, form, field, action, old, new, why, state in rows:
            change = f"{old} → {new}" if new else f"{old}（恢复为表格中读取的值）"
            out.print(esc(f"{when} {who} {action} {unit_} {form}“{field}”：{change}"
                          + (f"（{why}）" if why else "") + f" [{state}]"))
        return
    if not (unit and form_type and key and (value is not None or delete)):
        raise FormgenError("用法：formgen correct 单位 表格类型 字段 新值 [--note 说明]；或 formgen correct --list")
    done = correct(ws, unit, form_type, key, value, note, delete, subject)
    which = f"（{done.subject}）" if done.subject else ""
    if done.deleted:
        out.print(esc(f"已撤销：{unit} {done.form.title}{which} {key}"))
    else:
        out.print(esc(f"已更正：{unit} {done.form.title}{which} {key} → {'（空）' if done.value is None else done.value}"))


@cli.command("assign")
@click.argument("file_no", type=int)
@click.argument("unit", required=False)
@click.option("--exclude", is_flag=True, help="这份文件不计入（如单位报错、多报的表格）。")
@click.option("--note", default=None, help="说明。")
@click.pass_context
def assign_cmd(ctx, file_no: int, unit: str | None, exclude: bool, note: str | None):
    """指定某份文件的报送单位（文件编号见收件情况.xlsx“收到的文件”），或用 --exclude 排除。"""
    from formgen.collect.decisions import assign

    receipt = assign(open_workspace(ctx), file_no, unit, exclude, note)
    what = "已排除，不计入" if exclude else f"已归为 {unit}"
    console().print(esc(f"文件 {file_no}（{receipt.label}）{what}。"))

"""Collection commands: collect, status, remind, correct, assign."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.markup import escape as esc

from formgen.cli import cli, workdir
from formgen.errors import FormgenError


def _ws(ctx: click.Context):
    from formgen.workspace import Workspace

    return Workspace.open(workdir(ctx))


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _refresh(ws) -> Path:
    """Re-place units and re-run the checks after a staff decision; rewrite 收件情况.xlsx."""
    from formgen.intake.checks import identify_units, run_checks
    from formgen.intake.collect import BOOK_NAME
    from formgen.intake.status_book import write_status_book

    with ws.ledger() as ledger:
        identify_units(ledger, ws)
        run_checks(ledger, ws)
        return write_status_book(ledger, ws, ws.out_dir("collect") / BOOK_NAME)


def _rel(ws, path: Path) -> str:
    try:
        return str(path.relative_to(ws.root))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# collect
# ---------------------------------------------------------------------------------------------

@cli.command("collect")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def collect_cmd(ctx: click.Context, paths: tuple[Path, ...]):
    """收取各单位报送的文件（默认 forms_in/ 下的全部文件，也可指定文件或文件夹）。

    只读取，不移动、不修改、不删除任何文件；重复运行不会重复登记。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from formgen.intake.collect import collect
    from formgen.intake.status_book import form_title

    ws = _ws(ctx)
    given = [p if p.is_absolute() else workdir(ctx) / p for p in paths]
    console = _console()
    with Progress(TextColumn("收取文件"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        report = collect(ws, given or None, progress=progress)
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
    console.print(table)
    for name, message in report.failures:
        console.print(f"[red]无法读取[/red] {esc(name)}：{esc(message)}")
    console.print(f"收件情况：{esc(_rel(ws, report.book))}（用时 {report.seconds:.1f} 秒）")
    if report.errors:
        console.print("有错误需要处理：见收件情况.xlsx 的“问题清单”；formgen status 查看各单位报送情况。")


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------

_SHORT_ROUTES = {"email": "邮件", "folder": "目录"}


def _column_title(campaign, key: str, label: str) -> str:
    from formgen.ledger.views import DEEDS

    if key == DEEDS:
        return "事迹材料"
    n = campaign.form_spec(key).attachment_no
    return f"附件{n}" if n else label


@cli.command("status")
@click.option("--missing", "only_missing", is_flag=True, help="只列出尚未报齐的单位。")
@click.pass_context
def status_cmd(ctx: click.Context, only_missing: bool):
    """各单位的报送情况：收到了什么、通过什么途径、何时收到，还缺什么。"""
    from rich.table import Table

    from formgen.ledger.views import unit_status

    ws = _ws(ctx)
    c = ws.campaign
    with ws.ledger() as ledger:
        rows = unit_status(ledger, c, ws.units)
    expected = rows[0].expected if rows else []
    table = Table(title=f"收件情况（报送截止 {c.deadlines.submit:%Y-%m-%d %H:%M}）", show_lines=True)
    table.add_column("单位", min_width=8, overflow="fold")
    for e in expected:
        table.add_column(_column_title(c, e.key, e.label), min_width=7, overflow="fold")
    table.add_column("问题", min_width=6, overflow="fold")
    for st in rows:
        if only_missing and not st.owed:
            continue
        cells = []
        for e in st.expected:
            if not e.arrivals:
                cells.append("[red]✗ 未收[/red]")
                continue
            got = [f"[green]✓[/green] {a.arrived_at:%m-%d}\n{_SHORT_ROUTES.get(a.route, '压缩包')}" if a.arrived_at
                   else "[green]✓[/green]" for a in e.arrivals]
            if e.missing:
                got.append(f"[red]还差 {e.missing} 份[/red]")
            cells.append("\n".join(got))
        problems = "\n".join(x for x in (f"[red]错误 {st.errors}[/red]" if st.errors else "",
                                         f"提醒 {st.warnings}" if st.warnings else "") if x)
        unit = esc(st.unit) if st.listed else f"{esc(st.unit)}\n[yellow]（不在名单中）[/yellow]"
        table.add_row(unit, *cells, problems)
    console = _console()
    console.print(table)
    legend = "；".join(f"{_column_title(c, e.key, e.label)}＝{e.label}" for e in expected)
    legend = esc(legend)
    console.print(f"[dim]{legend}。时间：邮件为发送时间，其他为文件修改时间。[/dim]")
    listed = [r for r in rows if r.listed]
    done = sum(1 for r in listed if r.complete)
    console.print(f"{len(listed)} 个单位中 {done} 个已报齐，{len(listed) - done} 个尚缺材料。"
                  "催报邮件：formgen remind；问题明细：out/collect/收件情况.xlsx")


# ---------------------------------------------------------------------------------------------
# remind
# ---------------------------------------------------------------------------------------------

@cli.command("remind")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="催报邮件的保存目录（默认 out/remind/）。")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%d %H:%M"]), default=None,
              help="催报日期，如 2014-10-11（默认现在）；邮件中“截至……”按此日期写。")
@click.pass_context
def remind_cmd(ctx: click.Context, out_dir: Path | None, on: datetime | None = None):
    """为尚未报齐的单位各生成一封催报邮件（.eml，可用 Outlook/Foxmail 打开后发送）。"""
    from formgen.intake.remind import write_reminders

    ws = _ws(ctx)
    if out_dir is not None and not out_dir.is_absolute():
        out_dir = workdir(ctx) / out_dir
    reminders = write_reminders(ws, out_dir, when=on)
    console = _console()
    if not reminders:
        console.print("各单位材料均已报齐，无需催报。")
        return
    for r in reminders:
        to = esc("、".join(r.to)) if r.to else "[red]无邮箱（请在单位名单中填写）[/red]"
        console.print(f"{esc(r.unit)}：缺 {len(r.missing)} 项 → {to}")
        if r.bad_addresses:
            console.print(f"  [yellow]邮箱格式不正确，已略过：{esc('、'.join(r.bad_addresses))}[/yellow]")
    if not ws.campaign.contact.email:
        console.print("[yellow]campaign.yaml 未填写 contact.email，邮件没有发件人地址。[/yellow]")
    console.print(f"已生成 {len(reminders)} 封催报邮件：{esc(_rel(ws, reminders[0].path.parent))}")


# ---------------------------------------------------------------------------------------------
# correct / assign
# ---------------------------------------------------------------------------------------------

def _resolve_form_type(campaign, text: str) -> str:
    specs = campaign.form_specs()
    squashed = "".join(text.split()).strip("“”\"")
    for s in specs:
        plain = s.title.replace("“", "").replace("”", "")
        if text == s.type or squashed in (s.title, plain) or (s.attachment_no and squashed == f"附件{s.attachment_no}"):
            return s.type
    choices = "、".join(f"{s.type}（{s.title}）" for s in specs)
    raise FormgenError(f"不认识的表格类型“{text}”；可用：{choices}")


def _resolve_key(spec, text: str) -> str:
    squashed = "".join(text.split())
    for f in spec.fields:
        if text == f.key or squashed in f.all_labels:
            return f.key
    for it in spec.items:
        if squashed in (it.name, f"items.{it.name}", *it.variants):
            return f"items.{it.name}"
    keys = [f"{f.key}（{f.label}）" for f in spec.fields] + [it.name for it in spec.items]
    raise FormgenError(f"{spec.title}中没有“{text}”这一项；可用：{'、'.join(keys)}")


def _parse_value(spec, key: str, text: str):
    """The corrected value as the extract would give it (empty → null)."""
    from formgen.intake.normalize import normalize_birth, normalize_gender, parse_integer, parse_score

    text = text.strip()
    if text in ("", "空", "null"):
        return None
    if key.startswith("items."):
        item = next(i for i in spec.items if f"items.{i.name}" == key)
        score = parse_score(text)
        if score is None or not 0 <= score <= item.max:
            raise FormgenError(f"“{text}”不是有效的得分；{item.name} 应为 0 到 {item.max:g} 之间的数字")
        return score
    kind = spec.field(key).kind
    parsed = {"integer": parse_integer, "birth": normalize_birth, "gender": normalize_gender}.get(kind)
    if parsed is None:
        return text.replace("\\n", "\n")
    value = parsed(text)
    if value is None:
        expected = {"integer": "整数", "birth": "出生年月（如 1982-07）", "gender": "“男”或“女”"}[kind]
        raise FormgenError(f"“{text}”不是有效的{spec.field(key).label}；应为{expected}")
    return value


@cli.command("correct")
@click.argument("unit", required=False)
@click.argument("form_type", required=False)
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--note", default=None, help="更正说明（如“经电话核实”）。")
@click.option("--list", "list_all", is_flag=True, help="列出全部人工更正。")
@click.option("--delete", is_flag=True, help="撤销这一项更正，恢复为表格中读取的值。")
@click.pass_context
def correct_cmd(ctx, unit, form_type, key, value, note, list_all, delete):
    """人工更正某单位某张表格的一项内容：formgen correct 单位 表格类型 字段 新值。

    更正按“单位＋表格类型＋字段”保存，之后重新收取或该单位改报新表，更正仍然有效。
    表格类型可写 post_nomination 或“十大效能示范岗推荐表”；字段可写 name 或“姓名”，得分项写项目名。
    值写“空”表示清空。
    """
    from rich.table import Table

    from formgen.ledger.forms import delete_correction, list_corrections, set_correction

    ws = _ws(ctx)
    console = _console()
    if list_all:
        with ws.ledger() as ledger:
            rows = list_corrections(ledger)
        if not rows:
            console.print("尚无人工更正。")
            return
        table = Table(title="人工更正")
        for col in ("单位", "表格", "字段", "更正为", "说明", "时间"):
            table.add_column(col)
        for r in rows:
            value = "（空）" if r["value"] is None else str(r["value"])
            table.add_row(*map(esc, (r["unit"], r["form_type"], r["key"], value, r["note"] or "")),
                          f"{r['created_at']:%Y-%m-%d %H:%M}")
        console.print(table)
        return
    if not (unit and form_type and key and (value is not None or delete)):
        raise FormgenError("用法：formgen correct 单位 表格类型 字段 新值 [--note 说明]；或 formgen correct --list")
    c = ws.campaign
    ftype = _resolve_form_type(c, form_type)
    spec = c.form_spec(ftype)
    fkey = _resolve_key(spec, key)
    with ws.ledger() as ledger:
        known = {u.name for u in ws.units} | {r["unit"] for r in ledger.execute(
            "SELECT DISTINCT unit FROM forms WHERE unit IS NOT NULL")}
        if unit not in known:
            raise FormgenError(f"单位“{unit}”不在单位名单中，也没有收到过它的表格；请核对单位名称")
        if delete:
            if not delete_correction(ledger, unit, ftype, fkey):
                raise FormgenError(f"{unit} 的{spec.title}“{key}”没有人工更正，无需撤销")
            console.print(esc(f"已撤销：{unit} {spec.title} {key}"))
        else:
            parsed = _parse_value(spec, fkey, value)
            set_correction(ledger, unit, ftype, fkey, parsed, note)
            console.print(esc(f"已更正：{unit} {spec.title} {key} → {'（空）' if parsed is None else parsed}"))
    _refresh(ws)


@cli.command("assign")
@click.argument("file_no", type=int)
@click.argument("unit", required=False)
@click.option("--exclude", is_flag=True, help="这份文件不计入（如单位报错、多报的表格）。")
@click.option("--note", default=None, help="说明。")
@click.pass_context
def assign_cmd(ctx, file_no: int, unit: str | None, exclude: bool, note: str | None):
    """指定某份文件的报送单位（文件编号见收件情况.xlsx“收到的文件”），或用 --exclude 排除。"""
    from formgen.ledger.files import assign_unit, get_receipt

    ws = _ws(ctx)
    if bool(unit) == exclude:
        raise FormgenError("用法：formgen assign 文件编号 单位名称；或 formgen assign 文件编号 --exclude")
    if unit and ws.unit(unit) is None:
        raise FormgenError(f"单位“{unit}”不在单位名单中；请核对名称（见 units.xlsx）")
    with ws.ledger() as ledger:
        r = get_receipt(ledger, file_no)
        if r is None:
            raise FormgenError(f"没有编号为 {file_no} 的文件；编号见 out/collect/收件情况.xlsx 的“收到的文件”")
        assign_unit(ledger, file_no, "" if exclude else unit, note)
    _refresh(ws)
    what = "已排除，不计入" if exclude else f"已归为 {unit}"
    _console().print(esc(f"文件 {file_no}（{r.label}）{what}。"))

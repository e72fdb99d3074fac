"""Intake commands: ``formgen extract`` (one file → its fields)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from formgen.cli import cli, console as make_console, esc, given_path, workdir
from formgen.forms import BUILTIN_FORMS, FormSpec
from formgen.intake.result import ExtractResult

FORM_NAMES = {f.type: f.title for f in BUILTIN_FORMS.values()}
METHOD_NAMES = {"tagged": "表格锚点", "labels": "按栏目名称识别", "pdf-text": "PDF 文字层", "ocr": "文字识别（OCR）"}


def _write_json(obj) -> None:
    data = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.buffer.write(data.encode("utf-8"))
    sys.stdout.flush()


def _show(results: list[ExtractResult], forms: list[FormSpec]) -> None:
    from rich.table import Table

    titles = {**FORM_NAMES, **{f.type: f.title for f in forms}}
    labels = {f.type: {fs.key: fs.label for fs in f.fields} for f in forms}
    console = make_console()
    for r in results:
        head = f"[bold]{esc(r.source or Path(r.file).name)}[/bold]："  # names and values a unit typed: never markup
        if r.form_type:
            head += f"{esc(titles.get(r.form_type, r.form_type))}（{METHOD_NAMES.get(r.method or '', r.method)}）"
        elif r.kind == "deeds_document":
            head += "文字材料（非表格）"
        else:
            head += "未识别为已知表格"
        console.print(head)
        if r.form_type:
            table = Table(show_header=True, header_style="bold")
            table.add_column("栏目")
            table.add_column("内容", overflow="fold")
            table.add_column("位置")
            for key, value in r.fields.items():
                text = "（空）" if value is None else str(value)
                if len(text) > 60 or "\n" in text:
                    text = text.replace("\n", " ")[:58] + f"…（共 {len(text)} 字）"
                where = r.provenance[key].where if key in r.provenance else ""
                table.add_row(esc(labels.get(r.form_type, {}).get(key, key)), esc(text), esc(where))
            for item in r.items:
                score = "（空）" if item["score"] is None else f"{item['score']:g}"
                where = r.provenance.get(f"items.{item['name']}")
                table.add_row(esc(f"{item['name']}（满分 {item['max']:g}）"), score, esc(where.where if where else ""))
            console.print(table)
        if r.subject:
            console.print(f"评分对象：{esc(r.subject)}")
        if r.anchors.get("unit"):
            console.print(f"下发给：{esc(r.anchors['unit'])}（表格自带的单位标记）")
        for p in r.problems:
            mark = "[red]错误[/red]" if p.severity == "error" else "[yellow]提醒[/yellow]"
            console.print(f"  {mark} {esc(p.message)}")
        console.print()


@cli.command("extract")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供其他程序读取）。")
@click.pass_context
def extract_cmd(ctx: click.Context, file: Path, as_json: bool):
    """读取一个报送文件（docx/doc/pdf/扫描件/zip/邮件），输出识别出的表格内容。"""
    from formgen.intake.extract import extract_path
    from formgen.intake.issued import reading_issued
    from formgen.issue.blanks import issued_tables_at
    from formgen.workspace import forms_at

    forms = forms_at(workdir(ctx))
    with reading_issued(issued_tables_at(workdir(ctx))):  # scans of issued forms: only the answers are read
        results = extract_path(given_path(ctx, file), forms)  # a relative path is in the -C directory, as with git
    for r in results:
        r.file = str(file)  # reported as the user typed it
    container = any(r.source is not None for r in results) or len(results) != 1
    if as_json:
        if container:
            _write_json([r.to_json(with_source=True) for r in results])
        else:
            _write_json(results[0].to_json())
    else:
        _show(results, forms)
    if container and results and all(r.error_kind for r in results):
        # nothing in the container could be read: the same exit status as one unreadable file
        click.echo(f"错误：{file.name} 中没有一个文件能够读取（原因见上）", err=True)
        ctx.exit(2)

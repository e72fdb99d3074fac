"""A campaign from the office's own files: ``formgen new``, ``forms import``, ``rubric import``, ``notice import``.

Thin faces over formgen.campaign.new, formgen.issue.form_import, rubric_import and notice_import.
"""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, given_path, open_workspace, rel, workdir

KIND_NAMES = {"text": "文字", "multiline": "多行文字", "gender": "性别", "birth": "年月", "integer": "整数",
              "date": "日期", "choice": "选项"}


@cli.command("new")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--answers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="从答案文件读取回答（YAML：每行“问题: 回答”，见 README），文件中没有的才提问。")
@click.option("--units", "units_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="同时导入单位自己的名单（.xlsx/.xls/.csv），同 formgen units import --yes。")
@click.option("--force", is_flag=True, help="覆盖已有的 campaign.yaml（已收文件和台账不受影响）。")
@click.pass_context
def new(ctx, directory: Path, answers: Path | None, units_file: Path | None, force: bool):
    """新建一个活动：用中文逐项提问（默认值取自最接近的预设），写出带说明的 campaign.yaml。"""
    from formgen.campaign.new import new_campaign_text, read_answers_file
    from formgen.issue.init import new_workspace

    given = read_answers_file(given_path(ctx, answers)) if answers else {}
    interactive = answers is None or click.get_text_stream("stdin").isatty()

    def ask(question: str, default: str) -> str:
        return str(click.prompt(question, default=default or "", show_default=bool(default)))

    text, campaign = new_campaign_text(given, ask if interactive else None)
    ws = new_workspace(given_path(ctx, directory), text, force=force)
    click.echo(f"已创建活动 {campaign.name}：{ws.campaign_file}")
    for a in campaign.awards:
        click.echo(f"  奖项 {a.name}（{a.id}）：名额 {a.quota.total}，每单位推荐 {a.per_unit}")
    if units_file:
        from formgen.campaign.load import write_units
        from formgen.campaign.unit_files import import_units

        found, match = import_units(given_path(ctx, units_file), [c.name for c in campaign.categories] or None)
        for line, problem in match.problems:
            click.secho(f"注意：{units_file.name} 第 {line} 行{problem}", fg="yellow", err=True)
        write_units(ws.root / campaign.units_file, found)
        click.echo(f"  单位名单 {len(found)} 个单位（来自 {units_file.name}）")
    click.echo("下一步：formgen forms import 推荐表.docx；formgen rubric import 评分表.docx；"
               + ("" if units_file else "formgen units import 名单.xlsx；") + "然后 formgen check。")


@cli.group()
def forms():
    """表格：用办公室自己的 Word 表格。"""


@forms.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--award", "award_id", default=None, help="这张表属于哪个奖项（奖项编号；只有一个奖项时不用写）。")
@click.option("--type", "form_type", default=None, help="表格类型的英文名（默认按奖项生成，如 window_nomination）。")
@click.option("--dry-run", is_flag=True, help="只列出识别结果，不写入 campaign.yaml 和模板。")
@click.pass_context
def forms_import(ctx, source: Path, award_id: str | None, form_type: str | None, dry_run: bool):
    """读取办公室的 Word 表格：找出每个填写格，写入 campaign.yaml，模板即原表加隐藏书签（原文件不改动）。"""
    from formgen.issue.form_import import import_form

    ws = open_workspace(ctx)
    report = import_form(ws, given_path(ctx, source), award_id, form_type, write=not dry_run)
    spec = report.spec
    click.echo(f"表格“{spec.title}”（类型 {spec.type}）共 {len(spec.fields)} 个填写项：")
    for pf in report.proposal.fields:
        f = pf.spec
        extra = []
        if f.max_chars:
            extra.append(f"不超过{f.max_chars}字")
        if f.target_chars:
            extra.append(f"{f.target_chars}字左右")
        if f.choices:
            extra.append("／".join(f.choices))
        if pf.unit_line:
            extra.append("下发时填入单位名称")
        click.echo(f"  {f.label:<10}→ {f.key}（{KIND_NAMES[f.kind]}{'，' + '，'.join(extra) if extra else ''}）"
                   f"  {pf.where}{'' if pf.canonical else '  新键名'}")
    for note in report.proposal.notes:
        click.echo(f"说明：{note}")
    for line in report.undecided:
        click.secho(f"未能确定：{line}", fg="yellow")
    if report.written:
        click.echo(f"已写入 campaign.yaml（forms 中的 {spec.type}" + (f"，奖项 {report.award} 的推荐表" if report.award else "")
                   + f"）和模板 {rel(ws, report.template)}；原文件未改动。")
    else:
        click.echo("（--dry-run：未写入任何文件）")


@cli.group()
def rubric():
    """评分细则：用办公室自己的评分表。"""


@rubric.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--award", "award_id", default=None, help="评分表属于哪个奖项（只有一个奖项时不用写）。")
@click.option("--yes", "-y", is_flag=True, help="不逐条确认：识别出的扣分、加分细则全部采用。")
@click.option("--self-assessment", is_flag=True, help="同时把这张评分表作为下发给单位自评的表格（得分栏加隐藏书签）。")
@click.pass_context
def rubric_import(ctx, source: Path, award_id: str | None, yes: bool, self_assessment: bool):
    """读取评分表（项目/分值/考核内容/评分标准），写入奖项的评分细则；常见扣分、加分说法逐条请您确认。"""
    from formgen.issue.rubric_import import describe_rule, import_rubric, read_rubric

    ws = open_workspace(ctx)
    path = given_path(ctx, source)
    sheet = read_rubric(ws, path, award_id)
    click.echo(f"评分表“{sheet.title}”共 {len(sheet.items)} 项，各项分值之和 {sheet.sum:g} 分"
               + (f"，表中合计 {sheet.printed_total:g} 分" if sheet.printed_total is not None else "（表中未印合计）"))
    rejected: set[tuple[int, int]] = set()
    for i, item in enumerate(sheet.items):
        click.echo(f"  {item.name}  {item.max:g} 分" + (f"（{item.group}）" if item.group else ""))
        for j, rule in enumerate(item.proposed):
            line = f"    “{rule.phrase}” → {describe_rule(rule.rule)}"
            if yes:
                click.echo(line)
            elif not click.confirm(line + "，采用吗？", default=True):
                rejected.add((i, j))
        if item.judged_reason:
            click.echo(f"    评委直接打分：{item.judged_reason}")
    for note in sheet.notes:
        click.secho(f"注意：{note}", fg="yellow")
    report = import_rubric(ws, sheet, rejected, self_assessment=self_assessment)
    click.echo(f"已写入 campaign.yaml（奖项 {report.award} 的评分细则，{len(sheet.items)} 项）"
               + (f"，自评表模板 {rel(ws, report.template)}" if report.template else "") + "；原文件未改动。")


@cli.group()
def notice():
    """通知：用办公室自己的通知。"""


@notice.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def notice_import(ctx, source: Path):
    """用办公室自己的通知作为下发的通知：有单位名称的位置按单位填写，核对截止日期，列出不合 GB/T 9704 之处。"""
    from formgen.issue.notice_import import import_notice

    ws = open_workspace(ctx)
    report = import_notice(ws, given_path(ctx, source))
    if report.unit_place:
        click.echo(f"单位名称填在：{report.unit_place}（下发时每个单位各填自己的名称）")
    else:
        click.echo("通知中没有找到填写单位名称的位置，各单位收到的通知相同")
    for line in report.deadline_problems:
        click.secho(f"截止日期：{line}", fg="yellow")
    for line in report.format_problems:
        click.secho(f"GB/T 9704：{line}", fg="yellow")
    if not report.deadline_problems and not report.format_problems:
        click.echo("截止日期与活动设置一致，版式检查未发现问题")
    click.echo(f"已写入模板 {rel(ws, report.template)}（formgen issue 下发这份通知）；原文件未改动。")

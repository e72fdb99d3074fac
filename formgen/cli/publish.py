"""``formgen publish``: publicity list, commendation notice, plaque list, certificates (and PDFs)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from formgen.cli import cli, workdir
from formgen.errors import FormgenError


def _rel(root: Path, path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FormgenError(f"{option} 的日期“{value}”无法识别，请写成 YYYY-MM-DD，如 2014-11-17") from None


def _ranked_winners(ws) -> dict:
    try:
        from formgen.ledger.views import nominees
        from formgen.scoring.run import score_campaign
    except ImportError:
        raise FormgenError("此版本尚缺少评分模块（formgen.scoring / formgen.ledger.views），无法生成发布材料；请更新 formgen") \
            from None
    from formgen.publish.run import winners_from_ranked

    with ws.ledger() as ledger:
        found = nominees(ledger, ws.campaign, ws.units)
    if not any(found.values()):
        raise FormgenError("台账中还没有任何推荐表；请先把各单位报送的文件放入 forms_in/ 并运行 formgen collect")
    winners = winners_from_ranked(score_campaign(ws, found))
    if not any(winners.values()):
        raise FormgenError("还没有入选对象（评委评分尚未读回？）；请先运行 formgen panel --read，再用 formgen score 查看结果")
    return winners


@cli.command("publish")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--date", "date_opt", default=None, metavar="YYYY-MM-DD",
              help="公示名单的日期，公示期自该日（或其后第一个工作日）起按工作日计算；"
                   "默认取 campaign.yaml 的 deadlines.publicity_start，未设置则为今天。")
@click.option("--commend-date", "commend_opt", default=None, metavar="YYYY-MM-DD",
              help="表彰通报和证书的日期；默认为公示期满后的第一个工作日。")
@click.pass_context
def publish_cmd(ctx: click.Context, pdf: bool, date_opt: str | None, commend_opt: str | None):
    """生成公示名单、表彰通报、授牌名单和荣誉证书（out/publish/）。"""
    from formgen.publish.model import PublishInput
    from formgen.publish.run import SofficeMissing, notes, printable, publish, to_pdf
    from formgen.workspace import Workspace

    ws = Workspace.open(workdir(ctx))
    campaign = ws.campaign
    decided = _parse_date(date_opt, "--date") or campaign.deadlines.publicity_start or dt.date.today()
    data = PublishInput(campaign, _ranked_winners(ws), decided, _parse_date(commend_opt, "--commend-date"),
                        unit_order=[u.name for u in ws.units])
    paths = publish(ws, data)

    root = ws.root
    certificate_dirs: dict[Path, int] = {}
    for p in paths:
        if p.parent != paths[0].parent:
            certificate_dirs[p.parent] = certificate_dirs.get(p.parent, 0) + 1
        else:
            click.echo(f"已生成 {_rel(root, p)}")
    for folder, n in certificate_dirs.items():
        click.echo(f"已生成 {_rel(root, folder)}/（{n} 份证书，每人一个文件）")
    for line in notes(data):
        click.echo(f"注意：{line}")
    if pdf:
        docs = printable(paths)
        click.echo(f"正在用 LibreOffice 生成 {len(docs)} 个 PDF……")
        try:
            for p in to_pdf(docs):
                click.echo(f"已生成 {_rel(root, p)}")
        except SofficeMissing as e:
            click.echo(str(e))

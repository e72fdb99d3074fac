"""``formgen demo --preset anhui-provincial|kunshan-awards``: the category presets end to end.

The same commands a clerk runs, in a fresh workspace: init → check → issue →
(units send their returns) → collect → status → remind → scorers → (departments
and the review group fill their workbooks) → scorers --read → score → publish.
The bracketed steps are simulated by ``formgen.sample.category`` from the data
files in the preset's ``sample/`` folder.
"""
from __future__ import annotations

from datetime import timedelta

import click


def run(ctx: click.Context, root, preset: str, pdf: bool) -> None:
    from formgen.cli.check import check_cmd
    from formgen.cli.demo import step
    from formgen.cli.collect import collect_cmd, remind_cmd, status_cmd
    from formgen.cli.issue import issue as issue_cmd
    from formgen.cli.scorers import scorers_cmd
    from formgen.cli.scoring import score_cmd
    from formgen.cli.workspace import init
    from formgen.sample import category as sample
    from formgen.workspace import Workspace

    anhui = preset == "anhui-provincial"
    step(f"1. 新建工作目录（预设 {preset}）并检查设置")
    ctx.invoke(init, directory=root, preset=preset, force=True)
    ctx.invoke(check_cmd)
    ws = Workspace.open(root)

    step("2. 下发：通知和各单位的表格（只发给适用的单位类别）")
    ctx.invoke(issue_cmd, units=())

    step("3. 各单位报送" + ("自查报告" if anhui else "申报表"))
    sent = sample.write_returns(ws, preset)
    click.echo(f"forms_in/ 收到 {len(sent)} 个文件")

    step("4. 收件、识别、校验、记入台账")
    ctx.invoke(collect_cmd, paths=())
    step("5. 收件情况与催报（只催适用于该单位的表格）")
    ctx.invoke(status_cmd, only_missing=True)
    deadline = ws.campaign.deadlines.submit
    ctx.invoke(remind_cmd, out_dir=None, on=(deadline + timedelta(days=1)).replace(hour=9, minute=0, second=0))

    step("6. 评分报送表：" + ("各评分部门（只含本部门负责的分项）" if anhui else "考评小组成员") + "，填写（样例），读回")
    ctx.invoke(scorers_cmd, read_mode=False, judges_opt=None, files=())
    filled = sample.fill_scorers(ws, preset)
    click.echo(f"{len(filled)} 份评分报送表已填好，放入 out/scorers/returned/")
    ctx.invoke(scorers_cmd, read_mode=True, judges_opt=None, files=())

    step("7. 计分、排名" + ("（各类别内排名）" if anhui else "、确定入选（共用名额、等次）"))
    ctx.invoke(score_cmd)

    step("8. 发布")
    if anhui:
        from formgen.cli.publish_category import results_notice_cmd

        ctx.invoke(results_notice_cmd, pdf=pdf)
    else:
        from formgen.cli.publish import publish_cmd

        ctx.invoke(publish_cmd, pdf=pdf, date_opt=None, commend_opt=None)

    step("演示完成")
    for sub in ("issue", "collect", "remind", "scorers", "score", "publish"):
        d = ws.out / sub
        if d.is_dir():
            click.echo(f"  {d}/（{sum(1 for p in d.rglob('*') if p.is_file())} 个文件）")
    click.echo(f"可继续在该目录中试用各命令，如：formgen -C {root} status")

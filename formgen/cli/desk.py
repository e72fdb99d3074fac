"""``formgen desk`` (the campaign in the browser) and ``formgen users add`` (its --lan accounts)."""
from __future__ import annotations

from pathlib import Path

import click

from formgen.cli import cli, given_path, open_workspace, workdir


@cli.command("desk")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="端口（默认由系统分配一个空闲端口）。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@click.option("--lan", is_flag=True, help="允许办公室局域网内的同事访问（需要账号：formgen users add）。")
@click.pass_context
def desk_cmd(ctx: click.Context, directory: Path | None, port: int, no_browser: bool, lan: bool):
    """在浏览器中打开工作台（不指定目录时先选择或新建活动）。

    指定 DIR（或 -C DIR）时直接打开该活动；都不指定时先显示活动选择页。
    """
    from formgen.desk.server import run
    from formgen.errors import FormgenError

    if directory is not None:
        root = given_path(ctx, directory)
    elif ctx.find_root().params.get("workdir") is not None:  # formgen -C DIR desk: that workspace, as git -C
        root = workdir(ctx)
    else:
        root = None
    if root is not None:
        from formgen.workspace import Workspace

        ws = Workspace.open(root)  # one line when it is not a workspace, before any server starts
        if lan:
            from formgen.desk.identity import has_accounts

            if not has_accounts(ws):
                raise FormgenError("局域网模式需要账号：请先运行 formgen users add 用户名 --role clerk")
    elif lan:
        raise FormgenError("--lan 需要指定工作目录（账号保存在该活动的台账中）：formgen desk 目录 --lan")
    run(root, port=port, open_browser=not no_browser, lan=lan, say=click.echo)


@cli.group("users")
def users_group():
    """工作台局域网模式（formgen desk --lan）的账号。"""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["clerk", "judge", "viewer"]), default="clerk", show_default=True,
              help="clerk 办事员（可修改）、judge 评委、viewer 只读。")
@click.option("--password", default=None, help="密码（不写则提示输入，不回显）。")
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, password: str | None):
    """新建账号，或修改已有账号的角色和密码。"""
    from formgen.desk.identity import add_user

    ws = open_workspace(ctx)
    if password is None:
        password = click.prompt(f"账号 {name} 的密码（至少 8 位）", hide_input=True, confirmation_prompt="再输入一次")
    new = add_user(ws, name, role, password)
    click.echo(f"{'已新建' if new else '已更新'}账号 {name}（{role}）。")


@users_group.command("list")
@click.pass_context
def users_list(ctx: click.Context):
    """列出账号。"""
    from formgen.desk.identity import accounts

    rows = accounts(open_workspace(ctx))
    if not rows:
        click.echo("尚无账号（formgen users add 用户名 --role clerk）。")
    for name, role in rows:
        click.echo(f"{name}\t{role}")

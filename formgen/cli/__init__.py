"""The ``formgen`` command: a thin layer over the stage functions.

Each stage registers its commands from its own module (``cli/workspace.py``,
``cli/intake.py`` …). Every command works in the workspace it is run from, or
in the one named with ``-C DIR`` (as git does). A :class:`FormgenError` is
printed as one Chinese line on stderr; any other exception is a bug, and is
still shown as one line (with the log file for details) rather than a traceback.
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from formgen.errors import FormgenError
from formgen.privacy import redact


class FormgenGroup(click.Group):
    """Turns every error into one Chinese line on stderr."""

    def invoke(self, ctx: click.Context):
        try:
            return self._invoke(ctx)
        finally:  # a file written beside one open in Excel: said even when the command failed later
            from formgen.outputs import take_notices

            for line in take_notices():
                click.echo(f"提醒：{line}", err=True)

    def _invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FormgenError as e:
            click.echo(f"错误：{redact(str(e))}", err=True)  # no personal value leaves in an error line
            sys.exit(e.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `formgen status | head`: the reader left; not an error
            try:
                sys.stdout = open(os.devnull, "w")
            except OSError:
                pass
            sys.exit(0)
        except Exception as e:  # a bug: keep the details in a log, show one line
            log = Path(os.environ.get("TMPDIR", "/tmp")) / "formgen-error.log"
            try:
                log.write_text(redact(traceback.format_exc()), encoding="utf-8")
                where = f"，详情见 {log}"
            except OSError:
                where = ""
            click.echo(f"错误：程序内部错误（{type(e).__name__}: {redact(str(e))}）{where}。请将此信息反馈给维护人员。", err=True)
            sys.exit(70)


@click.group(cls=FormgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="在指定的工作目录中运行（同 git -C）。")
@click.version_option(package_name="formgen", message="formgen %(version)s")
@click.pass_context
def cli(ctx: click.Context, workdir: Path | None):
    """formgen：评选表彰活动的表格下发、收集、评分与发布。"""
    ctx.ensure_object(dict)
    ctx.obj["workdir"] = (workdir or Path.cwd()).resolve()


def workdir(ctx: click.Context) -> Path:
    return ctx.find_root().obj["workdir"]


# Helpers every command module uses -------------------------------------------------------------

def open_workspace(ctx: click.Context):
    """The workspace of the ``-C`` directory (or the current one); one Chinese line when there is none."""
    from formgen.workspace import Workspace

    return Workspace.open(workdir(ctx))


def given_path(ctx: click.Context, path: Path) -> Path:
    """A path the user typed, taken relative to the ``-C`` directory (as git does)."""
    return path if path.is_absolute() else workdir(ctx) / path


def console(soft_wrap: bool = False):
    """Where commands print (``soft_wrap``: one line per message, never wrapped at the terminal width)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=soft_wrap)


def esc(text) -> str:
    """User text (names, units, file names) shown literally, never as rich markup."""
    from rich.markup import escape

    return escape(str(text) if text is not None else "")


def rel(ws, path: Path) -> str:
    """``path`` relative to the workspace when inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(ws.root))
    except ValueError:
        return str(path)


def echo_pdfs(ws, paths: list[Path]) -> None:
    """PDFs of ``paths`` in one LibreOffice call, each named as made; without LibreOffice a note, not an error."""
    from formgen.publish.run import SofficeMissing, to_pdf

    if not paths:
        return
    click.echo(f"正在用 LibreOffice 生成 {len(paths)} 个 PDF……")
    try:
        for p in to_pdf(paths):
            click.echo(f"已生成 {rel(ws, p)}")
    except SofficeMissing as e:
        click.echo(f"注意：{e}")


def main() -> None:
    cli(prog_name="formgen")


# Imported for their side effect of adding commands to ``cli`` (they import ``cli`` from here).
from formgen.cli import ballots, check, collect, demo, desk, facts, intake, issue, mail, office, periods, publish, publish_category, review, scorers, scoring, units, workspace  # noqa: E402,F401

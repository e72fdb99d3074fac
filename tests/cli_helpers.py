"""Walking the ``formgen`` command tree and checking that an error is one clean Chinese line."""
from __future__ import annotations

import click

from formgen.cli import cli


def all_commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """(path, command) for every command and subcommand, groups included, in a stable order."""
    out = []
    for name in sorted(group.commands):
        cmd = group.commands[name]
        out.append(((*path, name), cmd))
        if isinstance(cmd, click.Group):
            out += all_commands(cmd, (*path, name))
    return out


def leaf_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    return [(p, c) for p, c in all_commands() if not isinstance(c, click.Group)]


def dummy_args(cmd: click.Command) -> list[str]:
    """Values for the required arguments and options of ``cmd`` that pass click's own checks."""
    args = []
    for p in cmd.params:
        if not p.required:
            continue
        value = "1" if isinstance(p.type, (click.types.IntParamType, click.types.FloatParamType)) else "x"
        if isinstance(p.type, click.Choice):
            value = str(p.type.choices[0])
        if isinstance(p, click.Option):
            args += [p.opts[0], value]
        elif p.nargs == -1:
            args.append(value)
        else:
            args += [value] * max(p.nargs, 1)
    return args


def assert_one_clean_line(res) -> str:
    """The command failed with exactly one line on stderr, in Chinese, and no traceback anywhere."""
    assert res.exit_code not in (0, None), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("错误："), lines[0]
    assert "Traceback" not in res.output and "Traceback" not in res.stderr
    assert "程序内部错误" not in lines[0], lines[0]  # an internal error is a bug, not a clean message
    return lines[0]

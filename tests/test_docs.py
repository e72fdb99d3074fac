"""Every command documents itself: help text in the CLI, and a mention in README.md."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from cli_helpers import all_commands

README = Path(__file__).parents[1] / "README.md"
COMMANDS = [p for p, _ in all_commands()]


def _mentioned(path: tuple[str, ...], text: str) -> bool:
    """``formgen <path>`` appears in the text, possibly with ``-C 目录`` before the command."""
    words = r"\s+".join(map(re.escape, path))
    return re.search(rf"formgen(\s+-C\s+\S+)?\s+{words}(?![\w-])", text) is not None


def test_the_tree_is_walked():
    assert ("collect",) in COMMANDS and len(COMMANDS) >= 14


@pytest.mark.parametrize("path, cmd", all_commands(), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help(path, cmd):
    assert (cmd.help or "").strip(), f"formgen {' '.join(path)} has no help text"
    assert (cmd.short_help or cmd.help).strip()
    for p in cmd.params:  # every option says what it does (click documents arguments in the command's help)
        if isinstance(p, click.Option) and not p.hidden:
            assert (p.help or "").strip(), f"formgen {' '.join(path)} {p.opts[0]} has no help text"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(path):
    text = README.read_text(encoding="utf-8")
    assert _mentioned(path, text), f"README.md does not mention `formgen {' '.join(path)}`"


def test_mention_means_the_command_itself():
    assert _mentioned(("mail", "test"), "运行 formgen mail test 检查")
    assert _mentioned(("status",), "formgen -C 2014评选 status")
    assert not _mentioned(("history",), "formgen history-add")
    assert not _mentioned(("score",), "formgen scorers")

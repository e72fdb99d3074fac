"""Changing campaign.yaml from a command (forms, rubric and notice import) with the clerk's comments kept.

ruamel.yaml's round trip keeps comments, key order and quoting of everything not changed. The new
text is validated as a Campaign before it replaces the file, so a command never leaves behind a
campaign.yaml that ``formgen check`` refuses.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from formgen.errors import ConfigError


def _yaml():
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # long Chinese lines stay on one line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def plain(value):
    """Model data (model_dump) as YAML-friendly plain values: short lists of scalars in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = plain(v)
        return m
    if isinstance(value, (list, tuple)):
        s = CommentedSeq(plain(v) for v in value)
        if all(not isinstance(v, (dict, list, tuple)) for v in value) or all(
                isinstance(v, (list, tuple)) and all(not isinstance(x, (dict, list)) for x in v) for v in value):
            s.fa.set_flow_style()
        return s
    return value


def edit_campaign(path: Path, change: Callable[[dict], None]) -> str:
    """Apply ``change`` to the parsed campaign.yaml at ``path``; write it when it still loads. Returns the text."""
    from formgen.campaign.load import load_campaign_text

    y = _yaml()
    try:
        data = y.load(path.read_text(encoding="utf-8"))
    except Exception as e:  # ruamel's own errors name the line
        raise ConfigError(f"{path.name} 无法读取（{type(e).__name__}），请先用 formgen check 找出并改正错误") from None
    change(data)
    buf = io.StringIO()
    y.dump(data, buf)
    text = buf.getvalue()
    load_campaign_text(text, path.name)  # ConfigError naming the key when the change made it invalid
    from formgen.outputs import write_bytes

    write_bytes(path, text.encode("utf-8"))
    return text

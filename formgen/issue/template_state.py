"""Which templates in ``templates/`` are still what campaign.yaml makes, and which a clerk edited.

Every template formgen writes records two digests in its custom properties:

* ``formgen_source_hash``: of what it was made from (the form's spec and rubric, or the
  issuer for the notice, whose 发文机关标志 is printed text, not a tag);
* ``formgen_body_hash``: of its word/document.xml as written.

When the body is unchanged and the source changed (the clerk changed the issuer in
campaign.yaml after ``init --preset``), the template is remade. A body changed by hand
in Word or WPS is kept, and :func:`notice_differences` / :func:`form_differences` say
where its text differs from the campaign (issuer, 文号, title). Templates formgen made
for form types the campaign no longer has (the preset's old forms) are removed, or
moved to ``templates/不再使用/`` when edited by hand.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from formgen import docxkit as dk
from formgen.anchors import PROP_CAMPAIGN, PROP_FORM_TYPE
from formgen.campaign.model import Campaign
from formgen.forms import FormSpec

PROP_SOURCE = "formgen_source_hash"
PROP_BODY = "formgen_body_hash"
RETIRED_DIR = "不再使用"
MAKER = "templates-2"  # bump when the builders change what a template looks like


@dataclass
class TemplateRefresh:
    """What one pass over templates/ did."""

    written: list[Path] = field(default_factory=list)  # new or remade
    remade: list[Path] = field(default_factory=list)  # the subset remade because their source changed
    removed: list[str] = field(default_factory=list)  # the preset's old forms, unedited: deleted
    retired: list[Path] = field(default_factory=list)  # old forms edited by hand: moved to 不再使用/
    edited: list[Path] = field(default_factory=list)  # kept as the clerk edited them

    def lines(self, rel=str) -> list[str]:
        """One Chinese line per change, for ``issue`` and ``check``."""
        out = [f"campaign.yaml 已修改，模板 {rel(p)} 已按新的设置重新生成" for p in self.remade]
        out += [f"模板 {name} 是预设的旧表格，本活动不再使用，已删除" for name in self.removed]
        out += [f"模板 {p.name} 是预设的旧表格，本活动不再使用；它被手工修改过，已移到 {rel(p)}" for p in self.retired]
        return out


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def source_hash(campaign: Campaign, spec: FormSpec | None, items=()) -> str:
    """Digest of what a template is made from (``spec`` None: the notice; ``items``: the rubric it prints)."""
    if spec is None:
        return _digest([MAKER, campaign.issuer.model_dump(mode="json")])
    items = [i.model_dump(mode="json") for i in items]
    return _digest([MAKER, spec.model_dump(mode="json"), items, campaign.deeds_document_chars])


def is_edited(path: Path) -> bool:
    """True when the template's body is not the one formgen wrote (or formgen did not write it)."""
    recorded = dk.read_custom_properties(path).get(PROP_BODY)
    return recorded is None or dk.part_digest(path) != recorded


def stale(path: Path, source: str) -> bool:
    """A template formgen made from another source than today's campaign.yaml, not edited since."""
    props = dk.read_custom_properties(path)
    return PROP_SOURCE in props and props[PROP_SOURCE] != source and not is_edited(path)


def old_forms(templates_dir: Path, wanted: set[str]) -> list[Path]:
    """Templates formgen made (they carry its campaign property) whose names the campaign no longer issues."""
    out = []
    for path in sorted(Path(templates_dir).glob("*.docx")):
        props = dk.read_custom_properties(path)
        if path.name not in wanted and PROP_CAMPAIGN in props and (PROP_FORM_TYPE in props or PROP_SOURCE in props):
            out.append(path)
    return out


def stamped(data: bytes, props: dict[str, str], source: str) -> bytes:
    """A new template's bytes with its properties, the source digest and the digest of its body."""
    return dk.set_custom_properties(data, {**props, PROP_SOURCE: source, PROP_BODY: dk.part_digest(data)})


def retire_old_forms(templates_dir: Path, wanted: set[str], report: TemplateRefresh) -> None:
    for path in old_forms(templates_dir, wanted):
        if not is_edited(path):
            path.unlink()
            report.removed.append(path.name)
            continue
        target = path.parent / RETIRED_DIR / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.move(str(path), str(target))
        report.retired.append(target)


# ---------------------------------------------------------------------------- differences


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def issuer_mark(texts: list[str]) -> str | None:
    """The 发文机关标志 of a rendered notice: its first texts up to the one ending in 文件 (None: no mark)."""
    head = []
    for t in (t for t in texts if t.strip()):
        head.append(_compact(t))
        if head[-1].endswith("文件"):
            return "".join(head)
        if len(head) >= 6:
            return None
    return None


def notice_differences(campaign: Campaign, rendered: bytes) -> tuple[str | None, list[str]]:
    """(the issuer problem or None, other differences) of a rendered notice against campaign.yaml."""
    texts = dk.block_texts(rendered)
    whole = _compact("".join(texts))
    offices = campaign.issuer.offices
    mark, expected = issuer_mark(texts), "".join(_compact(o) for o in offices) + "文件"
    issuer = None  # only another office's name stops the issue; a notice without a letterhead is said, not refused
    out = [] if mark is not None else [f"没有发文机关标志（campaign.yaml 的发文机关标志应为“{expected}”）"]
    if mark is not None and mark != expected:
        issuer = f"发文机关标志为“{mark}”，campaign.yaml 的发文机关是“{'、'.join(offices)}”"
    number = campaign.issuer.doc_number
    if number and _compact(number) not in whole:
        found = [m for t in texts for m in re.findall(r"[\u4e00-\u9fff]{1,8}[〔\[]\d{4}[〕\]]\d+号", t)]
        got = f"为“{found[0]}”" if found else "中没有"
        out.append(f"发文字号{got}，campaign.yaml 为“{number}”")
    title = campaign.notice.title
    if title and _compact(title) not in whole:
        out.append(f"标题与 campaign.yaml 的“{title}”不同")
    return issuer, out


def form_differences(spec: FormSpec, rendered: bytes) -> list[str]:
    """Where a rendered form template differs from campaign.yaml (its title)."""
    whole = _compact("".join(dk.block_texts(rendered)))
    return [] if _compact(spec.title) in whole else [f"标题与 campaign.yaml 的“{spec.title}”不同"]

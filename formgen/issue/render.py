"""``issue``: per unit, the blank attachments (prefilled with the unit) plus the notice.

Fast path: each template is rendered by docxtpl once, with a sentinel for the
unit name; a unit's blank is then that package with the sentinel replaced by
the XML-escaped unit name in the parts that hold it (document.xml, custom.xml).
Unchanged parts are not even recompressed: they sit in a prebuilt zip to which
the changed parts are appended. ``render_naive`` is the plain docxtpl render,
kept for the benchmark and the equality test.
"""
from __future__ import annotations

import errno
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from formgen import docxkit as dk
from formgen.anchors import (PROP_CAMPAIGN, PROP_FORM_TYPE, PROP_TEMPLATE_VERSION, PROP_UNIT, SUBJECT_ANCHOR,
                             field_anchor, form_anchor, score_anchor)
from formgen.campaign.model import Campaign
from formgen.campaign.scope import forms_for
from formgen.errors import ConfigError, FormgenError
from formgen.filenames import fit_name, safe_filename
from formgen.forms import FormSpec
from formgen.issue.template_state import form_differences, is_edited, notice_differences, old_forms, stale
from formgen.issue.templates import (NOTICE_TEMPLATE, notice_context, refresh_templates, template_name,
                                     template_source, wanted_templates)
from formgen.outputs import write_bytes
from formgen.workspace import Workspace

SENTINEL = "FGUNITSENTINEL7Q3Z"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class UnitIssue:
    unit: str
    folder: Path
    files: list[Path]
    zip: Path


@dataclass
class IssueReport:
    out_dir: Path
    notice: Path
    units: list[UnitIssue] = field(default_factory=list)
    templates_written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def xml_text(value: str) -> str:
    """``value`` escaped for XML text and attributes, characters XML 1.0 forbids removed."""
    return escape(_XML_INVALID.sub("", value), {'"': "&quot;"})


def form_context(campaign: Campaign, unit_name: str) -> dict:
    """What a form template's Jinja tags read."""
    return {"unit_name": unit_name, "campaign_name": campaign.name, "year": campaign.year}


def blank_props(campaign: Campaign, form_type: str, unit_name: str) -> dict[str, str]:
    return {PROP_FORM_TYPE: form_type, PROP_TEMPLATE_VERSION: campaign.template_version,
            PROP_CAMPAIGN: campaign.id, PROP_UNIT: unit_name}


def _docxtpl_render(path: Path, context: dict) -> bytes:
    """docxtpl render of a template; a broken template becomes a message naming it."""
    import jinja2
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(str(path))
        tpl.render(context, autoescape=True)
        dk.drop_styles_with_effects(tpl.docx)  # a template from an older formgen still carries it
        buf = io.BytesIO()
        tpl.save(buf)
    except jinja2.TemplateError as e:
        raise ConfigError(f"模板 {path.name} 中的花括号标记有误（{e}）；请检查 {{{{ }}}} 与 {{% %}} 是否成对完整，"
                          f"或删除该文件后重新运行 formgen issue 以重新生成") from None
    except Exception as e:  # not a .docx any more: python-docx/lxml/zipfile raise many kinds
        raise ConfigError(f"模板 {path.name} 无法打开（{type(e).__name__}）；请删除该文件后重新运行 formgen issue 以重新生成"
                          ) from None
    return buf.getvalue()


def render_naive(path: Path, campaign: Campaign, spec: FormSpec, unit_name: str) -> bytes:
    """One blank the plain way: docxtpl render + custom properties (the reference for the fast path)."""
    data = _docxtpl_render(path, form_context(campaign, unit_name))
    return dk.set_custom_properties(data, blank_props(campaign, spec.type, unit_name))


class Blank:
    """A template rendered once with the sentinel; ``for_unit`` makes a unit's copy in about a millisecond."""

    def __init__(self, data: bytes):
        src = zipfile.ZipFile(io.BytesIO(data))
        needle = SENTINEL.encode()
        fixed = io.BytesIO()
        self.changing: list[tuple[zipfile.ZipInfo, str]] = []
        with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                body = src.read(info.filename)
                if needle in body:
                    self.changing.append((info, body.decode("utf-8")))
                else:
                    out.writestr(info, body)
        self.prefix = fixed.getvalue()

    def for_unit(self, unit_name: str) -> bytes:
        value = xml_text(unit_name)
        buf = io.BytesIO(self.prefix)
        buf.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for info, text in self.changing:
                out.writestr(info, text.replace(SENTINEL, value).encode("utf-8"))
        return buf.getvalue()


def _check_template(spec: FormSpec, path: Path, rendered: bytes, campaign: Campaign) -> list[str]:
    """Warnings for a template a user edited: lost bookmarks (value cells) or an old rubric version."""
    have = dk.bookmark_names(rendered)
    wanted = {field_anchor(f.key): f.label for f in spec.fields}
    wanted.update({score_anchor(i): f"{it.name}的得分" for i, it in enumerate(spec.items)})
    if spec.items and spec.subject:
        wanted[SUBJECT_ANCHOR] = "参评对象"
    wanted[form_anchor(spec.type)] = "标题"
    lost = [label for name, label in wanted.items() if name not in have]
    out = []
    if lost:
        out.append(f"模板 {path.name} 缺少以下填写格的隐藏书签：{'、'.join(lost)}；回收时这些内容将按标签识别，"
                   f"可能不够准确（删除该模板后重新运行 formgen issue 可恢复）")
    version = dk.read_custom_properties(path).get(PROP_TEMPLATE_VERSION)
    if version and version != campaign.template_version:
        out.append(f"模板 {path.name} 的版本为 {version}，活动配置为 {campaign.template_version}：评分细则可能已修改，"
                   f"如需更新请删除该模板后重新运行 formgen issue")
    return out


def _write(path: Path, data: bytes) -> Path:
    try:
        return write_bytes(path, data)
    except PermissionError:
        raise FormgenError(f"无法写入 {path}（文件可能正在 Word 或 WPS 中打开），请关闭后重试") from None
    except OSError as e:
        if e.errno == errno.ENAMETOOLONG:
            raise FormgenError(f"无法写入 {path.name[:30]}…：文件名过长；请在单位名单中缩短单位名称后重试") from None
        raise FormgenError(f"无法写入 {path}（{e.strerror}），请检查磁盘空间和目录权限") from None


def select_units(workspace: Workspace, names: list[str] | None) -> list[str]:
    """The units to issue to: all of units.xlsx, or the named ones (each must be listed there)."""
    listed = [u.name for u in workspace.units]
    if not names:
        return listed
    missing = [n for n in names if n not in listed]
    if missing:
        raise ConfigError(f"单位名单 {workspace.campaign.units_file} 中没有“{'”“'.join(missing)}”；"
                          f"请检查名称是否与名单完全一致")
    return list(dict.fromkeys(names))


def issue_forms(workspace: Workspace, units: list[str] | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> IssueReport:
    """Write out/issue/通知.docx, out/issue/<单位>/附件N_…（单位）.docx and out/issue/<单位>.zip."""
    start = time.perf_counter()
    campaign = workspace.campaign
    names = select_units(workspace, units)
    refresh = refresh_templates(campaign, workspace.templates_dir)
    edited = {p.name for p in refresh.edited}
    # The office's own notice (formgen notice import) may hold {{ unit_name }}: then each unit's copy names it.
    notice = _docxtpl_render(workspace.templates_dir / NOTICE_TEMPLATE,
                             {**notice_context(campaign), "unit_name": SENTINEL})
    issuer, notice_diffs = notice_differences(campaign, notice) if NOTICE_TEMPLATE in edited else (None, [])
    if issuer:  # never a notice under another office's name without a word: refused before anything is written
        raise ConfigError(f"模板 templates/{NOTICE_TEMPLATE} 是手工修改过的，其中{issuer}；通知不会这样下发。"
                          f"请在 Word 中改正模板，或删除该模板后重新运行 formgen issue，按 campaign.yaml 重新生成")
    out_dir = workspace.out_dir("issue")
    report = IssueReport(out_dir=out_dir, notice=out_dir / NOTICE_TEMPLATE, templates_written=refresh.written)
    report.warnings += refresh.lines(lambda p: f"templates/{Path(p).relative_to(workspace.templates_dir).as_posix()}")
    report.warnings += [f"模板 {NOTICE_TEMPLATE}（已手工修改，保留）：{d}" for d in notice_diffs]

    blanks: list[tuple[str, Blank]] = []
    for spec in campaign.form_specs():
        path = workspace.templates_dir / template_name(spec)
        rendered = _docxtpl_render(path, form_context(campaign, SENTINEL))
        report.warnings += _check_template(spec, path, rendered, campaign)
        if path.name in edited:
            report.warnings += [f"模板 {path.name}（已手工修改，保留）：{d}" for d in form_differences(spec, rendered)]
        data = dk.set_custom_properties(rendered, blank_props(campaign, spec.type, SENTINEL))
        blanks.append((Path(template_name(spec)).stem, Blank(data), spec.type))

    notice = dk.set_custom_properties(notice, {PROP_TEMPLATE_VERSION: campaign.template_version,
                                              PROP_CAMPAIGN: campaign.id})
    notice_blank = Blank(notice)
    notice_blank = notice_blank if notice_blank.changing else None
    if notice_blank is not None:
        notice = notice_blank.for_unit("各单位")
    report.notice = _write(report.notice, notice)

    used: set[str] = set()
    category = {u.name: u.category for u in workspace.units}
    for n, name in enumerate(names):
        safe = safe_filename(name)
        while safe.lower() in used:  # two names that differ only in forbidden characters
            safe += "_"
        used.add(safe.lower())
        folder = out_dir / safe
        folder.mkdir(exist_ok=True)
        files = []
        zbuf = io.BytesIO()
        with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_STORED) as z:  # .docx are compressed already
            z.writestr(NOTICE_TEMPLATE, notice_blank.for_unit(name) if notice_blank else notice)
            owed = forms_for(campaign, category.get(name))
            for stem, blank, form_type in blanks:
                if form_type not in owed:  # the unit's category is outside every award using it
                    continue
                data = blank.for_unit(name)
                path = folder / fit_name(f"{stem}（", safe, "）.docx")
                z.writestr(path.name, data)
                files.append(_write(path, data))
        zpath = out_dir / f"{safe}.zip"
        zpath = _write(zpath, zbuf.getvalue())
        report.units.append(UnitIssue(unit=name, folder=folder, files=files, zip=zpath))
        if progress:
            progress(n + 1, len(names), name)
    report.seconds = time.perf_counter() - start
    return report


def template_findings(campaign: Campaign, templates_dir: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) ``check`` says about templates/ without changing it: stale ones, the preset's old forms,
    hand edits that differ from campaign.yaml; a notice under another issuer is an error (``issue`` refuses it)."""
    errors, out = [], []
    wanted = wanted_templates(campaign)
    for name, spec in wanted.items():
        path = Path(templates_dir) / name
        if not path.exists():
            continue
        if stale(path, template_source(campaign, spec)):
            out.append(f"模板 {name} 是按修改前的 campaign.yaml 生成的，formgen issue 时将重新生成")
            continue
        if not is_edited(path):
            continue
        try:
            rendered = _docxtpl_render(path, notice_context(campaign) if spec is None else form_context(campaign, ""))
        except ConfigError as e:  # a broken template: the same line issue gives
            errors.append(str(e))
            continue
        if spec is None:
            issuer, diffs = notice_differences(campaign, rendered)
            if issuer:
                errors.append(f"模板 {name}（已手工修改）：{issuer}；formgen issue 不会下发这份通知，"
                              "请在 Word 中改正，或删除该模板后重新运行 formgen issue")
        else:
            diffs = form_differences(spec, rendered)
        out += [f"模板 {name}（已手工修改）：{d}" for d in diffs]
    out += [f"模板 {p.name} 是预设的旧表格，本活动不再使用；formgen issue 时将移走" for p in old_forms(templates_dir, set(wanted))]
    return errors, out

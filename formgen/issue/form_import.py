"""``formgen forms import 推荐表.docx``: the office's own form becomes one of the campaign's form types.

1. read it with the grid and label rules that read returns (:mod:`formgen.issue.form_fields`);
2. the template is the office's file with anchors added — a bookmark in each blank, one on the title,
   the unit's name after ``推荐单位：`` — and nothing else changed (:class:`formgen.docxkit.OfficeDocument`);
3. the form type goes into campaign.yaml (``forms:``, and the award's ``nomination_form``), with the
   comments kept; what could not be decided is listed.

The original file is only read. A return typed into the issued blank reads back by its anchors; one
typed into last year's un-anchored original is read by its labels, the same FieldSpecs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from formgen import docxkit as dk
from formgen.anchors import field_anchor, form_anchor
from formgen.campaign.yaml_edit import edit_campaign, plain
from formgen.errors import ConfigError
from formgen.forms import BUILTIN_FORMS, FormSpec
from formgen.intake.normalize import label_key
from formgen.issue.form_fields import FormProposal, Place, propose
from formgen.issue.office_file import OfficeFile, open_office_file
from formgen.issue.templates import UNIT_TAG
from formgen.outputs import write_bytes
from formgen.workspace import Workspace

# The award's subject → the form's subject and the key of the field that names a nominee.
SUBJECT_OF = {"person": "candidate", "post": "post", "window": "unit", "unit": "unit", "hall": "unit",
              "department": "unit"}
NAME_FIELDS = {"person": ["name"], "post": ["post"], "window": ["window"], "hall": ["window", "group_name"],
               "unit": ["group_name", "office_name", "recommending_unit"],
               "department": ["office_name", "group_name", "department"]}


@dataclass
class FormImport:
    spec: FormSpec
    proposal: FormProposal
    template: Path
    award: str | None
    undecided: list[str] = field(default_factory=list)
    written: bool = False


def clean_title(title: str) -> str:
    """``____年度优秀网格员推荐表`` → ``优秀网格员推荐表``; ``2025年度“X”推荐表`` → ``“X”推荐表``."""
    t = re.sub(r"^[\s_＿]*(?:\d{4}|[_＿]+)?\s*年度?", "", title.strip())
    return re.sub(r"[_＿]+", "", t).strip() or title.strip()


def title_keywords(title: str) -> list[list[str]]:
    """Words that recognise the form when it carries no anchors: the quoted honour and the kind of 表."""
    quoted = re.findall(r"[“\"「](.+?)[”\"」]", title)
    kind = re.search(r"(推荐表|申报表|登记表|审批表|评分表|考核表|推荐审批表|汇总表)$", label_key(title))
    if quoted and kind:
        return [[quoted[0], kind.group(1)]]
    core = label_key(clean_title(title)).strip("“”\"")
    return [[core]] if core else []


def _form_type(campaign, award, given: str | None, title: str) -> str:
    taken = set(BUILTIN_FORMS) | {f.type for f in campaign.forms}
    if given:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,30}", given):
            raise ConfigError(f"--type {given}：表格类型应为英文小写字母、数字和下划线，如 window_nomination")
        return given
    base = f"{award.subject}_nomination" if award else "office_form"
    if "评分" in title or "考核表" in title:
        base = f"{award.subject}_score_sheet" if award else "office_score_sheet"
    key, n = base, 2
    while key in taken and not any(f.type == key and f.title == title for f in campaign.forms):
        key, n = f"{base}_{n}", n + 1
    return key


def _attachment_no(of: OfficeFile) -> int | None:
    for line in of.grid.lines[:4]:
        m = re.fullmatch(r"附件\s*(\d+)", label_key(line.text))
        if m:
            return int(m.group(1))
    return None


def _pick_award(campaign, award_id: str | None):
    if award_id:
        try:
            return campaign.award(award_id)
        except KeyError:
            raise ConfigError(f"--award {award_id}：campaign.yaml 中没有这个奖项（可选："
                              f"{'、'.join(a.id for a in campaign.awards)}）") from None
    return campaign.awards[0] if len(campaign.awards) == 1 else None


def build_spec(proposal: FormProposal, form_type: str, title: str, subject: str | None,
               attachment_no: int | None, template: str) -> FormSpec:
    return FormSpec(type=form_type, title=title, title_keywords=title_keywords(title), subject=subject,
                    attachment_no=attachment_no, template=template, fields=[p.spec for p in proposal.fields])


def anchored_template(of: OfficeFile, proposal: FormProposal, form_type: str) -> bytes:
    """The office's file with a bookmark in each blank (and on the title), the unit-name tag after
    ``推荐单位：``; the rest of the package as it was."""
    doc = dk.OfficeDocument(of.data)
    tables = doc.tables()
    paragraphs = doc.paragraphs()

    def container(place: Place):
        if place.line is not None:
            return paragraphs[place.line] if place.line < len(paragraphs) else None
        if place.table is None or place.table >= len(tables):
            return None
        return tables[place.table].get((place.row, place.col))

    for pf in proposal.fields:
        target = container(pf.place)
        if target is None:
            proposal.undecided.append(f"“{pf.spec.label}”（{pf.where}）找不到对应的 Word 单元格，未加隐藏书签，回收时按标签读取")
            continue
        if pf.unit_line:
            text = dk.element_text(target)
            m = re.search(rf"{re.escape(pf.spec.label)}\s*(?:[（(]\s*盖章\s*[）)])?\s*[:：]", text)
            if not (m and doc.insert_after_text(target, m.group(0)[-1], UNIT_TAG)):
                proposal.undecided.append(f"“{pf.spec.label}”一行无法填入单位名称，下发的表中此处留空")
        doc.bookmark(target, field_anchor(pf.spec.key))
    if proposal.title_place is not None:
        target = container(proposal.title_place)
        if target is not None:
            doc.bookmark(target, form_anchor(form_type))
    return doc.save()


def import_form(workspace: Workspace, path: Path, award_id: str | None = None, form_type: str | None = None,
                write: bool = True) -> FormImport:
    """Read the office's form, write its anchored template and its form type into campaign.yaml."""
    campaign = workspace.campaign
    of = open_office_file(path)
    proposal = propose(of.grid)
    if not proposal.fields:
        raise ConfigError(f"{Path(path).name}：表格里没有找到“标签—填写格”（如“姓名”旁的空格），不能作为表格导入；"
                          f"评分表请用 formgen rubric import")
    award = _pick_award(campaign, award_id)
    title = proposal.title or Path(path).stem
    ftype = _form_type(campaign, award, form_type, title)
    display_title = clean_title(title)
    attachment = _attachment_no(of)
    name = f"附件{attachment}_{display_title}.docx" if attachment else f"{display_title}.docx"
    name = re.sub(r'[\\/:*?"<>|“”]', "", name)
    subject = SUBJECT_OF.get(award.subject) if award else None
    data = anchored_template(of, proposal, ftype)
    spec = build_spec(proposal, ftype, display_title, subject, attachment, name)
    undecided = list(proposal.undecided)
    if award is None:
        undecided.append("campaign.yaml 中有几个奖项，不知道这张表属于哪一个：请加 --award 奖项编号 重新导入"
                         if len(campaign.awards) > 1 else "没有奖项")
    name_field = None
    if award is not None:
        name_field = next((k for k in NAME_FIELDS.get(award.subject, []) if k in spec.keys), None)
        if name_field is None:
            name_field = next((f.key for f in spec.fields if f.kind == "text" and f.position != "line"), spec.keys[0])
            undecided.append(f"不知道哪一栏是参评对象（{award.name}）的名称，暂用“{spec.field(name_field).label}”（{name_field}）；"
                             f"如不对，请把 campaign.yaml 中奖项的 name_field 改为其中一个键（{'、'.join(spec.keys)}）")
    if of.converted_from:
        undecided.append(f"原文件是 .{of.converted_from}，已由 LibreOffice 转为 .docx 作为模板；请在 Word 中打开模板看一眼版式")
    report = FormImport(spec=spec, proposal=proposal, template=workspace.templates_dir / name,
                        award=award.id if award else None, undecided=undecided)
    if not write:
        return report

    def change(data_yaml):
        forms = data_yaml.get("forms")
        if forms is None:
            data_yaml["forms"] = forms = plain([])
        entry = plain(spec.model_dump(exclude_defaults=True))
        for i, f in enumerate(forms):
            if f.get("type") == ftype:
                forms[i] = entry
                break
        else:
            forms.append(entry)
        if award is not None:
            for a in data_yaml["awards"]:
                if a["id"] == award.id:
                    a["nomination_form"] = ftype
                    if name_field:
                        a["name_field"] = name_field

    workspace.templates_dir.mkdir(parents=True, exist_ok=True)
    edit_campaign(workspace.campaign_file, change)
    write_bytes(report.template, data)
    report.written = True
    return report

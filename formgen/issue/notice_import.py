"""``formgen notice import 通知.docx``: the office's own notice is the one ``formgen issue`` sends.

* Where it has a place for the unit's name (a 主送 line of underscores, ``____（单位）：``), the
  unit-name tag goes there and every unit gets the notice with its own name.
* The deadlines it states (``于2025年3月31日前报送``) are checked against the campaign's settings.
* It is checked against GB/T 9704-2012 with the checks ../shared/tools/gbt9704_check.py makes;
  problems are listed, never rewritten.

The original is only read; the template is a copy with the tag added.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from formgen import docxkit as dk
from formgen.issue.office_file import open_office_file
from formgen.issue.templates import NOTICE_TEMPLATE, UNIT_TAG
from formgen.outputs import write_bytes
from formgen.workspace import Workspace

_UNIT_PLACE = re.compile(r"^\s*([_＿]{3,}|[_＿]*\s*[（(]\s*单位(?:名称)?\s*[）)]\s*[_＿]*)\s*[:：]\s*$")
_DEADLINE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:\d{1,2}\s*[:：时点]\s*\d{0,2}\s*分?)?\s*"
                       r"(?:前|之前|以前|截止)")
MARGINS = {"top": 37, "left": 28, "bottom": 35, "right": 26}


@dataclass
class NoticeImport:
    template: Path
    unit_place: str | None
    deadline_problems: list[str] = field(default_factory=list)
    format_problems: list[str] = field(default_factory=list)


def deadline_problems(text: str, submit: dt.datetime) -> list[str]:
    """Each stated deadline that is not the campaign's ``deadlines.submit`` day."""
    out = []
    found = False
    for m in _DEADLINE.finditer(text):
        found = True
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            out.append(f"通知中的“{m.group(0)}”不是有效日期")
            continue
        if day != submit.date():
            out.append(f"通知写的是“{m.group(0)}”，活动设置的报送截止为 {submit.year}年{submit.month}月{submit.day}日；"
                       "请改正通知或 campaign.yaml 的 deadlines.submit，使两者一致")
    if not found:
        out.append("通知中没有找到“X年X月X日前”报送的截止日期，请确认通知写明了报送期限")
    return out


def gbt9704_problems(facts: dict, text: str) -> list[str]:
    """The checks of ../shared/tools/gbt9704_check.py (1–7), each failed one as a line."""
    out = []
    w, h = facts["page_mm"]
    if not (w and h and abs(w - 210) < 1 and abs(h - 297) < 1):
        out.append(f"纸张应为 A4（210×297 mm），实际为 {w and round(w)}×{h and round(h)} mm")
    got = facts["margins_mm"]
    bad = [f"{name}{round(got.get(k) or 0, 1):g}" for k, name in (("top", "上"), ("bottom", "下"), ("left", "左"),
                                                                   ("right", "右"))
           if got.get(k) is None or abs(got[k] - MARGINS[k]) > 1.5]
    if bad:
        out.append(f"页边距应为上37、下35、左28、右26 mm，实际为{'、'.join(bad)} mm")
    font, size, pitch = facts["body_font"], facts["body_pt"], facts["line_pitch_pt"]
    if not (font and "仿宋" in font and size == 16 and pitch and 28.0 <= pitch <= 29.5):
        out.append(f"正文应为3号（16磅）仿宋、每页22行（行距约28.95磅），实际为 {font or '未设置'}、{size or '未设置'}磅、"
                   f"行距网格{pitch or '未设置'}")
    title = next((p for p in facts["paragraphs"] if re.search("关于|通知|通报|决定", p["text"]) and len(p["text"]) > 6), None)
    if not (title and title["font"] and "宋" in title["font"] and title["size"] == 22 and title["align"] == "center"):
        out.append("标题应为2号（22磅）小标宋、居中" + (f"，实际为 {title['font']}、{title['size']}磅、"
                                                 f"{'居中' if title['align'] == 'center' else '未居中'}" if title else "，未找到标题"))
    if not re.search(r"〔\d{4}〕\s*\d*\s*号", text):
        out.append("没有发文字号（如 青效办〔2025〕3号，年份用六角括号〔〕）")
    if re.search(r"[\[［(（【]\d{4}[\]］)）】]\s*\d*\s*号", text):
        out.append("发文字号的年份应用六角括号〔〕，不用方括号或圆括号")
    zeros = re.findall(r"\d{4}年0\d月|\d{1,2}月0\d日", text)
    if zeros:
        out.append(f"日期不编虚位（如“{zeros[0]}”应写作不带0的月日）")
    feet = facts["footers"]
    if not (feet and facts["even_odd_footers"] and all(f["page_field"] and "—" in f["text"] and f["size"] == 14
                                                          for f in feet)
            and {"right", "left"} <= {f["align"] for f in feet}):
        out.append("页码应为4号（14磅）宋体“— 1 —”，单页居右、双页居左")
    if "印发" not in text[-600:]:
        out.append("没有版记（末页的“××× 年×月×日印发”）")
    return out


def import_notice(workspace: Workspace, path: Path) -> NoticeImport:
    of = open_office_file(path, need_table=False)
    doc = dk.OfficeDocument(of.data)
    unit_place = None
    for i, p in enumerate(doc.paragraphs()):
        text = dk.element_text(p)
        m = _UNIT_PLACE.match(text)
        if m and doc.replace_run_text(p, m.group(1).strip(), UNIT_TAG):
            unit_place = f"正文第{i + 1}段“{text.strip()}”"
            break
    text = "\n".join(ln.text for ln in of.grid.lines)
    report = NoticeImport(template=workspace.templates_dir / NOTICE_TEMPLATE, unit_place=unit_place)
    report.deadline_problems = deadline_problems(text, workspace.campaign.deadlines.submit)
    report.format_problems = gbt9704_problems(dk.document_facts(of.data), text)
    write_bytes(report.template, doc.save())
    return report

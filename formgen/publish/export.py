"""``formgen export``: the collected nominations as one workbook for the office one level up.

A city sends the province a 推荐人选汇总表: a row per nominee, a column per field of
the nomination form. Which columns go is a choice about personal data
(formgen.privacy): ``public`` keeps 姓名, 单位, 职务…; ``internal`` (the default)
adds the working content (出生年月, 学历, 事迹…); ``all`` adds 身份证号, 手机, 住址 and the
like, and the caller must say so on screen.

Example: ``export_nominations(ws, "internal")`` writes ``out/export/推荐人选汇总表.xlsx``
with one sheet per nomination form type (申报表, 推荐表…); ``public`` and ``all`` get
files of their own names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from formgen.errors import FormgenError
from formgen.forms import FormSpec
from formgen.ledger.forms import effective_forms
from formgen.privacy import LEVEL_NAMES, LEVELS, allowed
from formgen.workspace import Workspace
from formgen.xlsx import BORDER, WRAP, fit_width, header_row, print_setup, set_value, sheet_title

# One file per level, so that a public copy never overwrites the internal one (or the reverse).
FILE_NAMES = {"public": "推荐人选汇总表（公开信息）.xlsx", "internal": "推荐人选汇总表.xlsx",
              "personal": "推荐人选汇总表（含个人信息）.xlsx"}


@dataclass
class Exported:
    path: Path
    rows: int
    level: str
    # (form title, labels) of the columns left out at this level
    withheld: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def personal_included(self) -> bool:
        return self.level == "personal"


def parse_level(text: str) -> str:
    """``public`` / ``internal`` / ``all`` (= personal) as the command line spells them."""
    level = {"all": "personal"}.get(text, text)
    if level not in LEVELS:
        raise FormgenError(f"--fields 只能是 public（只含公开信息）、internal（含内部信息，默认）或 all（含个人信息），"
                           f"不能是“{text}”")
    return level


def nomination_specs(ws: Workspace) -> list[FormSpec]:
    """The nomination forms of the campaign's awards (what names a nominee), in award order."""
    c = ws.campaign
    seen, out = set(), []
    for a in c.awards:
        if a.nomination_form and a.nomination_form not in seen:
            seen.add(a.nomination_form)
            out.append(c.form_spec(a.nomination_form))
    return out


def export_nominations(ws: Workspace, level: str = "internal") -> Exported:
    """Write the 推荐人选汇总表 with the fields of ``level`` and below; returns what was written."""
    specs = nomination_specs(ws)
    if not specs:
        raise FormgenError("本活动没有推荐表或申报表（奖项未设 nomination_form），无可导出的推荐人选")
    wb = Workbook()
    wb.remove(wb.active)
    done = Exported(ws.out_dir("export") / FILE_NAMES[level], 0, level)
    with ws.ledger() as ledger:
        forms = {s.type: effective_forms(ledger, form_type=s.type) for s in specs}
    for spec in specs:
        shown = [f for f in spec.fields if allowed(f.level, level)]
        hidden = [f.label for f in spec.fields if not allowed(f.level, level)]
        if hidden:
            done.withheld.append((spec.title, hidden))
        sheet = wb.create_sheet(sheet_title(spec.title, wb.sheetnames))
        headers = ["序号", "报送单位", *[f.label for f in shown]]
        rows = [[n, form.unit or "（未认定单位）", *[form.fields.get(f.key) for f in shown]]
                for n, form in enumerate(sorted(forms[spec.type], key=lambda x: (x.unit or "", x.id)), start=1)]
        widths = [6, 20, *[fit_width([f.label, *(str(r[i + 2] or "") for r in rows)], 8, 40)
                           for i, f in enumerate(shown)]]
        header_row(sheet, 1, headers, widths)
        for r, values in enumerate(rows, start=2):
            for col, v in enumerate(values, start=1):
                cell = sheet.cell(r, col)
                set_value(cell, v)
                cell.border, cell.alignment = BORDER, WRAP
        done.rows += len(rows)
        sheet.freeze_panes = "C2"
        print_setup(sheet, title_rows="1:1")
    note = wb.create_sheet("说明")
    set_value(note.cell(1, 1), f"本表含{LEVEL_NAMES[level]}及以下级别的信息（公开 < 内部 < 个人）。")
    for n, (title, labels) in enumerate(done.withheld, start=2):
        set_value(note.cell(n, 1), f"{title}：未导出 {'、'.join(labels)}")
    if level == "personal":
        set_value(note.cell(len(done.withheld) + 2, 1),
                  "本表含身份证号、联系电话、住址等个人信息：只报送确需的上级机关，不得公开或转发。")
    note.column_dimensions["A"].width = 90
    done.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        wb.save(done.path)
    except PermissionError:
        raise FormgenError(f"无法写入 {done.path.name}：文件可能正在 Excel/WPS 中打开，请关闭后重试") from None
    return done


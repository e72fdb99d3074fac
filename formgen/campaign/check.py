"""``formgen check``: campaign.yaml and units.xlsx validated without running anything.

Every problem is one Chinese line naming the file, the full key path (or the
row) and the valid choices. Loading stops at the first problem of
campaign.yaml (its later keys may depend on it); the units are checked against
the campaign's categories row by row, and every unit category an award names
must have at least one unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from formgen.campaign.load import load_campaign, read_units
from formgen.campaign.model import Campaign, Unit
from formgen.errors import ConfigError


@dataclass
class CheckReport:
    campaign: Campaign | None = None
    units: list[Unit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """The one line ``formgen check`` prints when everything passed."""
        c = self.campaign
        rules = sum(len(i.rules) for a in c.awards for rb in (a.rubric, *a.category_rubrics.values()) for i in rb.items)
        return (f"检查通过：{c.name}；{len(c.awards)} 个奖项、{rules} 条评分细则、{len(c.form_specs())} 种表格；"
                f"单位名单 {len(self.units)} 个单位（{len(c.categories)} 个类别）。")


def check_workspace(root: Path, campaign_file: str = "campaign.yaml") -> CheckReport:
    """Load campaign.yaml and the units of ``root``; an error only when there is no campaign.yaml."""
    if not (Path(root) / campaign_file).exists():
        raise ConfigError(f"{root} 中没有 {campaign_file}；请在工作目录中运行，或用 -C 指定工作目录")
    report = CheckReport()
    try:
        report.campaign = load_campaign(Path(root) / campaign_file, references=False)
    except ConfigError as e:
        report.errors.append(str(e))
        return report
    c = report.campaign
    report.errors += reference_errors(c, campaign_file)
    report.errors += input_source_errors(c, campaign_file)
    units_path = Path(root) / c.units_file
    try:
        report.units, match = read_units(units_path)
    except ConfigError as e:
        report.errors.append(str(e))
        return report
    report.errors += column_problems(match, units_path.name)
    report.warnings += column_warnings(match, units_path.name)
    report.errors += unit_problems(c, report.units, units_path.name)
    report.warnings += scope_warnings(c, report.units)
    report.warnings += shared_email_warnings(report.units, units_path.name)
    return report


def reference_errors(c: Campaign, file_name: str) -> list[str]:
    """Every name campaign.yaml uses and does not define (layout keys, fields, forms, categories, judges, templates)."""
    from formgen.campaign.references import reference_problems

    return reference_problems(c, file_name)


def input_source_errors(c: Campaign, file_name: str) -> list[str]:
    """Every condition whose input has no source (formgen.campaign.sources)."""
    from formgen.campaign.sources import source_problems

    return source_problems(c, file_name)


def shared_email_warnings(units: list[Unit], file_name: str) -> list[str]:
    """One address listed for two units: mail from it cannot tell which unit sent it."""
    owners: dict[str, list[str]] = {}
    for u in units:
        for address in u.emails():
            owners.setdefault(address.lower(), []).append(u.name)
    return [f"{file_name}：邮箱 {a} 同时登记给了{'、'.join(names)}；从这个邮箱发来的材料无法判断是哪个单位报送的，"
            "请为各单位分别登记邮箱" for a, names in owners.items() if len(set(names)) > 1]


def unit_problems(c: Campaign, units: list[Unit], file_name: str) -> list[str]:
    cats = [x.name for x in c.categories]
    out = []
    for n, u in enumerate(units, start=2):
        row = u.row or n
        if cats and u.category not in cats:
            got = f"“{u.category}”" if u.category else "空白"
            out.append(f"{file_name}：第 {row} 行（{u.name}）：类别为{got}，不在 campaign.yaml 的 categories 中"
                       f"（可选：{'、'.join(cats)}）")
    return out


def column_problems(match, file_name: str) -> list[str]:
    """Rows of units.xlsx whose address is not one (the unit then gets no mail at all)."""
    return [f"{file_name}：第 {line} 行{text}；请改正后重新运行" for line, text in match.problems if "邮箱" in text]


def column_warnings(match, file_name: str) -> list[str]:
    """Columns read by a guess, and columns not read: never dropped without a word."""
    from openpyxl.utils import get_column_letter

    from formgen.campaign.unit_columns import FIELD_LABEL

    out = [f"{file_name}：第 {get_column_letter(g.column + 1)} 列“{g.header}”按“{FIELD_LABEL[g.field]}”读取；"
           f"如不对，请把表头改为“{FIELD_LABEL[g.field]}”以外的名称" for g in match.guesses]
    out += [f"{file_name}：第 {get_column_letter(i + 1)} 列“{h}”不是单位名单的已知列（单位名称、类别、联系人、电话、邮箱），"
            "已保留但不使用" for i, h in match.extra]
    return out


def scope_warnings(c: Campaign, units: list[Unit]) -> list[str]:
    present = {u.category for u in units}
    out = []
    for n, a in enumerate(c.awards):
        for cat in a.categories:
            if cat not in present:
                out.append(f"campaign.yaml：awards[{n}].categories：奖项“{a.name}”面向的类别“{cat}”在单位名单中没有任何单位")
    return out


def field_levels(c: Campaign) -> list[str]:
    """Per form field, one line: its level (formgen.privacy) and where its value may go.

    The clerk changes a level with ``sensitivity: public|internal|personal`` on the field in
    campaign.yaml; a non-public field printed on the 公示名单 needs ``publication.disclose``.
    """
    from formgen.privacy import LEVEL_NAMES

    disclosed = {d.field: d.reason for d in c.publication.disclose}
    where = {"public": "公开文件、评委、本单位", "internal": "评委、本单位（不上公开文件）",
             "personal": "只在本单位台账中；评委看不到，查看者看到的是遮盖后的值"}
    out = []
    for spec in c.form_specs():
        for f in spec.fields:
            source = "本活动设定" if f.sensitivity else "默认"
            line = f"{spec.title}：{f.label}（{f.key}）：{LEVEL_NAMES[f.level]}（{source}）；{where[f.level]}"
            if f.key in disclosed:
                line += f"；经同意公开：{disclosed[f.key]}"
            out.append(line)
    return out

"""Sample returns and scorers' inputs of the category presets (anhui-provincial, kunshan-awards).

The data are files in the preset's ``sample/`` folder (reports.yaml,
subscores.yaml, applications.yaml); this module only writes them the way units
and scorers would: self-check reports as Word documents of their own (titles
vary), applications typed into the issued blanks, sub-scores and review
records typed into the workbooks ``formgen scorers`` issues — with the usual
mistakes the yaml lists (a report not sent, one far over 2000 characters, a
department scoring an item it does not own, a value in words, a missing
monthly average, a hall sending the window form).
"""
from __future__ import annotations

import os
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import docx
import yaml
from openpyxl import load_workbook

from formgen.anchors import PROP_UNIT, field_anchor
from formgen.docxkit import read_custom_properties, set_custom_properties
from formgen.campaign.presets import preset_dir
from formgen.sample.fill import issued_blanks
from formgen.sample.keyboard import open_blank, save_as_returned, type_lines
from formgen.scoring.subscore_book import FIRST_ROW, SCORER_CELL, book_name, meta_columns


def _sample(preset: str, name: str):
    return yaml.safe_load((preset_dir(preset) / "sample" / name).read_text(encoding="utf-8"))


def _stamp(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def _arrival(rng: random.Random, deadline: datetime) -> datetime:
    return (deadline - timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8))).replace(microsecond=0)


def _fill_blank(blank: Path, values: dict, target: Path, author: str, when: datetime, placeholders=()) -> None:
    doc = open_blank(blank)
    for key, value in values.items():
        if value in (None, ""):
            continue
        type_lines(doc, field_anchor(key), str(value).split("\n"), placeholders=placeholders,
                   prose=len(str(value)) > 60)
    save_as_returned(doc, target, author, when)
    _stamp(target, when)


# ---------------------------------------------------------------------------------------------
# anhui-provincial
# ---------------------------------------------------------------------------------------------

def write_anhui_returns(workspace, seed: int = 2013) -> list[Path]:
    """Each unit's self-check report into forms_in/ (none from the units that forgot)."""
    data = _sample("anhui-provincial", "reports.yaml")
    rng = random.Random(seed)
    deadline = workspace.campaign.deadlines.submit
    dest = workspace.forms_in
    dest.mkdir(exist_ok=True)
    out = []
    for u in workspace.units:
        if u.name in data["missing"]:
            continue
        when = _arrival(rng, deadline)
        paras = [p for p in data["paragraphs"]]
        if u.name in data["too_long"]:
            paras[-1:-1] = [data["extra_paragraph"]] * 10
        body = "\n".join(paras)
        if u.name in data["template"]:
            blank = issued_blanks(workspace, u.name)["self_check_report"]
            target = dest / f"{u.name}-自查报告（表格）.docx"
            _fill_blank(blank, {"text": body}, target, u.contact, when)
        else:
            title = rng.choice(data["titles"]).format(unit=u.name)
            doc = docx.Document()
            doc.add_heading(title, level=1)
            doc.add_paragraph(f"{u.name}（盖章）")
            for p in paras:
                doc.add_paragraph(p)
            doc.add_paragraph(f"{u.name}\n2013年1月{rng.randint(8, 30)}日")
            target = dest / f"{u.name}{rng.choice(['自查报告', '2012年度效能建设自查报告', '效能建设工作自查情况'])}.docx"
            doc.core_properties.author = u.contact or ""
            doc.save(str(target))
            _stamp(target, when)
        out.append(target)
    return out


def _meta(wb) -> dict[str, list[tuple]]:
    return meta_columns(wb)


def _rows(ws) -> dict[str, int]:
    """Nominee key → row; the unit is the key's part before the first colon."""
    out = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        key = ws.cell(r, 1).value
        if key:
            out[str(key)] = r
    return out


def fill_anhui_scorers(workspace, books: list[Path]) -> list[Path]:
    """The departments' returned workbooks in out/scorers/returned/ (with the yaml's mistakes)."""
    data = _sample("anhui-provincial", "subscores.yaml")
    depts, mistakes = data["departments"], data["mistakes"]
    returned = workspace.out_dir("scorers") / "returned"
    returned.mkdir(exist_ok=True)
    out = []
    for path in books:
        wb = load_workbook(path)
        scorer = wb[wb.sheetnames[0]][SCORER_CELL].value
        values = depts.get(scorer, {})
        for title, cols in _meta(wb).items():
            ws = wb[title]
            for key, r in _rows(ws).items():
                unit = key.split(":", 1)[0]
                if mistakes["missing"]["department"] == scorer and mistakes["missing"]["unit"] == unit:
                    continue
                mine = values.get(unit, {})
                for letter, _award, item, rule, kind, level, *_ in cols:
                    if kind == "votes":
                        v = mine.get("votes", {}).get(level)
                    else:
                        v = mine.get(item)
                    bad = mistakes["bad_cell"]
                    if (scorer, unit, item) == (bad["department"], bad["unit"], bad["item"]):
                        v = bad["text"]
                    ws[f"{letter}{r}"] = v
        target = returned / path.name
        wb.save(target)
        out.append(target)
        stray = mistakes["stray"]
        if scorer == stray["copy_of"]:  # another department filled a copy of this workbook
            wb = load_workbook(path)
            for title, cols in _meta(wb).items():
                ws = wb[title]
                ws[SCORER_CELL] = stray["department"]
                rows = _rows(ws)
                for unit, items in stray["scores"].items():
                    r = next((row for key, row in rows.items() if key.split(":", 1)[0] == unit), None)
                    for letter, _award, item, *_ in cols:
                        if r and item in items:
                            ws[f"{letter}{r}"] = items[item]
            target = returned / book_name(stray["department"])
            wb.save(target)
            out.append(target)
    return out


# ---------------------------------------------------------------------------------------------
# kunshan-awards
# ---------------------------------------------------------------------------------------------

PERSON_KEYS = ["name", "gender", "birth", "political", "unit_title", "award", "service_years", "monthly_average", "deeds"]


def write_kunshan_returns(workspace, seed: int = 2024) -> list[Path]:
    data = _sample("kunshan-awards", "applications.yaml")
    rng = random.Random(seed)
    deadline = workspace.campaign.deadlines.submit
    dest = workspace.forms_in
    dest.mkdir(exist_ok=True)
    contact = {u.name: u.contact for u in workspace.units}
    out = []
    for p in data["people"]:
        blank = issued_blanks(workspace, p["unit"])["person_application"]
        target = dest / f"{p['unit']}-{p['name']}-{p['award']}申报表.docx"
        values = {k: p.get(k) for k in PERSON_KEYS}
        _fill_blank(blank, values, target, contact.get(p["unit"]), _arrival(rng, deadline))
        out.append(target)
    skip = set(data.get("not_sent", []))
    for w in (w for w in data["windows"] if w["unit"] not in skip):
        blank = issued_blanks(workspace, w["unit"])["window_application"]
        target = dest / f"{w['unit']}最美政务窗口申报表.docx"
        _fill_blank(blank, {k: w.get(k) for k in ("window", "monthly_average", "case_volume", "practices")},
                    target, contact.get(w["unit"]), _arrival(rng, deadline))
        out.append(target)
    for h in (h for h in data["halls"] if h["unit"] not in skip):
        blank = issued_blanks(workspace, h["unit"])["hall_application"]
        target = dest / f"{h['unit']}政务大厅申报表.docx"
        _fill_blank(blank, {k: h.get(k) for k in ("hall", "entry_rate", "guide_accuracy", "practices")},
                    target, contact.get(h["unit"]), _arrival(rng, deadline))
        out.append(target)
    extra = data["extra"]  # a hall that got a window's form from a colleague and sent it in as its own
    window_unit = data["windows"][0]["unit"]
    blank = dest / f"{extra['unit']}-最美政务窗口申报表.docx"
    props = read_custom_properties(issued_blanks(workspace, window_unit)["window_application"])
    shutil.copyfile(issued_blanks(workspace, window_unit)["window_application"], blank)
    set_custom_properties(blank, {k: v for k, v in props.items() if k != PROP_UNIT})  # saved as a new file
    _fill_blank(blank, {k: extra.get(k) for k in ("window", "monthly_average", "case_volume", "practices")},
                blank, contact.get(extra["unit"]), _arrival(rng, deadline))
    out.append(blank)
    return out


JUDGE_OFFSETS = [0, 1, -1, 0.5, -0.5]  # around the yaml's mean: the five members average to it exactly


def kunshan_inputs(data: dict) -> dict[tuple[str, str], dict]:
    """(unit, name, award applied for or None) → the review record of that nominee."""
    out = {}
    for p in data["people"]:
        out[(p["unit"], p["name"], p["award"])] = {"judged": p["judged"], "votes": p.get("votes")}
    for w in data["windows"] + [data["extra"]]:
        out[(w["unit"], w["window"], None)] = w
    for h in data["halls"]:
        out[(h["unit"], h["hall"], None)] = h
    return out


def _judge_value(rec: dict, item: str, rule, kind: str, level, index: int, judged_items: list[str], offset: float):
    if kind == "score" and "judged" in rec:
        if item not in judged_items:
            return None
        return rec["judged"][judged_items.index(item)] + offset
    if kind == "votes":
        votes = rec.get("votes") if item == "满意度测评" else rec.get("review_votes")
        return (votes or {}).get(level)
    table = {
        "环境安全": rec.get("accidents"), "人员管理": rec.get("staff_violations"),
        "荣誉加分": rec.get("honors") or None, "信息加分": rec.get("info") or None,
        "领导重视加分": rec.get("visits") or None,
        "公用事业类进驻": rec.get("utilities"), "创新举措获得肯定": rec.get("innovation") or None,
        "宣传推广特色工作": rec.get("media") or None, "试点改革取得重大成果": rec.get("pilot"),
    }
    if item == "重点工作加分":
        return rec.get("key_work")
    if item in (rec.get("deductions") or {}):
        return rec["deductions"][item]
    return table.get(item)


def book_judge(path: Path) -> str:
    return path.name.split("_", 1)[0]


def fill_kunshan_scorers(workspace, books: list[Path]) -> list[Path]:
    data = _sample("kunshan-awards", "applications.yaml")
    inputs = kunshan_inputs(data)
    returned = workspace.out_dir("scorers") / "returned"
    returned.mkdir(exist_ok=True)
    campaign = workspace.campaign
    out = []
    for index, path in enumerate(books):
        offset = JUDGE_OFFSETS[index % len(JUDGE_OFFSETS)]
        wb = load_workbook(path)
        for title, cols in _meta(wb).items():
            ws = wb[title]
            for key, r in _rows(ws).items():
                unit, award_id = key.split(":")[0], key.split(":")[1]
                label = str(ws.cell(r, 3).value or "")
                name = label.split("（", 1)[0]
                award = campaign.award(award_id)
                rec = inputs.get((unit, name, award.name)) or inputs.get((unit, name, None))
                if rec is None:
                    continue
                judged_items = [i.name for i in award.rubric.items if len(i.rules) == 1 and i.rules[0].type == "judged"
                                and i.name != "重点工作加分"]
                for letter, _award, item, rule, kind, level, *_ in cols:
                    v = _judge_value(rec, item, rule, kind, level, index, judged_items, offset)
                    for m in data.get("judge_mistakes", []):
                        if (m["judge"], m["unit"], m["item"]) == (book_judge(path), unit, item):
                            v = m["text"]
                    if v is not None:
                        ws[f"{letter}{r}"] = v
        target = returned / path.name
        wb.save(target)
        out.append(target)
    return out



def write_returns(workspace, preset: str) -> list[Path]:
    """What the sample units of ``preset`` send (into forms_in/)."""
    return write_anhui_returns(workspace) if preset == "anhui-provincial" else write_kunshan_returns(workspace)


def fill_scorers(workspace, preset: str) -> list[Path]:
    """The scorers' workbooks in out/scorers/, filled as the sample scorers would (into out/scorers/returned/)."""
    books = sorted((workspace.out / "scorers").glob("*.xlsx"))
    return fill_anhui_scorers(workspace, books) if preset == "anhui-provincial" else fill_kunshan_scorers(workspace, books)

"""Sample inputs of the presets assessed by periods: filled event logs, tally sheets, survey exports.

The data are files in the preset's ``sample/`` folder (events.yaml, tallies.yaml,
*.csv, history.yaml); this module only writes them into the workbooks formgen
issues, as the inspectors and the clerk would fill them in — real dates as
dates, and the mistakes (a unit's short name, a date without the year, a count
written in words) as typed text.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from openpyxl import load_workbook

from formgen.campaign.presets import preset_dir
from formgen.scoring.event_book import FIRST_ROW, SHEET, write_template
from formgen.scoring.tally_book import write_tally_sheet


def _sample(preset: str) -> Path:
    return preset_dir(preset) / "sample"


def _load(preset: str, name: str):
    path = _sample(preset) / name
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _cell_value(value):
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_event_logs(workspace, preset: str, folder: Path) -> list[Path]:
    """Each sample event log, filled into a fresh template: folder/<file>."""
    data = _load(preset, "events.yaml") or {"workbooks": []}
    out = []
    for book in data["workbooks"]:
        path = write_template(workspace.campaign, workspace.units, folder / book["file"])
        wb = load_workbook(path)
        ws = wb[SHEET]
        for r, row in enumerate(book["rows"], start=FIRST_ROW):
            for c, value in enumerate(row, start=1):
                v = _cell_value(value) if c == 1 else value
                ws.cell(r, c).value = v
        wb.save(path)
        out.append(path)
    return out


def write_tallies(workspace, preset: str, folder: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """The hand-counted tally sheet and the survey exports of the sample.

    ``skip``: ratings counted another way (the demo's paper ballots); their sheets stay blank,
    so no vote is counted twice."""
    data = _load(preset, "tallies.yaml")
    out = []
    if data:
        path = write_tally_sheet(workspace.campaign, workspace.units, folder / "计票表.xlsx")
        wb = load_workbook(path)
        titles = {r.rating: (r.title or r.item) for r in workspace.campaign.assessment.ratings}
        wrong = {(m["sheet"], m["subject"], m["group"], m["level"]): m["value"] for m in data.get("mistakes", [])}
        for rating, counts in data.items():
            if rating == "mistakes" or rating not in titles or rating in skip:
                continue
            ws = wb[titles[rating][:31]]
            levels = [ws.cell(2, c).value for c in range(3, ws.max_column)]
            for r in range(3, ws.max_row + 1):
                subject, group = ws.cell(r, 1).value, ws.cell(r, 2).value
                got = counts.get(subject)
                votes = got.get(group) if isinstance(got, dict) else got
                if votes is None:
                    continue
                for i, level in enumerate(levels):
                    ws.cell(r, 3 + i).value = wrong.get((ws.title, subject, group, level), votes[i])
        wb.save(path)
        out.append(path)
    for csv in sorted(_sample(preset).glob("*.csv")):
        target = folder / csv.name
        shutil.copyfile(csv, target)
        out.append(target)
    return out


def history(preset: str) -> list[dict]:
    return _load(preset, "history.yaml") or []


def fill_scorer_books(workspace, preset: str, paths: list[Path], returned: Path) -> list[Path]:
    """The scorer fills the workbooks formgen panel wrote, through its hidden column map; copies in ``returned``."""
    from formgen.scoring.scorer_book import ANCHOR, SHEET
    from formgen.scoring.scorer_book import FIRST_ROW as BOOK_FIRST_ROW

    data = _load(preset, "scorer.yaml")
    out = []
    if not data:
        return out
    for path in paths:
        wb = load_workbook(path)
        meta = {r[1]: r[2] for r in wb[ANCHOR].iter_rows(values_only=True) if r and r[0] == "meta"}
        if meta.get("scorer") != data["scorer"] or meta.get("period") != data["period"]:
            continue
        cols = {f"{r[2]}：{r[3]}": r[1] for r in wb[ANCHOR].iter_rows(values_only=True) if r and r[0] == "col"}
        ws = wb[SHEET]
        rows = {ws[f"A{r}"].value: r for r in range(BOOK_FIRST_ROW, ws.max_row + 1)}
        for unit, entries in data["rows"].items():
            r = rows[unit]
            for key, value in entries.items():
                letter = meta["note_col"] if key == "扣分及原因" else cols[key]
                ws[f"{letter}{r}"].value = value
        returned.mkdir(parents=True, exist_ok=True)
        target = returned / f"{path.stem}（已填）.xlsx"
        wb.save(target)
        out.append(target)
    return out


def scorer_sample(preset: str) -> dict:
    return _load(preset, "scorer.yaml") or {}


def sample_votes(preset: str, rating: str) -> dict:
    """The sample's votes of one rating ({subject: {group: [n per level]}}), e.g. for paper ballots."""
    return dict((_load(preset, "tallies.yaml") or {}).get(rating) or {})

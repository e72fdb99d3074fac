"""Judges' scores in the ledger: one row per judge × nominee × item.

A judge's workbook is read as a whole: saving it replaces everything that
judge had for the same award, so a corrected workbook supersedes the earlier
read (and a score the judge erased disappears). The workbook's sha256 and the
time of reading are kept with every row, for the audit trail.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from formgen.ledger.db import Ledger, register_schema
from formgen.records import JudgeScore

register_schema("judging", """
CREATE TABLE IF NOT EXISTS judge_scores (
    id INTEGER PRIMARY KEY,
    judge TEXT NOT NULL,
    award_id TEXT NOT NULL,
    nominee_key TEXT NOT NULL,
    item TEXT NOT NULL,
    score REAL,
    grp TEXT,
    observations TEXT NOT NULL DEFAULT '{}',
    workbook TEXT,
    workbook_sha256 TEXT,
    read_at TEXT NOT NULL,
    UNIQUE (judge, award_id, nominee_key, item)
);
CREATE INDEX IF NOT EXISTS judge_scores_award ON judge_scores (award_id, nominee_key)
""")

_NOTE = "_note"  # the judge's remark on a nominee, kept as a pseudo item


def save_judge_read(ledger: Ledger, judge: str, award_id: str, scores: Iterable[JudgeScore],
                    workbook: str | None = None, sha256: str | None = None,
                    read_at: datetime | None = None) -> int:
    """Replace ``judge``'s scores for ``award_id`` with ``scores``; returns the rows written."""
    stamp = (read_at or datetime.now()).isoformat(timespec="seconds")
    rows = []
    for js in scores:
        if js.judge != judge or js.award_id != award_id:
            raise ValueError(f"score of {js.judge}/{js.award_id} saved as {judge}/{award_id}")
        items = set(js.scores) | {k for k in js.observations if k != _NOTE}
        for item in sorted(items):
            obs = js.observations.get(item)
            rows.append((judge, award_id, js.nominee_key, item, js.scores.get(item), js.group,
                         json.dumps(obs, ensure_ascii=False) if obs is not None else "null", workbook, sha256, stamp))
        if js.observations.get(_NOTE):
            rows.append((judge, award_id, js.nominee_key, _NOTE, None, js.group,
                         json.dumps(js.observations[_NOTE], ensure_ascii=False), workbook, sha256, stamp))
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM judge_scores WHERE judge = ? AND award_id = ?", (judge, award_id))
        conn.executemany(
            "INSERT INTO judge_scores (judge, award_id, nominee_key, item, score, grp, observations, workbook,"
            " workbook_sha256, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def load_judge_scores(ledger: Ledger, award_id: str | None = None) -> list[JudgeScore]:
    """Every judge's scores (of one award, or all), one JudgeScore per judge × nominee."""
    sql = "SELECT * FROM judge_scores" + (" WHERE award_id = ?" if award_id else "") + " ORDER BY id"
    out: dict[tuple[str, str, str], JudgeScore] = {}
    for row in ledger.execute(sql, (award_id,) if award_id else ()):
        key = (row["judge"], row["award_id"], row["nominee_key"])
        js = out.get(key)
        if js is None:
            js = out[key] = JudgeScore(row["judge"], row["award_id"], row["nominee_key"], {}, row["grp"])
        obs = json.loads(row["observations"]) if row["observations"] else None
        if row["item"] == _NOTE:
            js.observations[_NOTE] = obs
            continue
        js.scores[row["item"]] = row["score"]
        if obs is not None:
            js.observations[row["item"]] = obs
    return list(out.values())


def judge_reads(ledger: Ledger) -> list[dict]:
    """What was read from whom: judge, award, nominees, scores filled, workbook, time."""
    sql = ("SELECT judge, award_id, grp, workbook, workbook_sha256, MAX(read_at) AS read_at,"
           " COUNT(DISTINCT nominee_key) AS nominees, COUNT(score) AS scores"
           " FROM judge_scores WHERE item != ? GROUP BY judge, award_id ORDER BY award_id, judge")
    return [dict(r) for r in ledger.execute(sql, (_NOTE,))]


BROWSER = "网页录入"  # the workbook column of scores a judge entered on the desk


def save_judge_row(ledger: Ledger, js: JudgeScore, read_at: datetime | None = None) -> int:
    """Replace one judge's scores of one nominee (entered on the desk) with ``js``; returns the rows written.

    Same table as the workbooks: a workbook read later replaces the judge's whole award again."""
    stamp = (read_at or datetime.now()).isoformat(timespec="seconds")
    rows = []
    for item in sorted(set(js.scores) | {k for k in js.observations if k != _NOTE}):
        obs = js.observations.get(item)
        rows.append((js.judge, js.award_id, js.nominee_key, item, js.scores.get(item), js.group,
                     json.dumps(obs, ensure_ascii=False) if obs is not None else "null", BROWSER, None, stamp))
    if js.observations.get(_NOTE):
        rows.append((js.judge, js.award_id, js.nominee_key, _NOTE, None, js.group,
                     json.dumps(js.observations[_NOTE], ensure_ascii=False), BROWSER, None, stamp))
    with ledger.transaction() as conn:
        conn.execute("DELETE FROM judge_scores WHERE judge = ? AND award_id = ? AND nominee_key = ?",
                     (js.judge, js.award_id, js.nominee_key))
        conn.executemany(
            "INSERT INTO judge_scores (judge, award_id, nominee_key, item, score, grp, observations, workbook,"
            " workbook_sha256, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)

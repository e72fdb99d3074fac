"""The publicity round (公示) for the faces: raise an objection against a selected subject,
record its handling, decide it. An upheld objection that removes a subject re-runs the
selection (``formgen score``): the subject is held 不符合条件 with the decision as its
reason, and the next in line moves up by the award's own tie-break chain.

The ledger side is formgen.ledger.objections; the gate that keeps the 表彰通报 and the
certificates back until the round is over is formgen.publish.publicity_gate.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from formgen.errors import FormgenError
from formgen.ledger.objections import (DISMISSED, UPHELD, Objection, add_objection, decide_objection,
                                       list_objections, record_handling)
from formgen.ledger.results import load_score_results
from formgen.workspace import Workspace

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024  # a scan of a letter is a few MB; anything larger is not evidence


def _subject(ws: Workspace, query: str, award_id: str | None):
    """The stored result row of the subject named ``query`` (person, post or unit)."""
    with ws.ledger() as ledger:
        stored = load_score_results(ledger)
    if not stored:
        raise FormgenError("还没有计分结果，没有可以提出异议的公示对象；请先运行 formgen score 和 formgen publish")
    q = "".join(query.split())
    hits = [r for aid, rows in stored.items() if award_id in (None, aid) for r in rows
            if q in ("".join(r.nominee.name.split()), "".join(r.nominee.unit.split()))]
    chosen = [r for r in hits if r.selected] or hits
    if not chosen:
        raise FormgenError(f"没有名为“{query}”的评选对象；请写公示名单上的姓名、岗位或单位名称")
    if len(chosen) > 1:
        which = "、".join(f"{r.nominee.name}（{ws.campaign.award(r.award_id).name}，--award {r.award_id}）"
                         for r in chosen)
        raise FormgenError(f"“{query}”对应多个评选对象：{which}；请用 --award 写明是哪个奖项")
    return chosen[0]


def _evidence(paths: list[Path]) -> list[tuple[str, bytes]]:
    out = []
    for p in paths:
        try:
            size = p.stat().st_size
            if size > MAX_EVIDENCE_BYTES:
                raise FormgenError(f"证据文件 {p.name} 有 {size // 1024 // 1024} MB，超过 50 MB；请压缩或只附需要的页")
            out.append((p.name, p.read_bytes()))
        except OSError as e:
            raise FormgenError(f"无法读取证据文件 {p}（{e.strerror}）；请确认路径正确、文件未被占用") from None
    return out


def raise_objection(ws: Workspace, query: str, raised_by: str, raised_on: dt.date | None, what: str,
                    files: list[Path] = (), award_id: str | None = None) -> Objection:
    """Record an objection about the subject named ``query``; evidence files are kept in the ledger."""
    if not raised_by.strip() or not what.strip():
        raise FormgenError("请用 --by 写明谁提出异议（可写“匿名来信”），用 --what 写明异议的内容")
    row = _subject(ws, query, award_id)
    evidence = _evidence(list(files))
    with ws.ledger() as ledger:
        oid = add_objection(ledger, row.award_id, row.nominee.key, row.nominee.unit, row.nominee.name,
                            raised_by.strip(), raised_on or dt.date.today(), what.strip(), evidence)
        return next(o for o in list_objections(ledger) if o.id == oid)


def _objection(ledger, objection_id: int) -> Objection:
    found = {o.id: o for o in list_objections(ledger)}
    if objection_id not in found:
        listed = "、".join(f"第{i}号" for i in found) or "（尚无异议）"
        raise FormgenError(f"没有第{objection_id}号异议；已登记的有：{listed}（formgen objection list）")
    return found[objection_id]


def handle_objection(ws: Workspace, objection_id: int, step: str) -> Objection:
    """One step of the handling (受理、核查、约谈 …), kept in the history."""
    if not step.strip():
        raise FormgenError("请用 --step 写明这一步做了什么（如“已转效能监察室核查”）")
    with ws.ledger() as ledger:
        _objection(ledger, objection_id)
        record_handling(ledger, objection_id, step.strip())
        return _objection(ledger, objection_id)


def decide(ws: Workspace, objection_id: int, outcome: str, why: str, removes: bool = True) -> tuple[Objection, bool]:
    """Upheld or dismissed, and why. Returns (the objection, whether the selection was re-run):
    it is, whenever the decision adds or takes back a removal."""
    if outcome not in (UPHELD, DISMISSED):
        raise FormgenError("异议的决定应为 upheld（成立）或 dismissed（不成立）")
    if not why.strip():
        raise FormgenError("请用 --reason 写明决定的理由（将记入台账并在 explain 和评选结果中显示）")
    with ws.ledger() as ledger:
        before = _objection(ledger, objection_id).removes
        decide_objection(ledger, objection_id, outcome, removes, why.strip())
        after = _objection(ledger, objection_id)
    rerun = before != after.removes
    if rerun:
        from formgen.scoring.stage import score

        # the published result changes for a decided objection: that decision is the reason
        score(ws, reason=f"公示期间第{objection_id}号异议{'成立' if after.removes else '的决定改变'}：{why.strip()}")
    return after, rerun


def objections(ws: Workspace) -> list[Objection]:
    with ws.ledger() as ledger:
        return list_objections(ledger)

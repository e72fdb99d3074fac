"""Scoring a year of a quarterly assessment: 300 units, ~11 000 findings.

Compares ``assess_run.compute`` (findings grouped by unit once) with the naive
way (every unit's score scans every finding of the year), in the same run, and
checks both give the same totals.

    .venv/bin/python bench/bench_assess.py
"""
from __future__ import annotations

import datetime as dt
import random
import time

from formgen.campaign.model import Unit
from formgen.campaign.presets import preset_campaign
from formgen.records import EventRow
from formgen.scoring.assess import assessed_periods, score_year
from formgen.scoring.assess_run import compute
from formgen.scoring.periods import Period

RULES = [("落实内部管理、规范行政行为", "迟到早退、离岗、上班打牌上网炒股、午间饮酒（每起）", 1),
         ("注重形象建设、塑造良好风貌", "物品摆放不整齐或卫生区域脏乱差（每次）", 1),
         ("随机暗访", "随机暗访发现问题", 3), ("会议纪律", "被通报缺席会议（每次）", 1)]


def main(n_units: int = 300, per_unit: int = 36) -> None:
    campaign = preset_campaign("district-quarterly")
    rng = random.Random(1)
    units = [Unit(name=f"单位{i:03d}", category="区级机关") for i in range(n_units)]
    events = []
    for u in units:
        for _ in range(per_unit):
            day = dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))
            item, rule, value = rng.choice(RULES)
            events.append(EventRow(Period.of(day, "quarter").key, u.name, item, rule, value, day, source="台账"))
        for q in range(1, 5):
            events.append(EventRow(f"2024Q{q}", u.name, "民意调查", "满意率（满意+基本满意，%）", rng.choice([85, 92, 95]),
                                   dt.date(2024, 3 * q, 20), source="台账"))
    year = Period.parse("2024")
    t0 = time.perf_counter()
    grouped = compute(campaign, units, year, events, [])
    t1 = time.perf_counter()
    done, _ = assessed_periods(campaign, year, events)
    naive = {u.name: score_year(campaign, u, year, events, [], done) for u in units}
    for p in done:  # the per-quarter sheets, each scanning everything again
        for u in units:
            from formgen.scoring.assess import score_subject

            score_subject(campaign, u, p, events, [])
    t2 = time.perf_counter()
    assert all(naive[k].total == grouped.scores[k].total for k in naive)
    print(f"{n_units} 个单位，{len(events)} 条记录，年度计分（含各季度明细与排名）：")
    print(f"  按单位分组：{t1 - t0:.2f} 秒；逐单位扫描全部记录（朴素做法，不含排名）：{t2 - t1:.2f} 秒；"
          f"倍数 {(t2 - t1) / (t1 - t0):.1f}")


if __name__ == "__main__":
    main()

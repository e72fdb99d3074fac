"""Departments' sub-score workbooks (seed 001) and the review group's records (seed 003): each
scorer gets only its own items, each bad cell is one line naming workbook, sheet and cell, and a
stray department's sub-score is listed, never averaged in. Totals worked out by hand."""
from __future__ import annotations

import docx
from openpyxl import load_workbook

from formgen.campaign.presets import preset_campaign
from formgen.records import Nominee
from formgen.scoring.run import score_award
from formgen.scoring.subscore_book import FIRST_ROW, SCORER_CELL, build_book, meta_columns, owners, read_book

UNITS = [("省委组织部", "综合部门"), ("省委宣传部", "综合部门"), ("徽商银行股份有限责任公司", "金融服务机构")]


def _nominees():
    return {"assessment": [Nominee("assessment", f"{u}:assessment", u, u, category=c) for u, c in UNITS]}


def _fill(wb, values):
    """values: unit -> {item or level: value}."""
    for title, cols in meta_columns(wb).items():
        ws = wb[title]
        for r in range(FIRST_ROW, ws.max_row + 1):
            unit = str(ws.cell(r, 1).value).split(":")[0]
            for letter, _a, item, _rule, kind, level, *_ in cols:
                v = values.get(unit, {}).get(level if kind == "votes" else item)
                if v is not None:
                    ws[f"{letter}{r}"] = v


def test_department_books_hold_only_their_items_and_read_back(tmp_path):
    c = preset_campaign("anhui-provincial")
    assert owners(c)[:2] == ["省委办公厅", "省政府办公厅"]
    wb = build_book(c, "省人大办公厅", _nominees())
    assert [t for t in wb.sheetnames if not t.startswith("_")] == ["省直机关效能建设年度考核"]  # no 第四类 sheet
    [cols] = meta_columns(wb).values()
    assert [col[2] for col in cols] == ["办理人大代表建议议案（省人大办公厅）"]
    ws = wb["省直机关效能建设年度考核"]
    assert [ws.cell(r, 3).value for r in (FIRST_ROW, FIRST_ROW + 1)] == ["省委组织部", "省委宣传部"]
    _fill(wb, {"省委组织部": {"办理人大代表建议议案（省人大办公厅）": 9}, "省委宣传部": {"办理人大代表建议议案（省人大办公厅）": "十"}})
    path = tmp_path / "省人大办公厅_评分报送表.xlsx"
    wb.save(path)
    read = read_book(path)
    assert read.scorer == "省人大办公厅"
    assert [(s.nominee_key, s.scores) for s in read.scores] == [
        ("省委组织部:assessment", {"办理人大代表建议议案（省人大办公厅）": 9.0})]
    [problem] = read.problems
    assert str(problem).startswith("省人大办公厅_评分报送表.xlsx 工作表“省直机关效能建设年度考核” D6 单元格：省委宣传部")
    assert "“十”" in str(problem)


def test_a_stray_department_is_listed_not_averaged(tmp_path):
    c = preset_campaign("anhui-provincial")
    award = c.award("assessment")
    scores = []
    own = {"省委办公厅": {"重点工作任务（省委办公厅）": 28, "办理省领导批示（省委办公厅）": 9, "完成职能目标情况": 180,
                        "违反保密规定扣分": 0},
           "省政府办公厅": {"重点工作任务（省政府办公厅）": 27, "办理省领导批示（省政府办公厅）": 10},
           "省人大办公厅": {"办理人大代表建议议案（省人大办公厅）": 9}, "省政协办公厅": {"办理政协委员提案（省政协办公厅）": 10},
           "省直效能办": {"规范权力运行情况": 190}, "考核组": {"效能建设工作情况": 95},
           "调查统计机构": {"满意": 80, "基本满意": 15, "不满意": 5}, "省政府金融办": {"服务地方经济发展情况": 500}}
    for dept, values in own.items():
        wb = build_book(c, dept, _nominees())
        _fill(wb, {u: values for u, _ in UNITS})
        wb.save(tmp_path / f"{dept}.xlsx")
        scores += read_book(tmp_path / f"{dept}.xlsx").scores
    # 省财政厅 fills a copy of 省委办公厅's workbook under its own name
    wb = build_book(c, "省委办公厅", _nominees())
    for title in meta_columns(wb):
        wb[title][SCORER_CELL] = "省财政厅"
    _fill(wb, {"省委组织部": {"重点工作任务（省委办公厅）": 20}})
    wb.save(tmp_path / "stray.xlsx")
    stray = read_book(tmp_path / "stray.xlsx")
    assert stray.scorer == "省财政厅"
    rows = {r.nominee.unit: r for r in score_award(award, _nominees()["assessment"], scores + stray.scores)}
    # 28+27+9+10+9+10+180+190 + (80*100+15*60)/100/100*400 = 356 + 95 = 914 (the stray 20 never averaged: not 904)
    assert rows["省委组织部"].total == 914
    assert any("省财政厅提供的20分未计入" in f for f in rows["省委组织部"].score.flags)
    assert rows["省委宣传部"].total == 914 and rows["省委宣传部"].rank == 2  # tie broken, listed in the notes
    assert rows["省委宣传部"].tie_notes
    # 第四类: (80*100+15*60)/100 = 89 -> 356 + 500 = 856
    assert rows["徽商银行股份有限责任公司"].total == 856 and rows["徽商银行股份有限责任公司"].rank == 1


def test_review_group_record_parses_rule_inputs(tmp_path):
    c = preset_campaign("kunshan-awards")
    w = Nominee("window", "税务窗口:window", "税务窗口", "税务窗口", category="进驻窗口",
                fields={"window": "税务窗口", "monthly_average": 93, "case_volume": 12000})
    wb = build_book(c, "吉文元", {"window": [w]})
    cols = meta_columns(wb)["最美政务窗口"]
    assert not any(col[2] == "办件量加分" for col in cols)  # from the form, no column
    record = {"税务窗口": {"环境安全": 0, "人员管理": 1, "很满意": 8, "满意": 2, "荣誉加分": "青年文明号省级（条线部门）；市级",
                          "信息加分": "一季度：简报录用1，报送未录用2；二季度：市级录用1", "领导重视加分": "主要领导1",
                          "重点工作加分": 4}}
    ws = wb["最美政务窗口"]
    for letter, _a, item, _rule, kind, level, *_ in cols:
        key = level if kind == "votes" and item == "服务对象评议" else None if kind == "votes" else item
        v = record["税务窗口"].get(key) if key else {"很满意": 10}.get(level)
        if v is not None:
            ws[f"{letter}{FIRST_ROW}"] = v
    wb.save(tmp_path / "j.xlsx")
    read = read_book(tmp_path / "j.xlsx")
    assert not read.problems
    [r] = score_award(c.award("window"), [w], read.scores)
    # 环境安全 20; 人员管理 20-4 = 16; 评议 (8*20+2*18)/10 = 19.6; 办件量12000 -> 1;
    # 荣誉: 省级条线降为市级 3 + 市级 3 = 6 -> 上限5; 信息 (seed 003 "報送但未錄用,每篇得0.1分,每季最高不超過0.5分":
    # the quarterly cap limits 报送未录用 only, issue 18.15): 一季度 0.5+0.2 = 0.7, 二季度 市级录用 1 -> 1.7;
    # 领导 1; 重点工作 4; 测评 10票很满意 20: 20+16+19.6+1+5+1.7+1+4+20 = 88.3
    assert r.total == 88.3


def test_free_text_self_check_report_is_filed_as_such(tmp_path):
    from formgen.intake.extract import extract_path

    forms = preset_campaign("anhui-provincial").form_specs()

    def report(name, title, paragraphs):
        d = docx.Document()
        d.add_heading(title, level=1)
        for p in paragraphs:
            d.add_paragraph(p)
        path = tmp_path / name
        d.save(str(path))
        return extract_path(path, forms)[0]

    para = "我单位认真贯彻落实效能建设各项要求，逐项分解任务，建立工作台账，定期调度推进，取得了明显成效。" * 4
    ok = report("a.docx", "省委组织部关于2012年度效能建设工作自查情况的报告", [para] * 5)
    assert ok.form_type == "self_check_report" and ok.kind is None
    assert not [p for p in ok.problems if p.severity == "error"]
    long = report("b.docx", "省发改委2012年度效能建设自查报告", [para] * 20)
    assert long.form_type == "self_check_report"
    assert any(p.severity == "error" and "超过通知规定的 2000 字上限" in p.message for p in long.problems)
    deeds = report("c.docx", "张三同志先进事迹", [para] * 5)  # not a report: still deeds material
    assert deeds.form_type is None and deeds.kind == "deeds_document"


def test_halls_are_never_chased_for_window_forms():
    from formgen.ledger.views import expected_forms, owed_by

    c = preset_campaign("kunshan-awards")
    need = {k: n for k, _, n in expected_forms(c)}
    assert owed_by(c, "区镇政务服务中心", "window_application", need["window_application"]) == 0
    assert owed_by(c, "区镇政务服务中心", "hall_application", need["hall_application"]) == 1
    assert owed_by(c, "进驻窗口", "window_application", need["window_application"]) == 1
    assert owed_by(c, "进驻窗口", "person_application", need["person_application"]) == 0  # voluntary
    a = preset_campaign("anhui-provincial")
    assert owed_by(a, "金融服务机构", "self_check_report", 1) == 1


def test_unreadable_workbooks_are_one_line_each(tmp_path):
    bad = tmp_path / "省委办公厅_评分报送表.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    [p] = read_book(bad).problems
    assert str(p).startswith("省委办公厅_评分报送表.xlsx：无法打开")
    from openpyxl import Workbook

    other = tmp_path / "其他.xlsx"
    Workbook().save(other)
    [p] = read_book(other).problems
    assert "不是 formgen scorers 生成的评分报送表" in str(p)

"""Seeds 001 and 003: scope, ranking within categories, graded honours, shared quota,
form-field inputs, department ownership. Expected values are worked out by hand from
the seed text (see each test's comment), never taken from the engine."""
from __future__ import annotations

import pytest

from formgen.campaign.presets import preset_campaign
from formgen.campaign.scope import forms_for
from formgen.records import JudgeScore, Nominee
from formgen.scoring.run import score_award, score_awards


@pytest.fixture(scope="module")
def kunshan():
    return preset_campaign("kunshan-awards")


@pytest.fixture(scope="module")
def anhui():
    return preset_campaign("anhui-provincial")


def _hall(unit, entry, guide, **obs):
    fields = {"hall": unit}
    if entry is not None:
        fields["entry_rate"] = entry
    if guide is not None:
        fields["guide_accuracy"] = guide
    return Nominee("hall", f"{unit}:hall", unit, unit, category="区镇政务服务中心", fields=fields)


def _hall_obs(award, unit, judge="吉文元", **extra):
    obs = {i.name: {} for i in award.rubric.items if i.rules[0].type != "proportional"}
    obs["满意度测评"] = {"全系统满意度测评": {"很满意": 10}}
    obs["公用事业类进驻"] = {"进驻的供水、供电、供气、通信窗口（每项）": 4}
    obs.update(extra)
    return JudgeScore(judge, "hall", f"{unit}:hall", {}, None, obs)


def test_kunshan_halls_proportional_and_grades(kunshan):
    award = kunshan.award("hall")
    # seed 003: 入驻率最高的得5分，其他按比例；办事指南准确率最高的得5分，其他按比例.
    # A: 入驻率95 (best) -> 5; 指南98 (best) -> 5; 公用事业4项 +4; 创新举措省级 +1; 测评全很满意 20;
    #    no deductions: 5+5+10+5+5+5+4+25+1+0+0+20 = 85
    # B: 入驻率76 -> 76/95*5 = 4; 指南98 -> 5; 服务功能2项不到位 5-2 = 3: 4+3+10+5+5+5+4+25+20 = 81
    # C: 入驻率50 -> 50/95*5 = 2.6316; 指南49 -> 49/98*5 = 2.5: 2.6316+5+10+5+2.5+5+4+25+20 = 79.13
    # D: 入驻率 not filled -> held (待补充数据), not ranked, not selected
    nominees = [_hall("甲中心", 95, 98), _hall("乙中心", "76", "98%"), _hall("丙中心", 50, 49), _hall("丁中心", None, 90)]
    judges = [_hall_obs(award, "甲中心", **{"创新举措获得肯定": {"创新举措通报表扬或经验交流": ["省级"]}}),
              _hall_obs(award, "乙中心", **{"大厅服务功能完善": {"功能区不到位（每项）": 2}}),
              _hall_obs(award, "丙中心"), _hall_obs(award, "丁中心")]
    graded = award.model_copy(update={"quota": award.quota.model_copy(update={"total": 2}),
                                      "grades": [g.model_copy(update={"count": 1}) for g in award.grades]})
    rows = {r.nominee.unit: r for r in score_award(graded, nominees, judges)}
    assert rows["甲中心"].total == 85 and rows["甲中心"].score.items["推进“一门”政务服务"].score == 5
    assert rows["乙中心"].total == 81 and rows["乙中心"].score.items["推进“一门”政务服务"].score == 4
    assert rows["丙中心"].total == 79.13 and rows["丙中心"].score.items["办事指南编制准确率"].score == 2.5
    assert [rows[u].rank for u in ("甲中心", "乙中心", "丙中心")] == [1, 2, 3]
    assert (rows["甲中心"].grade, rows["乙中心"].grade) == ("最美政务大厅", "优秀政务大厅")
    assert not rows["丙中心"].selected
    d = rows["丁中心"]
    assert d.rank is None and not d.selected and d.eligible and d.status.startswith("待补充数据")
    assert "入驻率" in d.status


def _person(award_id, unit, name, **fields):
    return Nominee(award_id, f"{unit}:{award_id}:{name}", unit, name, category="进驻窗口",
                   fields={"name": name, **fields})


def test_kunshan_eligibility_from_form_fields(kunshan):
    award = kunshan.award("zuimeiren")
    people = [_person("zuimeiren", "税务窗口", "张敏", monthly_average="92", service_years="3年"),
              _person("zuimeiren", "医保窗口", "李强", monthly_average=88, service_years=5),
              _person("zuimeiren", "人社窗口", "王洁", service_years=2),
              _person("zuimeiren", "民政窗口", "赵勇", monthly_average=95, service_years=0.5)]
    scores = [JudgeScore("吉文元", "zuimeiren", p.key, {"政治合格": 18, "业务精通": 19, "形象良好": 17, "成绩突出": 18},
                         None, {"满意度测评": {"全系统满意度测评": {"很满意": 8, "满意": 2}}}) for p in people]
    rows = {r.nominee.name: r for r in score_award(award, people, scores)}
    # 18+19+17+18 + (8*20+2*18)/10 = 72 + 19.6 = 91.6
    assert rows["张敏"].total == 91.6 and rows["张敏"].rank == 1 and rows["张敏"].selected
    assert not rows["李强"].eligible and "未达到90分" in rows["李强"].ineligible[0]
    assert rows["王洁"].eligible and rows["王洁"].rank is None and rows["王洁"].status.startswith("待补充数据")
    assert "窗口标准化考核月平均分" in rows["王洁"].status
    assert not rows["赵勇"].eligible and "不满1年" in rows["赵勇"].ineligible[0]


def test_kunshan_case_volume_tiers_from_form(kunshan):
    award = kunshan.award("window")
    w = Nominee("window", "税务窗口:window", "税务窗口", "税务窗口", category="进驻窗口",
                fields={"window": "税务窗口", "monthly_average": 93, "case_volume": "6200件"})
    obs = {i.name: {} for i in award.rubric.items}
    obs["服务对象评议"] = {"服务对象评议": {"很满意": 3, "满意": 1}}  # (60+18)/4 = 19.5
    obs["满意度测评"] = {"全系统满意度测评": {"满意": 2}}  # 18
    obs["重点工作加分"] = 3
    obs["荣誉加分"] = {"窗口荣誉": [{"name": "巾帼文明岗", "level": "省级", "category": "条线部门"},
                                {"name": "青年文明号", "level": "市级"}]}  # 省级 lowered to 市级 3 + 市级 3 = 6 -> cap 5
    obs["信息加分"] = {"信息报送": {"第一季度": {"简报录用": 1, "报送未录用": 2}, "第二季度": {"报送未录用": 7}}}
    # Seed 003: "被審批局簡報、微信、微博等錄用的,每篇得0.5分;報送但未錄用,每篇得0.1分,每季最高不超過0.5分"
    # The quarterly cap follows 报送但未录用 and caps those only (issue 18.15):
    # Q1 adopted 0.5 + unadopted 0.2 = 0.7; Q2 unadopted 0.7 -> 0.5; total 1.2
    obs["领导重视加分"] = {"领导来窗口指导": {"分管领导": 1, "主要领导": 1}}  # 1.5
    js = JudgeScore("吉文元", "window", w.key, {}, None, obs)
    [r] = score_award(award, [w], [js])
    # 20 + 20 + 19.5 + 办件量6200 -> 0.5 + 5 + 1.2 + 1.5 + 3 + 18 = 88.7
    assert r.score.items["办件量加分"].score == 0.5
    assert r.score.items["荣誉加分"].score == 5
    assert r.score.items["信息加分"].score == 1.2
    assert r.total == 88.7


def test_kunshan_scope_halls_never_owe_window_forms(kunshan):
    assert "window_application" not in forms_for(kunshan, "区镇政务服务中心")
    assert "hall_application" not in forms_for(kunshan, "进驻窗口")
    hall = Nominee("window", "丙中心:window", "丙中心", "丙中心", category="区镇政务服务中心",
                   fields={"monthly_average": 95})
    [r] = score_award(kunshan.award("window"), [hall], [])
    assert not r.selected and r.status == "不在评选范围"


def test_kunshan_shared_quota(kunshan):
    # 三牛奖 90 a quarter across three awards; here 2 places: by total on the combined list.
    camp = kunshan.model_copy(update={"shared_quotas": [kunshan.shared_quotas[0].model_copy(update={"total": 2})]})
    def niu(aid, unit, name, points):
        n = _person(aid, unit, name, monthly_average=95)
        each = [points / 3] * 3
        items = [i.name for i in kunshan.award(aid).rubric.items]
        return n, JudgeScore("吉文元", aid, n.key, dict(zip(items, each)))
    entries = [niu("ruziniu", "税务窗口", "张敏", 28), niu("tuohuangniu", "税务窗口", "张敏", 29),
               niu("tuohuangniu", "医保窗口", "李强", 27), niu("laohuangniu", "人社窗口", "王洁", 26)]
    noms: dict = {}
    for n, _ in entries:
        noms.setdefault(n.award_id, []).append(n)
    ranked = score_awards(camp, noms, [js for _, js in entries])
    status = {(r.nominee.award_id, r.nominee.name): r for rows in ranked.values() for r in rows}
    assert status[("tuohuangniu", "张敏")].selected  # 29: first
    assert not status[("ruziniu", "张敏")].selected  # 28: same person, one award only
    assert "同一人只计一项" in status[("ruziniu", "张敏")].status
    assert status[("tuohuangniu", "李强")].selected  # 27: second place
    assert not status[("laohuangniu", "王洁")].selected  # 26: rank 1 of its own award, but the 2 places are gone
    assert "共用名额" in status[("laohuangniu", "王洁")].status


DEPTS = {"省委办公厅": {"重点工作任务（省委办公厅）": 28, "办理省领导批示（省委办公厅）": 9, "完成职能目标情况": 180},
         "省政府办公厅": {"重点工作任务（省政府办公厅）": 27, "办理省领导批示（省政府办公厅）": 10},
         "省人大办公厅": {"办理人大代表建议议案（省人大办公厅）": 9}, "省政协办公厅": {"办理政协委员提案（省政协办公厅）": 10},
         "省直效能办": {"规范权力运行情况": 190}, "考核组": {"效能建设工作情况": 95}}


def _anhui_scores(unit, votes, overrides=None, deduct=0):
    out = []
    for dept, items in DEPTS.items():
        scores = {**items, **(overrides or {}).get(dept, {})}
        if dept == "省委办公厅":
            scores["违反保密规定扣分"] = deduct
        out.append(JudgeScore(dept, "assessment", f"{unit}:assessment", scores))
    out.append(JudgeScore("调查统计机构", "assessment", f"{unit}:assessment", {},
                          observations={"服务对象测评情况": {"服务对象满意度测评": votes}}))
    return out


def test_anhui_ranking_within_categories_and_ownership(anhui):
    award = anhui.award("assessment")
    units = [("省委组织部", "综合部门"), ("省委宣传部", "综合部门"), ("中国银行安徽省分行", "金融服务机构"),
             ("徽商银行股份有限责任公司", "金融服务机构")]
    nominees = [Nominee("assessment", f"{u}:assessment", u, u, category=c) for u, c in units]
    # 省委组织部: 28+27+9+10+9+10+180+190 + 测评(80*100+15*60)/100=89 -> 356 + 95 = 914
    js = _anhui_scores("省委组织部", {"满意": 80, "基本满意": 15, "不满意": 5})
    # a stray department's sub-score for an item 省委办公厅 owns: listed, never averaged in (not 24)
    js.append(JudgeScore("省财政厅", "assessment", "省委组织部:assessment", {"重点工作任务（省委办公厅）": 20}))
    # 省委宣传部: 规范权力200, 测评(90*100+10*60)/100=96 -> 384, 保密扣3:
    # 28+27+9+10+9+10+180+200+384+95-3 = 949
    js += _anhui_scores("省委宣传部", {"满意": 90, "基本满意": 10}, {"省直效能办": {"规范权力运行情况": 200}}, deduct=3)
    # 第四类: 测评 + 服务地方经济发展600 (省政府金融办)
    # 中国银行: (50*100+50*60)/100 = 80 -> 320 + 540 = 860; 徽商银行: 100 -> 400 + 500 = 900
    for unit, votes, local in (("中国银行安徽省分行", {"满意": 50, "基本满意": 50}, 540),
                               ("徽商银行股份有限责任公司", {"满意": 100}, 500)):
        js.append(JudgeScore("调查统计机构", "assessment", f"{unit}:assessment", {},
                             observations={"服务对象测评情况": {"服务对象满意度测评": votes}}))
        js.append(JudgeScore("省政府金融办", "assessment", f"{unit}:assessment", {"服务地方经济发展情况": local}))
    rows = {r.nominee.unit: r for r in score_award(award, nominees, js)}
    assert rows["省委组织部"].total == 914 and rows["省委宣传部"].total == 949
    assert rows["省委组织部"].score.items["重点工作任务（省委办公厅）"].score == 28
    assert any("省财政厅提供的20分未计入" in f for f in rows["省委组织部"].score.flags)
    assert (rows["省委宣传部"].rank, rows["省委组织部"].rank) == (1, 2)
    assert rows["中国银行安徽省分行"].total == 860 and rows["徽商银行股份有限责任公司"].total == 900
    assert (rows["徽商银行股份有限责任公司"].rank, rows["中国银行安徽省分行"].rank) == (1, 2)


def test_anhui_missing_owner_score_holds_the_unit(anhui):
    award = anhui.award("assessment")
    n = Nominee("assessment", "省委组织部:assessment", "省委组织部", "省委组织部", category="综合部门")
    js = [j for j in _anhui_scores("省委组织部", {"满意": 10}) if j.judge != "省政协办公厅"]
    [r] = score_award(award, [n], js)
    assert r.rank is None and not r.selected
    assert "尚未收到省政协办公厅提供的“办理政协委员提案（省政协办公厅）”分值" in r.status


def test_issue_gives_each_unit_only_its_forms(new_workspace):
    from formgen.issue.render import issue_forms
    from formgen.sample.fill import _blanks_in

    ws = new_workspace("kunshan-awards")
    issue_forms(ws, units=["玉山镇政务服务中心", "税务窗口"])
    assert set(_blanks_in(ws.out / "issue" / "玉山镇政务服务中心")) == {"person_application", "hall_application"}
    assert set(_blanks_in(ws.out / "issue" / "税务窗口")) == {"person_application", "window_application"}

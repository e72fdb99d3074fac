from formgen.forms import builtin_forms
from formgen.intake.grid import Cell, GridDocument, Line, Table
from formgen.intake.matcher import line_pairs, match, match_all
from formgen.intake.validate import validate
from formgen.forms import BUILTIN_FORMS

FORMS = builtin_forms()


def table(rows, spans=None, anchors=None, index=0):
    """Cells from a list of rows; ``spans`` maps (r, c) → (rowspan, colspan); None = covered."""
    spans = spans or {}
    anchors = anchors or {}
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            cells.append(Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs, anchors=anchors.get((r, c), []),
                              where=f"表1 第{r + 1}行第{c + 1}列"))
    return Table(cells=cells, index=index)


def doc(*blocks, method="labels", properties=None):
    return GridDocument(source="x.docx", blocks=list(blocks), method=method, properties=properties or {})


APPLICATION = [
    ["姓  名", "张　晓明", "性　　别", "男 ", "出生日期", "1982年7月"],
    ["工作单位及职务", "市民政局办公室主任", None, None, None, None],
    ["政治\n面貌", "中共党员", "学历", "大学本科", None, None],
    ["主\n要\n工\n作\n简\n历", "2001—2005\u3000学习\n2005—至今\u3000科员", None, None, None, None],
    ["曾获\n荣誉", "", None, None, None, None],
    ["主要事迹（500字左右）", None, None, None, None, None],
    ["（500字左右事迹简述，可附页）\n\u3000\u3000张晓明同志……\n\u3000\u3000第二段。", None, None, None, None, None],
    ["推荐\n单位\n意见", "同意推荐。\n\n（盖章）\n年   月   日", None, None, None, None],
]
APP_SPANS = {(1, 1): (1, 5), (2, 3): (1, 3), (3, 1): (1, 5), (4, 1): (1, 5), (5, 0): (1, 6), (6, 0): (1, 6),
             (7, 1): (1, 5)}


def test_application_by_labels():
    r = match(doc(table(APPLICATION, APP_SPANS)), FORMS)  # no title at all
    assert r.form_type == "candidate_application" and r.method == "labels"
    assert r.fields == {
        "name": "张晓明", "gender": "男", "birth": "1982-07", "unit_title": "市民政局办公室主任",
        "political": "中共党员", "education": "大学本科", "resume": "2001—2005\u3000学习\n2005—至今\u3000科员",
        "honors": None, "deeds": "张晓明同志……\n第二段。", "recommender_opinion": "同意推荐。",
    }
    assert r.provenance["deeds"].where == "表1 第7行第1列"
    assert r.items == []
    validate(r, BUILTIN_FORMS["candidate_application"])
    assert [p.field for p in r.problems] == ["deeds"]  # only the length warning
    assert "仅" in r.problems[0].message and r.problems[0].severity == "warning"


def test_label_split_over_a_page_break_and_inline_values():
    rows = [["姓名：李四", "性别", "女"], ["出生年月", "1990-1", None], ["推荐单", "同意。", None],
            ["位意见", "", None], ["政治面貌", "群众", None]]
    r = match(doc(Line("“勤廉标兵”候选人申报表"), table(rows, {(1, 1): (1, 2), (2, 1): (1, 2), (3, 1): (1, 2),
                                                                (4, 1): (1, 2)})), FORMS)
    assert r.form_type == "candidate_application"
    assert r.fields["name"] == "李四"
    assert r.fields["gender"] == "女"
    assert r.fields["birth"] == "1990-01"
    assert r.fields["recommender_opinion"] == "同意。"
    missing = {p.field for p in r.problems if "没有找到" in p.message}
    assert missing == {"unit_title", "education", "resume", "deeds"}  # honors is optional


def test_post_nomination_unit_from_line_and_headcount():
    rows = [["被推荐岗位", "婚姻登记窗口", None, None],
            ["被推荐岗位人数", "１５人", "被推荐岗位主要负责人", "施晓红"],
            ["被推荐岗位\n主要职责", "1．登记；\n2．查询。", None, None],
            ["主\n要\n做\n法\n和\n成\n效", "（可另附页）1．推进阳光政务。", None, None],
            ["镇街党（工）委\n或市级部门党委（组）\n意\u3000\u3000见", "\n（盖章）\n年 月 日", None, None]]
    spans = {(0, 1): (1, 3), (2, 1): (1, 3), (3, 1): (1, 3), (4, 1): (1, 3)}
    r = match(doc(Line("推荐单位: 市民政局"), table(rows, spans)), FORMS)
    assert r.form_type == "post_nomination"
    assert r.fields == {"recommending_unit": "市民政局", "post": "婚姻登记窗口", "headcount": 15,
                        "post_leader": "施晓红", "duties": "1．登记；\n2．查询。", "practices": "1．推进阳光政务。",
                        "party_opinion": None}


SCORE_ROWS = [
    ["项目", "分值", "考核内容", "评分标准", "考核方式", "自评分", "备注"],
    ["组 织 宣 传", "10分", "…", "…", "查阅台账", "10分", "无"],
    ["硬\n件\n设\n施", "15分", "…", "…", "实地查看", "１４．５", ""],
    ["管理制度", "15分", "…", "…", "…", "", ""],
    ["工作作风", "15分", "…", "…", "…", "13", ""],
    ["依法行政", "25分", "…", "…", "…", "二十", ""],
    ["服务质量", "20分", "…", "…", "…", "21", ""],
    ["合计", "100分", "", None, None, "79", ""],
]


def test_post_score_sheet_items_and_subject():
    r = match(doc(Line("参评单位：市民政局\u3000\u3000\u3000参评岗位：婚姻登记窗口"),
                  table(SCORE_ROWS, {(7, 2): (1, 3)})), FORMS)
    assert r.form_type == "post_score_sheet"
    assert [(i["name"], i["score"]) for i in r.items] == [
        ("组织宣传", 10), ("硬件设施", 14.5), ("管理制度", None), ("工作作风", 13), ("依法行政", None),
        ("服务质量", 21)]
    assert r.items[0]["max"] == 10
    assert r.subject == "婚姻登记窗口"
    assert r.fields == {}
    validate(r, BUILTIN_FORMS["post_score_sheet"])
    by_field = {p.field: p.message for p in r.problems}
    assert "不是数字" in by_field["items.依法行政"]
    assert "未填写" in by_field["items.管理制度"]
    assert "超出范围" in by_field["items.服务质量"]


def test_candidate_score_sheet_subject_and_header_得分():
    rows = [["项目", "分值", "评选标准", "考核方式", "得分"]] + [
        [name, "20分", "…", "征求意见", s] for name, s in
        [("政治坚定", "18分"), ("作风优良", "20"), ("爱岗敬业", "19.5"), ("廉洁自律", "19.5分"), ("加分项目", "12分")]]
    r = match(doc(Line("“勤廉标兵”评分表"), Line("候选人：司徒静怡\u3000\u3000\u3000所在单位：东山街道办事处"),
                  table(rows)), FORMS)
    assert r.form_type == "candidate_score_sheet"
    assert [i["score"] for i in r.items] == [18, 20, 19.5, 19.5, 12]
    assert r.subject == "司徒静怡"


def test_score_sheet_continued_on_a_second_table_without_header():
    first = table(SCORE_ROWS[:4])
    rest = table(SCORE_ROWS[4:7], index=1)
    r = match(doc(first, rest), FORMS)
    assert [i["score"] for i in r.items][3:] == [13, None, 21]


def test_unknown_and_deeds_documents():
    r = match(doc(table([["会议", "时间"], ["周一", "9点"]])), FORMS)
    assert r.form_type is None and r.problems and r.problems[0].severity == "error"
    long_text = "张晓明同志扎根基层二十年，" * 40
    r = match(doc(Line("张晓明同志详细事迹材料"), Line(long_text)), FORMS)
    assert r.form_type is None and r.kind == "deeds_document" and long_text in r.text
    r = match(doc(), FORMS)
    assert r.form_type is None and "没有可读取的文字" in r.problems[0].message


def test_tagged_values_come_from_bookmarked_cells():
    rows = [["姓名", "王五", "性别", "女"], ["出生年月", "1980.3", "文化程度", "本科"]]
    anchors = {(0, 1): ["fg_name"], (0, 3): ["fg_gender"], (1, 1): ["fg_birth"]}
    t = table(rows, anchors=anchors)
    props = {"formgen_form_type": "candidate_application", "formgen_unit": "市民政局"}
    r = match(doc(t, properties=props), FORMS)
    assert r.form_type == "candidate_application" and r.method == "tagged"
    assert r.fields["name"] == "王五" and r.fields["gender"] == "女" and r.fields["birth"] == "1980-03"
    assert r.provenance["name"].method == "tagged"
    assert r.fields["education"] == "本科" and r.provenance["education"].method == "labels"  # no anchor: by label
    assert r.anchors == {"unit": "市民政局"}


def test_tagged_scores_and_subject():
    rows = [["项目", "分值", "得分"]] + [[n, "20分", str(15 + i)] for i, n in
                                          enumerate(["政治坚定", "作风优良", "爱岗敬业", "廉洁自律", "加分项目"])]
    anchors = {(i + 1, 2): [f"fg_score_{i + 1:02d}"] for i in range(5)}
    r = match(doc(Line("候选人：赵六", anchors=["fg_subject"]), Line("评分表", anchors=["fgform_candidate_score_sheet"]),
                  table(rows, anchors=anchors)), FORMS)
    assert r.method == "tagged" and r.form_type == "candidate_score_sheet"
    assert [i["score"] for i in r.items] == [15, 16, 17, 18, 19]
    assert r.subject == "赵六"


def test_one_file_with_two_forms():
    app = table(APPLICATION, APP_SPANS)
    rows = [["项目", "分值", "得分"]] + [[n, "20分", "18"] for n in ["政治坚定", "作风优良", "爱岗敬业", "廉洁自律", "加分项目"]]
    results = match_all(doc(Line("附件4"), app, Line("附件2"), Line("“勤廉标兵”评分表"), table(rows, index=1)), FORMS)
    assert [r.form_type for r in results] == ["candidate_application", "candidate_score_sheet"]
    assert results[0].fields["name"] == "张晓明"
    assert [i["score"] for i in results[1].items] == [18] * 5


def test_ocr_tolerates_one_wrong_character_in_a_label():
    rows = [["姓名", "张三", "性別", "男"], ["出生年月", "1980.01", "政治面貌", "群众"],
            ["单位及职努", "市民政局", None, None]]
    r = match(doc(table(rows, {(2, 1): (1, 3)}), method="ocr"), FORMS)
    assert r.method == "ocr" and r.fields["unit_title"] == "市民政局"


def test_header_row_layout_values_below_labels():
    rows = [["姓名", "性别", "出生年月", "政治面貌"], ["王芳", "女", "1979.11", "群众"],
            ["单位及职务", "市财政局科长", None, None]]
    r = match(doc(Line("“勤廉标兵”候选人申报表"), table(rows, {(2, 1): (1, 3)})), FORMS)
    assert (r.fields["name"], r.fields["gender"], r.fields["birth"], r.fields["political"]) == (
        "王芳", "女", "1979-11", "群众")
    assert r.fields["unit_title"] == "市财政局科长"


def test_line_pairs():
    assert line_pairs("候选人：司徒静怡\u3000\u3000所在单位：东山街道") == [("候选人", "司徒静怡"), ("所在单位", "东山街道")]
    assert line_pairs("推荐单位: 市民政局") == [("推荐单位", "市民政局")]
    assert line_pairs("单位（盖章）：        年   月   日")[0][0] == "单位(盖章)"
    assert line_pairs("没有冒号的一行") == []

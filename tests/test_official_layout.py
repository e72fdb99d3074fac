"""Paper details of the official documents the category presets print (seeds 001, 003):
the 红头 of a single office, titles broken between words, attachment lines aligned under
their names, the plaque list's columns and count, certificates without a one-character stub,
and the quarter on the quarterly 三牛奖."""
from __future__ import annotations

import datetime as dt

from docx import Document

from formgen.campaign.presets import preset_dir
from formgen.campaign.load import load_campaign
from formgen.issue.templates import build_notice
from formgen.publish import layout, plaques
from formgen.publish.certificates import body_size, certificate_lines
from formgen.publish.model import PublishInput, Winner, honor_title
from formgen.titles import title_lines


def _campaign(preset):
    return load_campaign(preset_dir(preset) / "campaign.yaml")


def test_titles_break_between_words():
    # GB/T 9704 7.3.1: 回行时要做到词意完整; 19 characters of 2号 fit the 156 mm type area
    assert title_lines("关于表彰2024年度政务服务先进集体和个人的决定", 19) == \
        ["关于表彰2024年度政务服务", "先进集体和个人的决定"]
    assert title_lines("关于开展2012年度省直机关效能建设考核工作的通知", 19) == \
        ["关于开展2012年度省直机关", "效能建设考核工作的通知"]


def test_a_single_office_mark_is_one_centred_line():
    doc = build_notice(_campaign("anhui-provincial"))
    assert "省直效能办文件" in [p.text for p in doc.paragraphs]  # not spread over a table across the line
    assert not any("省直效能办" in c.text for t in doc.tables for c in t._cells)
    joint = build_notice(_campaign("ruian-2014"))  # two offices: stacked beside one 文件
    assert any(c.text == "文件" for t in joint.tables for c in t._cells)


def test_notice_signature_never_splits_from_its_date():
    doc = build_notice(_campaign("kunshan-awards"))
    sig = next(t for t in doc.tables if "{{ date_text }}" in "".join(c.text for c in t._cells))
    assert sig.rows[0]._tr.trPr.xml.count("cantSplit") == 1
    att = next(p for p in doc.paragraphs if "附件：" in p.text)
    assert att.paragraph_format.keep_with_next  # the attachment list goes with the signature


def test_attachment_names_wrap_under_their_first_character():
    doc = layout.new_document()
    layout.attachment_note(doc, ["甲", "乙"])
    first, second = doc.paragraphs[-2:]
    ind = [p._p.pPr.ind for p in (first, second)]
    # “附件：1．” = 2 + 3 + 1.5 characters: the name starts 6.5 characters in; so do its wrapped lines
    assert [i.get(i.tag.replace("ind", "leftChars")) for i in ind] == ["650", "650"]
    assert [i.get(i.tag.replace("ind", "hangingChars")) for i in ind] == ["450", "150"]
    assert first.paragraph_format.keep_with_next and not second.paragraph_format.keep_with_next


def test_hall_plaque_list_has_no_repeated_unit_column_and_counts_under_the_title(tmp_path):
    c = _campaign("kunshan-awards")
    hall = next(a for a in c.awards if a.id == "hall")
    names = ["张浦镇政务服务中心", "城北城市管理办事处便民服务中心", "花桥行政服务分中心"]
    data = PublishInput(c, {"hall": [Winner("hall", i, n, n) for i, n in enumerate(names, 1)]}, dt.date(2024, 12, 30))
    path = plaques.write_docx(data, hall, tmp_path / "授牌名单.docx")
    doc = Document(str(path))
    rows = [[cell.text for cell in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "岗位名称", "牌匾文字", "负责人"]
    assert rows[2][:3] == ["2", "城北城市管理办事处便民服务中心", "2024年度昆山市政务服务“政务大厅奖”"]
    assert "（共3个）" in [p.text for p in doc.paragraphs]


def test_quarterly_awards_name_their_quarter():
    c = _campaign("kunshan-awards")
    ox = next(a for a in c.awards if a.id == "ruziniu")
    person = next(a for a in c.awards if a.id == "zuimeiren")
    # seed 003: 三牛奖 “每季度评选”; this workspace runs 2024's fourth quarter, the 最美 awards the year
    assert certificate_lines(c, ox, "张三", "某窗口")[1] == "被评为2024年第四季度昆山市政务服务“孺子牛奖”。"
    assert honor_title(c, person) == "2024年度昆山市政务服务“最美政务人”"


def test_certificate_text_never_leaves_a_stub_line():
    # 被评为2024年度昆山市政务服务“最美政务人”。 is 22 characters + 2 indent: at 26 pt (22 a line) its
    # last two characters would stand alone, so the next size that takes it whole wins
    pt2, _ = body_size([(layout.text_em("王思远："), True), (layout.text_em("被评为2024年度昆山市政务服务“最美政务人”。"), False),
                        (layout.text_em("特发此证，以资鼓励。"), False)])
    assert pt2 / 2 < 26


def test_a_plaque_list_too_tall_for_the_title_page_takes_the_smaller_size(tmp_path):
    # ten posts of 19 characters in units of 11 wrap at 小四 and would push the whole list (kept together)
    # to page 2, leaving the title alone on page 1; at 五号 each row is one line
    c = _campaign("ruian-2014")
    post = next(a for a in c.awards if a.plaque)
    winners = [Winner(post.id, i, f"市人力资源和社会保障局社会保险窗口{i:02d}", "市人力资源和社会保障局", leader="王建华")
               for i in range(1, 11)]
    path = plaques.write_docx(PublishInput(c, {post.id: winners}, dt.date(2014, 12, 30)), post, tmp_path / "a.docx")
    sizes = {r.font.size.pt for row in Document(str(path)).tables[0].rows[1:] for cell in row.cells
             for p in cell.paragraphs for r in p.runs}
    assert sizes == {10.5}
    short = [Winner(post.id, i, f"窗口{i}", "市公安局") for i in range(1, 11)]
    path = plaques.write_docx(PublishInput(c, {post.id: short}, dt.date(2014, 12, 30)), post, tmp_path / "b.docx")
    assert {r.font.size.pt for row in Document(str(path)).tables[0].rows[1:] for cell in row.cells
            for p in cell.paragraphs for r in p.runs} == {12}

"""Personal data stays where it belongs (formgen.privacy, issue: no ID number or phone on a public list).

The module's own rules first (levels, masks, the ID check digit), then ``check`` on a
publicity list that asks for a personal field, then a whole campaign whose returns carry
planted ID numbers, mobile numbers, addresses and family members: after collect, remind,
panel, score and publish, no public document, judges' workbook, mail or log holds one.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli_helpers import assert_one_clean_line
from formgen.cli import cli
from formgen.privacy import allowed, id_number_valid, level_of, mask, propose, redact


# ---------------------------------------------------------------------------- the rules

@pytest.mark.parametrize("label, level", [
    ("身份证号码", "personal"), ("公民身份号码", "internal"), ("手机号码", "personal"), ("联系电话", "personal"),
    ("家庭住址", "personal"), ("家庭主要成员", "personal"), ("照片", "personal"), ("电子邮箱", "personal"),
    ("姓名", "public"), ("所属单位", "public"), ("工作单位及职务", "public"), ("窗口名称", "public"),
    ("单位意见", "internal"), ("出生年月", "internal"), ("主要事迹", "internal"), ("政治面貌", "internal"),
])
def test_a_label_proposes_its_level(label, level):
    assert propose(label) == level


def test_canonical_keys_have_fixed_levels_and_the_campaign_may_change_them():
    assert level_of("name") == "public"
    assert level_of("birth", "出生年月") == "internal"
    assert level_of("deeds", "主要事迹") == "internal"
    # a campaign's own setting wins over the default
    assert level_of("birth", "出生年月", "personal") == "personal"
    assert allowed("public", "public") and allowed("internal", "personal")
    assert not allowed("personal", "internal") and not allowed("internal", "public")


def test_masks_keep_only_what_identifies_nothing():
    # the issue's own examples
    assert mask("330381198207121255", "personal") == "330381********1255"
    assert mask("15505775905", "personal") == "155****5905"
    assert mask("浙江省瑞安市安阳街道万松路88号", "personal") == "浙********"
    assert mask("张晓明", "public") == "张晓明"
    assert mask(None, "personal") is None


def test_redact_masks_numbers_inside_running_text():
    line = "东山街道 申报表 身份证号 330381198207121255 与手机 15505775905 不符（0577-65812345，zxm@ruian.gov.cn）"
    out = redact(line)
    assert "330381198207121255" not in out and "15505775905" not in out and "65812345" not in out
    assert "zxm@" not in out
    assert "东山街道 申报表" in out  # unit, form and field stay readable
    assert redact("2014年10月10日前报送 30 份") == "2014年10月10日前报送 30 份"


def test_id_number_check_digit():
    # GB 11643-1999: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check table 10X98765432
    assert id_number_valid("11010519491231002X")
    assert id_number_valid(planted_id(0))
    assert not id_number_valid("110105194912310021")
    assert not id_number_valid("1101051949123100")


# ---------------------------------------------------------------------------- the campaign

def planted_id(n: int) -> str:
    """A valid ID number (check digit computed) for planted person ``n``."""
    body = f"330381{1975 + n % 20}{(n % 12) + 1:02d}{(n % 27) + 1:02d}{100 + n:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


PERSONAL_FIELDS = [
    {"key": "id_number", "label": "身份证号", "required": False},
    {"key": "mobile", "label": "手机号码", "required": False},
    {"key": "address", "label": "家庭住址", "required": False},
    {"key": "family", "label": "家庭主要成员", "kind": "multiline", "required": False},
]


def with_personal_form(ws) -> None:
    """ruian-2014 whose 申报表 is the office's own, asking for ID number, mobile, address and family."""
    from formgen.forms import BUILTIN_FORMS

    path = ws.root / "campaign.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["builtin_forms"] = [t for t in data["builtin_forms"] if t != "candidate_application"]
    spec = BUILTIN_FORMS["candidate_application"].model_dump(exclude_defaults=True)
    spec["fields"] = spec["fields"][:4] + PERSONAL_FIELDS + spec["fields"][4:]
    spec["template"] = "附件4_候选人申报表（含个人信息）.docx"  # made from this spec, not the built-in layout
    data["forms"] = [spec]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_check_refuses_a_publicity_list_that_asks_for_an_id_number(workspace):
    with_personal_form(workspace)
    path = workspace.root / "campaign.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["publication"]["list_fields"] = ["id_number"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = CliRunner().invoke(cli, ["-C", str(workspace.root), "check"])
    assert res.exit_code != 0
    line = assert_one_clean_line(res)
    assert "publication.list_fields[0]" in line and "身份证号" in line and "个人信息" in line

    data["publication"]["disclose"] = [{"field": "id_number", "reason": "上级要求公示身份证号，本人已书面同意（见档案2014-17号）"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = CliRunner().invoke(cli, ["-C", str(workspace.root), "check", "--fields"])
    assert res.exit_code == 0, res.output
    assert "身份证号（id_number）：个人（默认）" in res.output and "经同意公开" in res.output


def test_a_disclosure_of_an_unknown_field_is_named(workspace):
    path = workspace.root / "campaign.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["publication"]["disclose"] = [{"field": "shoe_size", "reason": "本人同意"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = CliRunner().invoke(cli, ["-C", str(workspace.root), "check"])
    line = assert_one_clean_line(res)
    assert "publication.disclose[0].field" in line and "shoe_size" in line


def planted_people(real):
    """The sample's people, each candidate with an ID number, a mobile, an address and family."""
    def load():
        people = real()
        for n, unit in enumerate(sorted(people)):
            c = people[unit]["candidate"]
            c["id_number"] = planted_id(n)
            c["mobile"] = f"155{n:04d}{5905 + n:04d}"[:11]
            c["address"] = f"瑞安市安阳街道万松路{100 + n}号{n + 1}幢"
            c["family"] = [f"配偶 林秀{'一二三四五六七八九十'[n % 10]}芬 瑞安市第{n + 1}中学教师",
                           f"女儿 {c['name'][0]}{'雨思晓若'[n % 4]}{'涵琪萱'[n % 3]} 学生"]
        return people
    return load


def document_texts(root: Path) -> dict[Path, str]:
    """The text of every file under ``root`` a person or program could read: docx/xlsx XML, pdf text, eml, logs."""
    import pdfplumber

    out = {}
    for p in root.rglob("*"):
        if not p.is_file():
            continue
        suffix = p.suffix.lower()
        if suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(p) as z:
                out[p] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        elif suffix == ".pdf":
            with pdfplumber.open(p) as pdf:
                out[p] = "".join(page.extract_text() or "" for page in pdf.pages)
        elif suffix in (".eml", ".log", ".txt", ".csv", ".json", ".md"):
            out[p] = p.read_text(encoding="utf-8", errors="replace")
            if suffix == ".eml":
                import email
                from email import policy

                msg = email.message_from_bytes(p.read_bytes(), policy=policy.default)
                out[p] += "".join(part.get_content() for part in msg.walk()
                                  if part.get_content_maintype() == "text")
    return out


def xml_text(text: str) -> str:
    """Text runs of WordprocessingML / SpreadsheetML joined, entities decoded (openpyxl writes
    non-ASCII text as &#NNNNN; references)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", text))


@pytest.mark.soffice
def test_planted_personal_data_reaches_no_public_document_judge_mail_or_log(workspace, monkeypatch):
    import formgen.sample.fill as fill
    from formgen.cli.demo import DEMO_JUDGES
    from formgen.sample.judges import fill_panel
    from formgen.workspace import Workspace

    monkeypatch.setattr(fill, "load_people", planted_people(fill.load_people))
    monkeypatch.setenv("TMPDIR", str(workspace.root / "out" / "logs"))
    (workspace.root / "out" / "logs").mkdir(parents=True)
    with_personal_form(workspace)
    ws = Workspace.open(workspace.root)
    people = fill.load_people()
    planted = {v for p in people.values() for k, v in p["candidate"].items() if k in ("id_number", "mobile", "address")}
    planted |= {line.split()[1] for p in people.values() for line in p["candidate"]["family"]}
    run = CliRunner()

    def formgen(*args):
        res = run.invoke(cli, ["-C", str(ws.root), *args])
        assert res.exit_code == 0, res.output
        return res.output

    printed = formgen("issue")
    fill.write_returns(ws, use_soffice=False)
    printed += formgen("collect", "--jobs", "1")
    printed += formgen("remind")
    printed += formgen("panel", "--judges", DEMO_JUDGES)
    fill_panel(ws, sorted((ws.out / "panel").glob("*.xlsx")))
    printed += formgen("panel", "--read")
    printed += formgen("score")
    printed += formgen("publish")
    printed += formgen("export")
    printed += formgen("export", "--fields", "public")

    texts = document_texts(ws.out)
    # the returns really carried them, and the ledger holds them: the one place for all of it
    with ws.ledger() as ledger:
        from formgen.ledger.forms import effective_forms

        held = {str(v) for f in effective_forms(ledger, form_type="candidate_application")
                for k, v in f.fields.items() if k in ("id_number", "mobile", "address")}
    assert len(held & planted) >= 15, sorted(held)[:5]

    may_hold = {"收件情况.xlsx"}  # the clerk's own check (masked but for the values to check, see below)
    leaks = {}
    for path, text in texts.items():
        if path.name in may_hold or path.parent.name == "collect":
            continue
        if path.suffix == ".xlsx" and path.parent.name == "export":
            continue  # checked below, per level
        body = xml_text(text) if path.suffix in (".docx", ".xlsx") else text
        found = sorted(v for v in planted if v in body)
        if found:
            leaks[str(path.relative_to(ws.root))] = found[:3]
    assert not leaks, leaks
    assert not [v for v in planted if v in printed]  # the terminal's progress and notes

    # 收件情况.xlsx names the unit, file, field and problem: no personal value is needed there either
    status = xml_text(texts[ws.out / "collect" / "收件情况.xlsx"])
    assert not [v for v in planted if v in status]
    internal = xml_text(texts[ws.out / "export" / "推荐人选汇总表.xlsx"])
    assert not [v for v in planted if v in internal]
    assert "出生年月" in internal and "主要事迹" in internal

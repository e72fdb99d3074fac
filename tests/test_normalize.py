import pytest

from formgen.forms import STAMP_PLACEHOLDERS
from formgen.intake.normalize import (
    clean_multiline, clean_short, fold_compat, label_key, normalize_birth, normalize_gender, parse_integer,
    parse_score, strip_parens, strip_placeholders,
)


@pytest.mark.parametrize("raw, key", [
    ("姓  名", "姓名"), ("性　　别", "性别"), ("主\n要\n事\n迹", "主要事迹"), ("出生\n年月：", "出生年月"),
    ("镇街党（工）委\n或市级部门党委（组）\n意　　见", "镇街党(工)委或市级部门党委(组)意见"),
    ("组 织 宣 传", "组织宣传"), ("⽅式", "方式"),
])
def test_label_key(raw, key):
    assert label_key(raw) == key


def test_strip_parens_drops_notes_only():
    assert strip_parens(label_key("主要事迹（500字左右）")) == "主要事迹"
    assert strip_parens("镇街党(工)委或市级部门党委(组)意见") == "镇街党委或市级部门党委意见"


def test_fold_compat_keeps_full_width_punctuation():
    assert fold_compat("⽅案（１９号）：好") == "方案（19号）：好"


@pytest.mark.parametrize("raw, value", [
    ("18分", 18.0), ("１９", 19.0), ("14.0", 14.0), ("19.5分", 19.5), (" 24.5 分 ", 24.5), ("１３．５", 13.5),
    ("", None), ("  ", None), (None, None),
])
def test_parse_score(raw, value):
    assert parse_score(raw) == value


@pytest.mark.parametrize("raw", ["十八", "18/20", "约18分", "abc", "1 8 . 5x"])
def test_parse_score_rejects_garbage(raw):
    with pytest.raises(ValueError):
        parse_score(raw)


@pytest.mark.parametrize("raw, value", [
    ("1982.07", "1982-07"), ("1982年7月", "1982-07"), ("1982-7", "1982-07"), ("198207", "1982-07"),
    ("１９７１．０５", "1971-05"), ("1971年12月3日", "1971-12"), ("1983年10月", "1983-10"), ("197112", "1971-12"),
    ("1983/9", "1983-09"), ("1983.10.", "1983-10"), ("19830915", "1983-09"), ("1983 年 9 月", "1983-09"),
])
def test_normalize_birth(raw, value):
    assert normalize_birth(raw) == value


@pytest.mark.parametrize("raw", ["1982", "1982.13", "八二年七月", "不详", "1982年7月40日"])
def test_normalize_birth_rejects(raw):
    with pytest.raises(ValueError):
        normalize_birth(raw)


def test_gender_and_integer():
    assert normalize_gender("女 ") == "女"
    assert normalize_gender("男性") == "男"
    assert normalize_gender("") is None
    with pytest.raises(ValueError):
        normalize_gender("未知")
    assert parse_integer("4人") == 4
    assert parse_integer("１５") == 15
    assert parse_integer("十五名") == 15
    assert parse_integer("二十") == 20
    with pytest.raises(ValueError):
        parse_integer("四五个人左右")


def test_strip_placeholders_stamp_lines_with_any_spacing():
    text = "该同志事迹属实，同意推荐。\n\n                （盖章）\n  2014年   月   日 "
    assert clean_multiline(strip_placeholders(text, STAMP_PLACEHOLDERS, stamp=True)) == "该同志事迹属实，同意推荐。"
    assert clean_multiline(strip_placeholders("\n（盖章）\n年    月    日", STAMP_PLACEHOLDERS, stamp=True)) is None
    # A filled-in date stays: it is what the unit wrote.
    assert "2014年9月28日" in strip_placeholders("同意。\n2014年9月28日", STAMP_PLACEHOLDERS, stamp=True)


def test_strip_placeholders_inline_and_half_width():
    ph = ["（500字左右事迹简述，可附页）"]
    assert strip_placeholders("（500字左右事迹简述，可附页）　　林昇同志", ph).strip() == "林昇同志"
    assert strip_placeholders("(500字左右事迹简述,可附页)林昇同志", ph) == "林昇同志"


def test_clean_values():
    assert clean_short("林　　昇") == "林昇"
    assert clean_short("市交通运输局 运输管理所副所长") == "市交通运输局 运输管理所副所长"
    assert clean_short("东山街道办事处\n便民服务中心主任") == "东山街道办事处便民服务中心主任"
    assert clean_short("  \n ") is None
    assert clean_multiline("\u3000\u3000第一段\n\n\u3000\u3000第二段\n") == "第一段\n第二段"

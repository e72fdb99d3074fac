"""``formgen new DIR``: a campaign from a few answers, with defaults from the nearest preset.

The questions are what a campaign needs and nothing else: name, year, issuer; deadlines (the
publicity counted in working days); the awards (name, who is nominated, how many per unit, quota
and per-category quota); the judges, with groups and weights where there are any. Answers come from
a small YAML file (keys as the questions name them, :data:`QUESTIONS`), the rest from ``ask`` — the
CLI prompts in Chinese; scripts and tests pass the file alone.

The result is a commented campaign.yaml that ``formgen check`` passes: the rubric is one judged item
until ``formgen rubric import`` reads the office's 评分表, and the forms come from ``formgen forms import``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from formgen.campaign.load import load_campaign_text
from formgen.campaign.model import Campaign
from formgen.campaign.presets import preset_campaign
from formgen.errors import ConfigError

SUBJECTS = {"个人": "person", "岗位": "post", "窗口": "window", "单位": "unit", "大厅": "hall", "科室": "department"}
SUBJECT_WORD = {v: k for k, v in SUBJECTS.items()}
# The preset an award of this kind is closest to (its defaults: publicity days, quota, certificate/plaque).
NEAREST_PRESET = {"person": "ruian-2014", "post": "ruian-2014", "window": "kunshan-awards", "hall": "kunshan-awards",
                  "unit": "anhui-provincial", "department": "town-internal"}
MEASURE = {"person": "名", "post": "个", "window": "个", "unit": "个", "hall": "个", "department": "个"}

# (answer key, question) in the order they are asked.
QUESTIONS = [
    ("活动名称", "活动名称（如 2025年度青川县“最佳办事窗口”评选）"),
    ("年度", "年度"),
    ("发文机关", "发文机关（几个机关联合发文用“、”隔开）"),
    ("发文字号", "发文字号（如 青效办〔2025〕3号）"),
    ("成文日期", "通知的成文日期（如 2025-03-10）"),
    ("联系部门", "报送材料的联系部门"),
    ("联系人", "联系人"),
    ("联系电话", "联系电话"),
    ("联系邮箱", "联系邮箱（没有就留空）"),
    ("报送截止", "报送截止时间（如 2025-03-31 17:00）"),
    ("评审完成", "评审完成日期"),
    ("公示开始", "公示开始日期"),
    ("公示工作日", "公示几个工作日"),
    ("表彰日期", "表彰日期"),
    ("单位类别", "单位类别（用“、”隔开；不分类别就留空）"),
]
AWARD_QUESTIONS = [
    ("名称", "奖项名称（如 最佳办事窗口）"),
    ("推荐对象", "推荐的是什么：个人、岗位、窗口、单位、大厅或科室"),
    ("每单位推荐", "每个单位推荐几个"),
    ("名额", "评选名额（共几个）"),
    ("分类名额", "按类别的名额（如 县级部门=5、乡镇=3；不分就留空）"),
]


@dataclass
class Answers:
    values: dict
    awards: list[dict] = field(default_factory=list)
    judges: list[str] = field(default_factory=list)  # "张三" or "张三：班子成员"
    groups: dict[str, float] = field(default_factory=dict)  # group → weight


def read_answers_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"找不到答案文件 {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError):
        raise ConfigError(f"{Path(path).name}：不是 UTF-8 的 YAML 文件（每行“问题: 回答”），请检查缩进和冒号") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{Path(path).name}：应为“问题: 回答”的键值表，如“活动名称: 2025年度……评选”")
    known = {k for k, _ in QUESTIONS} | {"奖项", "评委", "评委分组"}
    unknown = [k for k in data if k not in known]
    if unknown:
        raise ConfigError(f"{Path(path).name}：不认识的问题“{'、'.join(map(str, unknown))}”（可写：{'、'.join(sorted(known))}）")
    return data


def _split(text) -> list[str]:
    if text is None:
        return []
    if isinstance(text, list):
        return [str(x).strip() for x in text if str(x).strip()]
    return [x.strip() for x in re.split(r"[、,，;；\s]+", str(text)) if x.strip()]


def _pairs(text) -> dict[str, str]:
    if isinstance(text, dict):
        return {str(k): str(v) for k, v in text.items()}
    out = {}
    for part in _split(text):
        k, sep, v = part.replace("＝", "=").replace("：", "=").replace(":", "=").partition("=")
        if not sep:
            raise ConfigError(f"“{part}”应写成“类别=名额”，如 乡镇=3")
        out[k.strip()] = v.strip()
    return out


def _int(value, what: str, low: int = 0) -> int:
    try:
        n = int(str(value).strip().rstrip("个名人日天"))
    except ValueError:
        raise ConfigError(f"{what}应为整数，回答的是“{value}”") from None
    if n < low:
        raise ConfigError(f"{what}不能小于 {low}，回答的是 {n}")
    return n


def _date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.fullmatch(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*", str(value))
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except (AttributeError, ValueError):
        raise ConfigError(f"{what}应为日期，如 2025-03-31，回答的是“{value}”") from None


def _datetime(value, what: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(.+?)\s+(\d{1,2})[:：](\d{2})", text)
    day = _date(m.group(1) if m else text, what)
    hour, minute = (int(m.group(2)), int(m.group(3))) if m else (23, 59)
    if hour > 23 or minute > 59:
        raise ConfigError(f"{what}的时刻不对：“{value}”")
    return dt.datetime(day.year, day.month, day.day, hour, minute, 59 if not m else 0)


def collect_answers(given: dict, ask: Callable[[str, str], str] | None) -> Answers:
    """The answers of the file, with each missing one asked (default from the nearest preset);
    ConfigError for a missing answer when there is no one to ask."""
    awards_given = given.get("奖项") or []
    if isinstance(awards_given, dict):
        awards_given = [awards_given]
    first_subject = SUBJECTS.get(str((awards_given[0] if awards_given else {}).get("推荐对象", "")).strip())
    if first_subject is None and ask:
        first_subject = SUBJECTS.get(ask("推荐的是什么：个人、岗位、窗口、单位、大厅或科室", "个人"), "person")
    preset = preset_campaign(NEAREST_PRESET.get(first_subject or "person", "ruian-2014"))
    today = dt.date.today()
    defaults = {
        "年度": str(today.year), "发文机关": "、".join(preset.issuer.offices), "成文日期": today.isoformat(),
        "联系部门": preset.contact.department, "公示工作日": str(preset.deadlines.publicity_working_days),
        "联系邮箱": "", "单位类别": "",
    }
    values: dict = {}

    def answer(key: str, question: str, pool: dict, default: str | None):
        if key in pool and pool[key] not in (None, ""):
            return pool[key]
        if key in pool or ask is None:
            if default is not None:
                return default
            raise ConfigError(f"答案文件中缺少“{key}”（{question}）")
        return ask(question, default if default is not None else "")

    for key, question in QUESTIONS:
        values[key] = answer(key, question, given, defaults.get(key))
    awards = []
    pool_awards = awards_given or [{}]
    for n, pool in enumerate(pool_awards):
        a = {}
        preset_award = next((x for x in preset.awards if x.subject == SUBJECTS.get(str(pool.get("推荐对象")), first_subject)),
                            preset.awards[0])
        adefaults = {"推荐对象": SUBJECT_WORD.get(first_subject or "person", "个人"), "每单位推荐": str(preset_award.per_unit),
                     "名额": str(preset_award.quota.total or 10), "分类名额": ""}
        for key, question in AWARD_QUESTIONS:
            a[key] = answer(key, f"第{n + 1}个奖项：{question}", pool, adefaults.get(key))
        awards.append(a)
    judges = _split(given["评委"]) if "评委" in given else _split(ask("评委姓名（用“、”隔开；分组的写“张三：班子成员”）", "")
                                                                   if ask else "")
    groups_raw = given.get("评委分组") if "评委分组" in given else (ask("评委分组和权重（如 班子成员=0.5、干部职工=0.5；不分组就留空）", "")
                                                           if ask else "")
    groups = {k: float(v) for k, v in _pairs(groups_raw).items()} if groups_raw else {}
    return Answers(values=values, awards=awards, judges=judges, groups=groups)


def _q(value) -> str:
    """One YAML scalar or flow collection."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10000).strip()
    return text[:-4].strip() if text.endswith("\n...") else text.removesuffix("...").strip()


def campaign_yaml(ans: Answers) -> str:
    """The commented campaign.yaml of the answers."""
    v = ans.values
    name = str(v["活动名称"]).strip()
    year = _int(v["年度"], "年度", 2000)
    offices = _split(v["发文机关"])
    if not offices:
        raise ConfigError("发文机关不能为空")
    issued = _date(v["成文日期"], "成文日期")
    submit = _datetime(v["报送截止"], "报送截止时间")
    evaluate, start, commend = (_date(v[k], k) for k in ("评审完成", "公示开始", "表彰日期"))
    days = _int(v["公示工作日"], "公示工作日", 1)
    categories = _split(v["单位类别"])
    lines = [
        f"# {name}",
        "# 由 formgen new 按回答生成。表格和评分细则请用 formgen forms import / formgen rubric import",
        "# 从办公室自己的 Word 文件导入，不必手改本文件；改动后运行 formgen check 检查。",
        f"id: {_q(_slug(name, year))}",
        f"name: {_q(name)}",
        f"year: {year}",
        f'template_version: "{year}.1"',
        "",
        "issuer:",
        f"  offices: {_q(offices)}",
        f"  doc_number: {_q(str(v['发文字号']).strip())}",
        f"  date: {issued.isoformat()}",
        "",
        "contact:",
        f"  department: {_q(str(v['联系部门']).strip())}",
        f"  person: {_q(str(v['联系人']).strip())}",
        f"  phone: {_q(str(v['联系电话']).strip())}",
    ]
    if str(v.get("联系邮箱") or "").strip():
        lines.append(f"  email: {_q(str(v['联系邮箱']).strip())}")
    lines += [
        "",
        "deadlines:",
        "  # 报送截止：在这一时刻之前到达的材料按时；只写日期时按当日 23:59 计。",
        f"  submit: {submit.strftime('%Y-%m-%d %H:%M:%S')}",
        f"  evaluate: {evaluate.isoformat()}",
        "  # 公示期按工作日计算（中国法定节假日与调休），自公示开始日起。",
        f"  publicity_start: {start.isoformat()}",
        f"  publicity_working_days: {days}",
        f"  commend: {commend.isoformat()}",
        "",
        "# 单位类别：units.xlsx 的“类别”列取这里的名称。",
        "categories:" + ("" if categories else " []"),
        *[f"  - {{name: {_q(c)}}}" for c in categories],
        "",
        "units_file: units.xlsx",
        "# 评委（综合评定小组）：formgen panel 为每人生成一份评分表；分组的写“姓名：组名”。",
        f"judges: {_q(ans.judges)}",
        "# 表格：formgen forms import 推荐表.docx 写入这里。",
        "forms: []",
        "",
        "awards:",
    ]
    ids: set[str] = set()
    for a in ans.awards:
        lines += _award_yaml(a, categories, ans, ids)
    lines += _notice_yaml(name, offices, str(v["联系部门"]).strip(), str(v["联系电话"]).strip(), submit, ans, categories)
    return "\n".join(lines) + "\n"


def _slug(name: str, year: int) -> str:
    return f"campaign-{year}"


def _award_yaml(a: dict, categories: list[str], ans: Answers, ids: set[str]) -> list[str]:
    subject = SUBJECTS.get(str(a["推荐对象"]).strip())
    if subject is None:
        raise ConfigError(f"推荐对象“{a['推荐对象']}”应为 个人、岗位、窗口、单位、大厅 或 科室 之一")
    aid, n = subject, 2
    while aid in ids:
        aid, n = f"{subject}{n}", n + 1
    ids.add(aid)
    name = str(a["名称"]).strip()
    total = _int(a["名额"], f"奖项“{name}”的名额", 1)
    per_category = {k: _int(x, f"奖项“{name}”类别“{k}”的名额") for k, x in _pairs(a.get("分类名额")).items()} \
        if a.get("分类名额") else {}
    wrong = [k for k in per_category if k not in categories]
    if wrong:
        raise ConfigError(f"奖项“{name}”按类别的名额中“{'、'.join(wrong)}”不是单位类别（单位类别：{'、'.join(categories) or '无'}）")
    if per_category and sum(per_category.values()) > total:
        raise ConfigError(f"奖项“{name}”各类别名额之和 {sum(per_category.values())} 超过总名额 {total}")
    quota = {"total": total, **({"per_category": per_category} if per_category else {})}
    person = subject == "person"
    aggregation = {"method": "mean", "self_assessment_fallback": False, "decimals": 2}
    if ans.groups:
        aggregation = {"method": "weighted_groups", "groups": [{"name": g, "weight": w} for g, w in ans.groups.items()],
                       "decimals": 2}
    return [
        f"  - id: {aid}",
        f"    name: {_q(name)}",
        f"    subject: {subject}",
        f"    honor: {_q(('授予“' + name + '”荣誉称号') if person else ('授予“' + name + '”称号'))}",
        f"    title_for_winner: {_q(name)}",
        f"    name_field: {'name' if person else subject}",
        f"    per_unit: {_int(a['每单位推荐'], f'奖项“{name}”每单位推荐数', 1)}",
        "    certificate: true",
        f"    quota: {_q(quota)}",
        "    # 名次不得并列：总分 → 按评分项目顺序逐项比较 → 材料送达早者 → 名称笔画。",
        "    tie_break: [total, items_in_order, earlier_submission, stroke_order]",
        "    rubric:",
        "      # 评分细则：formgen rubric import 评分表.docx 从办公室的评分表导入，替换下面这一项。",
        "      total: 100",
        f"      aggregation: {_q(aggregation)}",
        "      items:",
        "        - {name: 综合评价, max: 100}",
        "",
    ]


def _notice_yaml(name: str, offices: list[str], dept: str, phone: str, submit: dt.datetime, ans: Answers,
                 categories: list[str]) -> list[str]:
    quota_text = "，".join(f"{str(a['名称']).strip()}{a['名额']}{MEASURE.get(SUBJECTS.get(str(a['推荐对象']).strip(), 'unit'), '个')}"
                          for a in ans.awards)
    deadline = f"{submit.year}年{submit.month}月{submit.day}日"
    return [
        "# 通知：formgen notice import 通知.docx 可改用办公室自己的通知；否则按下面的文字生成。",
        "notice:",
        f"  title: {_q('关于开展' + name + '活动的通知')}",
        f"  recipients: {_q('、'.join(categories) + '各单位' if categories else '各有关单位')}",
        f"  opening: {_q('为进一步加强作风效能建设，决定开展' + name + '活动。现将有关事项通知如下：')}",
        "  sections:",
        "    - heading: 一、评选名额",
        f"      paragraphs: [{_q(quota_text + '。')}]",
        "    - heading: 二、报送要求",
        f"      paragraphs: [{_q('请各单位于' + deadline + '前将推荐材料报送' + dept + '（电话：' + phone + '）。')}]",
        "",
        "publication:",
        f"  publicity_title: {_q('关于' + name + '拟表彰对象的公示')}",
        f"  publicity_intro: {_q('经各单位推荐、评审组评审，拟确定以下对象为' + name.removesuffix('评选') + '表彰对象，现予以公示。')}",
        f"  publicity_contact: {_q('公示期间如有异议，请向' + dept + '反映（电话：' + phone + '）。')}",
        f"  commendation_title: {_q('关于表彰' + name.removesuffix('评选') + '的决定')}",
        f"  commendation_opening: {_q('经各单位推荐、评审组评审和社会公示，决定对以下对象予以表彰。')}",
        f"  commendation_closing: {_q('希望受表彰的单位和个人珍惜荣誉、再接再厉。')}",
        "  certificate_text: \"{name}：\\n被评为{year}年度“{award}”。\\n特发此证，以资鼓励。\"",
        f"  certificate_issuer: {_q('　'.join(offices))}",
    ]


def new_campaign_text(given: dict, ask: Callable[[str, str], str] | None = None) -> tuple[str, Campaign]:
    """(campaign.yaml text, its Campaign) from the answers; the text always passes the model's checks."""
    text = campaign_yaml(collect_answers(given, ask))
    return text, load_campaign_text(text)

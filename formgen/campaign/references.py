"""Every name campaign.yaml uses must name something it defines (issue 22, defect 3).

A layout key, a field an award or a rule reads, a form an award or eligibility names,
a category, a judge's group, a template's file name: each is checked here, so that a
mistake is one Chinese line at its full key path (``formgen check`` lists all of them,
every other command stops at the first) and never an internal error in ``issue`` or
``score``. One function per kind of reference.
"""
from __future__ import annotations

from formgen.campaign.model import Campaign

MAX_PER_ROW = 3  # formgen.issue.templates.build_grid_form prints at most three fields to a row


def _choices(names) -> str:
    return f"（可选：{'、'.join(names) or '无'}）"


def layout_problems(c: Campaign) -> list[str]:
    """forms[n].layout: every key a field of that form, each field once, none left out, rows that fit."""
    out = []
    for n, spec in enumerate(c.forms):
        if not spec.layout:
            continue
        keys, seen = spec.keys, set()
        for r, row in enumerate(spec.layout):
            where = f"forms[{n}].layout[{r}]"
            if not row:
                out.append(f"{where}：表格“{spec.title}”的布局中有空行；请删除这一行")
            if len(row) > MAX_PER_ROW:
                out.append(f"{where}：一行最多排 {MAX_PER_ROW} 个字段，这一行有 {len(row)} 个；请拆成两行")
            for k, key in enumerate(row):
                if key not in keys:
                    out.append(f"{where}[{k}]：表格“{spec.title}”的布局引用了未定义的字段“{key}”{_choices(keys)}")
                elif key in seen:
                    out.append(f"{where}[{k}]：字段“{key}”在表格“{spec.title}”的布局中出现了两次；请只保留一处")
                seen.add(key)
        for f in spec.fields:
            if f.key not in seen and f.position != "line":
                out.append(f"forms[{n}].layout：表格“{spec.title}”的字段“{f.label}”（{f.key}）没有排进布局，"
                           "下发的表格中将没有这一格；请把它加入 layout")
    return out


def form_problems(c: Campaign) -> list[str]:
    """builtin_forms, form types and field keys defined once, attachment numbers unique, template file names."""
    from formgen.forms import BUILTIN_FORMS

    out = [f"builtin_forms[{n}]：没有名为“{t}”的内置表格{_choices(sorted(BUILTIN_FORMS))}"
           for n, t in enumerate(c.builtin_forms) if t not in BUILTIN_FORMS]
    types: dict[str, int] = {}
    numbers: dict[int, str] = {}
    for spec in c.form_specs():
        types[spec.type] = types.get(spec.type, 0) + 1
        if spec.attachment_no in numbers:
            out.append(f"表格“{spec.title}”与“{numbers[spec.attachment_no]}”的附件序号都是 {spec.attachment_no}；"
                       "请为各表格编不同的 attachment_no")
        elif spec.attachment_no:
            numbers[spec.attachment_no] = spec.title
    out += [f"forms：表格类型“{t}”定义了 {k} 次；每种表格只能定义一次" for t, k in types.items() if k > 1]
    for n, spec in enumerate(c.forms):
        keys = spec.keys
        out += [f"forms[{n}].fields：字段“{k}”在表格“{spec.title}”中定义了两次" for k in dict.fromkeys(keys)
                if keys.count(k) > 1]
        name = spec.template
        if name and (not name.lower().endswith(".docx") or any(ch in name for ch in "/\\:")):
            out.append(f"forms[{n}].template：“{name}”应为 templates 文件夹中的 .docx 文件名（不含文件夹）")
    return out


def award_field_problems(c: Campaign) -> list[str]:
    """The fields an award reads (name_field, facts_from_fields, each rule's field) are fields of its forms."""
    out = []
    known = {s.type: s for s in c.form_specs()}
    for n, a in enumerate(c.awards):
        forms = [known[t] for t in (a.nomination_form, a.score_form) if t in known]
        fields = [f.key for s in forms for f in s.fields]
        where = f"awards[{n}]"
        if a.nomination_form in known and a.subjects == "nominated" and a.name_field not in known[a.nomination_form].keys:
            out.append(f"{where}.name_field：奖项“{a.name}”的对象名称字段“{a.name_field}”不在推荐表"
                       f"“{known[a.nomination_form].title}”中{_choices(known[a.nomination_form].keys)}")
        for fact, key in a.facts_from_fields.items():
            if key not in fields:
                out.append(f"{where}.facts_from_fields.{fact}：奖项“{a.name}”读取的字段“{key}”不在它的表格中{_choices(fields)}")
        for rname, rubric in (("rubric", a.rubric), *((f"category_rubrics.{k}", r) for k, r in a.category_rubrics.items())):
            for i, item in enumerate(rubric.items):
                for j, rule in enumerate(item.rules):
                    if rule.field and rule.field not in fields:
                        out.append(f"{where}.{rname}.items[{i}].rules[{j}].field：评分项“{item.name}”读取的字段"
                                   f"“{rule.field}”不在奖项“{a.name}”的表格中{_choices(fields)}")
    return out


def eligibility_problems(c: Campaign) -> list[str]:
    """eligibility.required_forms are defined form types; field_min reads fields of the award's forms."""
    known = {s.type: s for s in c.form_specs()}
    out = []
    for n, a in enumerate(c.awards):
        for m, t in enumerate(a.eligibility.required_forms):
            if t not in known:
                out.append(f"awards[{n}].eligibility.required_forms[{m}]：奖项“{a.name}”要求的表格类型“{t}”未定义"
                           f"{_choices(sorted(known))}")
        fields = [f.key for t in (a.nomination_form, a.score_form) if t in known for f in known[t].fields]
        for key in getattr(a.eligibility, "field_min", {}) or {}:
            if key not in fields:
                out.append(f"awards[{n}].eligibility.field_min.{key}：奖项“{a.name}”的参评条件读取的字段“{key}”"
                           f"不在它的表格中{_choices(fields)}")
    return out


def category_problems(c: Campaign) -> list[str]:
    """An award ranked within categories has a quota for each of its categories (quota.per_category)."""
    out = []
    for n, a in enumerate(c.awards):
        if a.rank_within != "category" or a.quota.total == 0:
            continue
        cats = a.categories or [x.name for x in c.categories]
        missing = [cat for cat in cats if cat not in a.quota.per_category]
        if missing:
            out.append(f"awards[{n}].quota.per_category：奖项“{a.name}”按类别排名（rank_within: category），"
                       f"但类别“{'、'.join(missing)}”没有名额；请在 quota.per_category 中为它写明名额（0 表示不评选）")
    return out


def judge_problems(c: Campaign) -> list[str]:
    """Judges listed once; a judge's group is one of the weighted groups that count it."""
    names = [j.name for j in c.judges]
    out = [f"judges：评委“{name}”列了两次；同名的两位评委请写明区别（如“张伟（县财政局）”）"
           for name in dict.fromkeys(names) if names.count(name) > 1]
    out += [f"judges[{n}]：评委姓名为空" for n, name in enumerate(names) if not name.strip()]
    groups = {g.name for a in c.awards for rb in (a.rubric, *a.category_rubrics.values())
              if rb.aggregation.method == "weighted_groups" for g in rb.aggregation.groups}
    if groups:
        for n, j in enumerate(c.judges):
            if j.group and j.group not in groups:
                out.append(f"judges[{n}]：评委“{j.name}”的组别“{j.group}”不是评分细则 aggregation.groups 中的组"
                           f"{_choices(sorted(groups))}")
    return out


CHECKS = (layout_problems, form_problems, award_field_problems, eligibility_problems, category_problems, judge_problems)


def reference_problems(c: Campaign, file_name: str = "campaign.yaml") -> list[str]:
    """Every broken reference of the campaign, one line each."""
    return [f"{file_name}：{line}" for check in CHECKS for line in check(c)]

"""The 设置 form (formgen.campaign.settings_form): the same check as formgen check, each error beside its
field, comments kept, a stale form refused, raw YAML checked before it is saved."""
from __future__ import annotations

import pytest

from formgen.campaign.settings_form import save_raw, save_settings, settings_fields, settings_history, version
from formgen.errors import FormgenError
from formgen.workspace import Workspace


def _field(fields, path):
    return next(f for f in fields if f.path == path)


def test_fields_show_the_current_values(workspace):
    fields = settings_fields(workspace.root)
    assert _field(fields, "awards[0].quota.total").value == "10"
    assert _field(fields, "awards[0].quota.total").label == "十大效能示范岗 名额"
    assert _field(fields, "judges").value == ""


def test_each_error_stands_beside_its_field_and_nothing_is_written(workspace):
    before = (workspace.root / "campaign.yaml").read_text(encoding="utf-8")
    done = save_settings(workspace.root, {"awards[0].quota.total": "十个", "deadlines.publicity_working_days": "五天",
                                          "contact.person": "王秘书"}, version(workspace.root), "王秘书")
    assert not done.saved
    quota = _field(done.fields, "awards[0].quota.total")
    assert "awards[0].quota.total" in quota.error and "十个" in quota.error
    days = _field(done.fields, "deadlines.publicity_working_days")
    assert "deadlines.publicity_working_days" in days.error and "五天" in days.error
    assert _field(done.fields, "contact.person").error == ""
    assert (workspace.root / "campaign.yaml").read_text(encoding="utf-8") == before


def test_a_valid_form_is_saved_with_comments_kept_and_the_old_file_kept(workspace):
    root = workspace.root
    done = save_settings(root, {"awards[1].quota.total": "8", "judges": "张三，班子成员，东山街道\n李四",
                                "deadlines.submit": "2014-10-12 17:00"}, version(root), "王秘书")
    assert done.saved and not done.errors, (done.errors, [f.error for f in done.fields if f.error])
    text = (root / "campaign.yaml").read_text(encoding="utf-8")
    assert "# 名次不得并列" in text  # the preset's comments survive
    c = Workspace.open(root).campaign
    assert c.award("person").quota.total == 8
    assert [(j.name, j.group, j.unit) for j in c.judges] == [("张三", "班子成员", "东山街道"), ("李四", None, None)]
    assert (c.deadlines.submit.day, c.deadlines.submit.hour) == (12, 17)
    (kept, who), = settings_history(root)
    assert who == "王秘书" and "quota: {total: 10" in (root / "out/desk/settings" / kept).read_text(encoding="utf-8")


def test_a_form_filled_against_an_older_file_is_refused(workspace):
    root = workspace.root
    old = version(root)
    assert save_settings(root, {"contact.person": "甲"}, old, "甲").saved
    with pytest.raises(FormgenError, match="已被其他人修改"):
        save_settings(root, {"contact.person": "乙"}, old, "乙")


def test_raw_yaml_is_checked_before_it_is_saved(workspace):
    root = workspace.root
    before = (root / "campaign.yaml").read_text(encoding="utf-8")
    errors = save_raw(root, before.replace("year: 2014", "year: 二〇一四"), version(root), "专家")
    assert errors and "campaign.yaml" in errors[0] and "year" in errors[0]
    assert (root / "campaign.yaml").read_text(encoding="utf-8") == before
    assert save_raw(root, before.replace("year: 2014", "year: 2015"), version(root), "专家") == []
    assert Workspace.open(root).campaign.year == 2015

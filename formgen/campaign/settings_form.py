"""campaign.yaml as a form (the desk's 设置 page), checked by the same code as ``formgen check``.

``settings_fields`` lists what a clerk sets — deadlines, quotas, judges, mail, texts — each by its
key path in campaign.yaml. ``save_settings`` writes the changed ones into the YAML keeping its
comments (ruamel round trip), loads every changed field alone and then all together with
``check_workspace``, and puts each error beside the field whose key path it names; nothing is
written while any error stands. The file before every save is kept under out/desk/settings/.
``version`` (the file's digest) makes a form filled against an older file say so instead of
overwriting another clerk's change.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ruamel.yaml import YAML

from formgen.campaign.check import check_workspace
from formgen.errors import FormgenError
from formgen.outputs import write_file

CANDIDATE = "out/desk/campaign.candidate.yaml"  # checked here before it replaces campaign.yaml
HISTORY = "out/desk/settings"


@dataclass
class SettingField:
    path: str  # key path in campaign.yaml: deadlines.submit, awards[0].quota.total …
    label: str
    group: str  # 截止时间 / 名额 / 评委 / 邮箱 / 文字
    kind: str = "text"  # text / date / datetime / number / lines (judges) / long
    value: str = ""
    error: str = ""
    help: str = ""


def version(root: Path) -> str:
    return hashlib.sha256((root / "campaign.yaml").read_bytes()).hexdigest()[:16]


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # long Chinese texts stay on one line
    return y


def _split(path: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _get(doc, path: str):
    node = doc
    for part in _split(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _set(doc, path: str, value) -> None:
    parts = _split(path)
    node = doc
    for part, nxt in zip(parts, parts[1:]):
        if isinstance(node, dict) and (part not in node or node[part] is None):
            node[part] = [] if isinstance(nxt, int) else {}
        node = node[part]
    if value is None and isinstance(node, dict):
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def _judges_text(judges) -> str:
    lines = []
    for j in judges or []:
        if isinstance(j, str):
            lines.append(j)
        else:
            lines.append("，".join(x for x in (j.get("name", ""), j.get("group") or "", j.get("unit") or "")).rstrip("，"))
    return "\n".join(lines)


def _judges_value(text: str) -> list:
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in re.split(r"[,，]", line)]
        if not parts[0]:
            continue
        entry = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            entry["group"] = parts[1]
        if len(parts) > 2 and parts[2]:
            entry["unit"] = parts[2]
        out.append(entry)
    return out


def settings_fields(root: Path) -> list[SettingField]:
    """The form's fields with campaign.yaml's current values."""
    doc = _yaml().load((root / "campaign.yaml").read_text(encoding="utf-8-sig"))
    fields = [SettingField("name", "活动名称", "基本信息"),
              SettingField("deadlines.submit", "报送截止时间", "截止时间", "datetime", help="如 2014-10-10 17:00"),
              SettingField("deadlines.evaluate", "评选日期", "截止时间", "date"),
              SettingField("deadlines.publicity_start", "公示开始日期", "截止时间", "date"),
              SettingField("deadlines.publicity_working_days", "公示期（工作日）", "截止时间", "number"),
              SettingField("deadlines.commend", "表彰日期", "截止时间", "date")]
    for i, award in enumerate(doc.get("awards") or []):
        name = award.get("name", f"奖项{i + 1}")
        fields += [SettingField(f"awards[{i}].quota.total", f"{name} 名额", "名额", "number"),
                   SettingField(f"awards[{i}].quota.recommend_up", f"{name} 推荐上报名额", "名额", "number")]
    fields.append(SettingField("judges", "评委（每行一位：姓名，组别，所在单位）", "评委", "lines",
                               help="所在单位用于回避：评委看不到本单位的参评对象"))
    fields += [SettingField("contact.department", "联系部门", "联系人"),
               SettingField("contact.person", "联系人", "联系人"), SettingField("contact.phone", "联系电话", "联系人"),
               SettingField("mail.user", "邮箱账号", "邮箱", help="密码不写在这里（见 formgen mail password）"),
               SettingField("mail.imap.host", "收信服务器（IMAP）", "邮箱"),
               SettingField("mail.imap.port", "IMAP 端口", "邮箱", "number"),
               SettingField("mail.smtp.host", "发信服务器（SMTP）", "邮箱"),
               SettingField("mail.smtp.port", "SMTP 端口", "邮箱", "number")]
    for key, label in (("publicity_title", "公示标题"), ("publicity_intro", "公示正文"),
                       ("commendation_title", "表彰通报标题"), ("commendation_opening", "表彰通报开头"),
                       ("commendation_closing", "表彰通报结尾"), ("certificate_text", "证书文字")):
        fields.append(SettingField(f"publication.{key}", label, "文字", "long"))
    for f in fields:
        value = _get(doc, f.path)
        f.value = _judges_text(value) if f.kind == "lines" else ("" if value is None else str(value))
    return fields


def _value(f: SettingField, text: str):
    text = text.strip()
    if f.kind == "lines":
        return _judges_value(text)
    if not text:
        return None
    if f.kind in ("date", "datetime", "number"):
        try:
            return YAML(typ="safe").load(text)  # 2014-10-10 → a date, 17:00 datetimes, 10 → 10, as campaign.yaml reads them
        except Exception:  # noqa: BLE001 - left as text: the check below names the problem
            return text
    return text


@dataclass
class SettingsSaved:
    fields: list[SettingField]
    errors: list[str] = field(default_factory=list)  # problems no field names (units.xlsx, cross-checks)
    saved: bool = False
    changed: list[str] = field(default_factory=list)  # labels of what changed


def _errors_of(root: Path, text: str) -> list[str]:
    cand = root / CANDIDATE
    cand.parent.mkdir(parents=True, exist_ok=True)
    cand.write_text(text, encoding="utf-8")
    try:
        return check_workspace(root, CANDIDATE).errors
    finally:
        cand.unlink(missing_ok=True)


def _dump(doc) -> str:
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue().replace(CANDIDATE.rsplit("/", 1)[-1], "campaign.yaml")


def _names_path(error: str, path: str) -> bool:
    spot = error.split("：", 2)[1] if error.count("：") >= 2 else ""
    return spot == path or spot.startswith(path + ".") or spot.startswith(path + "[")


def save_settings(root: Path, values: dict[str, str], expected_version: str, who: str) -> SettingsSaved:
    """Apply the form ``values`` (key path → text) when campaign.yaml still is ``expected_version``."""
    if version(root) != expected_version:
        raise FormgenError("设置已被其他人修改（在您打开此页之后）；为免覆盖对方的修改，请刷新页面后重新填写")
    fields = settings_fields(root)
    original = (root / "campaign.yaml").read_text(encoding="utf-8-sig")
    changed = [f for f in fields if f.path in values and values[f.path].strip() != f.value.strip()]
    done = SettingsSaved(fields, changed=[f.label for f in changed])
    if not changed:
        return done
    whole = _yaml().load(original)
    for f in changed:
        f.value = values[f.path]
        alone = _yaml().load(original)
        _set(alone, f.path, _value(f, values[f.path]))
        _set(whole, f.path, _value(f, values[f.path]))
        f.error = next((e for e in _errors_of(root, _dump(alone))), "")
    if any(f.error for f in changed):
        return done
    text = _dump(whole)
    for e in _errors_of(root, text):
        owner = next((f for f in changed if _names_path(e, f.path)), None)
        if owner is not None:
            owner.error = e
        else:
            done.errors.append(e)
    if done.errors or any(f.error for f in changed):
        return done
    _keep(root, original, who)
    write_file(root / "campaign.yaml", lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    done.saved = True
    return done


def save_raw(root: Path, text: str, expected_version: str, who: str) -> list[str]:
    """The whole campaign.yaml as an expert typed it: saved only when ``formgen check`` passes."""
    if version(root) != expected_version:
        raise FormgenError("设置已被其他人修改（在您打开此页之后）；为免覆盖对方的修改，请刷新页面后重新编辑")
    errors = _errors_of(root, text)
    if not errors:
        _keep(root, (root / "campaign.yaml").read_text(encoding="utf-8-sig"), who)
        write_file(root / "campaign.yaml", lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return [e.replace(CANDIDATE.rsplit("/", 1)[-1], "campaign.yaml") for e in errors]


def _keep(root: Path, text: str, who: str) -> Path:
    """campaign.yaml as it was before a save, named by time and who saved over it."""
    folder = root / HISTORY
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", who)[:40] or "未知"
    path = folder / f"campaign-{datetime.now():%Y%m%d-%H%M%S-%f}-{safe}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def settings_history(root: Path) -> list[tuple[str, str]]:
    """(file name, who) of every kept earlier campaign.yaml, newest first."""
    folder = root / HISTORY
    out = []
    for p in sorted(folder.glob("campaign-*.yaml"), reverse=True) if folder.is_dir() else []:
        out.append((p.name, p.stem.split("-", 4)[-1]))
    return out


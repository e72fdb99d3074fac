"""Reminder emails (.eml) to the units that still owe forms.

One message per unit, addressed to the unit's 邮箱 from units.xlsx and sent
from the campaign's contact address, listing exactly what is still missing and
the deadline. The .eml files open in Outlook / Foxmail / Thunderbird, ready to
send. Headers are RFC 2047-encoded and the body is UTF-8, so every client
shows the Chinese correctly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from formgen.campaign.model import Campaign
from formgen.errors import FormgenError
from formgen.filenames import MAX_NAME_BYTES, fit_name, safe_filename
from formgen.ledger.files import CHINA_TZ, now
from formgen.ledger.views import DEEDS, Expected, UnitStatus, unit_status
from formgen.outputs import write_bytes
from formgen.workspace import Workspace


@dataclass
class Reminder:
    unit: str
    to: list[str]  # addresses used
    missing: list[str]  # what the body lists
    path: Path | None = None
    bad_addresses: list[str] | None = None


def reminder_subject(campaign: Campaign) -> str:
    names = "和".join(f"“{a.name}”" for a in campaign.awards)
    return f"【催报】关于报送{names}推荐材料的提醒"


def _day(dt: datetime) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日"


def _date(dt: datetime) -> str:
    """A deadline as the notice writes it: the day, and the hour only when it is not the day's end."""
    if (dt.hour, dt.minute) not in ((0, 0), (23, 59)):
        return f"{_day(dt)} {dt:%H:%M}"
    return _day(dt)


def _candidates(campaign: Campaign, st: UnitStatus) -> list[str]:
    """Names on the unit's person nominations (whose deeds documents are owed)."""
    types = {a.nomination_form for a in campaign.awards if a.subject == "person"}
    return [a.subject for e in st.expected if e.key in types for a in e.arrivals if a.subject]


def _item(campaign: Campaign, e: Expected, st: UnitStatus | None = None) -> str:
    if e.key == DEEDS:
        names = _candidates(campaign, st) if st else []
        label = f"候选人{'、'.join(names)}的{e.label}" if names else e.label
    else:
        spec = campaign.form_spec(e.key)
        label = f"附件{spec.attachment_no}：{spec.title}" if spec.attachment_no else spec.title
    if e.need > 1:
        label += f"（共需 {e.need} 份，还差 {e.missing} 份）"
    return label


def reminder_body(campaign: Campaign, st: UnitStatus, when: datetime) -> str:
    deadline = campaign.deadlines.submit
    c = campaign.contact
    lines = [f"{st.unit}：", ""]
    notice = f"《{campaign.notice.title}》（{campaign.issuer.doc_number}）"
    lines.append(f"　　根据{notice}要求，各单位应于{_date(deadline)}前报送推荐材料。"
                 f"截至{_day(when)} {when:%H:%M}，我们尚未收到贵单位的以下材料：")
    lines.append("")
    for i, e in enumerate(st.owed, start=1):
        lines.append(f"　　{i}. {_item(campaign, e, st)}")
    lines.append("")
    where = f"发送至 {c.email}" if c.email else f"报送{c.department}"
    if when > deadline:
        lines.append(f"　　报送截止时间（{_date(deadline)}）已过，请尽快将上述材料{where}。")
    else:
        lines.append(f"　　请于{_date(deadline)}前将上述材料{where}。")
    received = [(e, a) for e in st.expected for a in e.arrivals]
    if received:
        lines.append("")
        lines.append("　　已收到贵单位的材料：")
        for e, a in received:
            got = f"{a.arrived_at:%Y-%m-%d}" if a.arrived_at else ""
            lines.append(f"　　　· {_item(campaign, e).split('（共需')[0]}（{got}）")
    contact = "，".join(x for x in (c.person, f"电话 {c.phone}" if c.phone else None) if x)
    lines += ["", f"　　如有疑问，请联系{c.department}" + (f"（{contact}）" if contact else "") + "。", "",
              f"{c.department}", _day(when)]
    return "\n".join(lines) + "\n"


def _addresses(raw: list[str], name: str) -> tuple[list[Address], list[str]]:
    good, bad = [], []
    for addr in raw:
        try:
            good.append(Address(display_name=name, addr_spec=addr))
        except (ValueError, IndexError, HeaderParseError):
            bad.append(addr)
    return good, bad


def reminder_message(campaign: Campaign, st: UnitStatus, emails: list[str], when: datetime
                     ) -> tuple[EmailMessage, list[str]]:
    msg = EmailMessage()
    c = campaign.contact
    if c.email:
        sender, _ = _addresses([c.email], c.department)
        if sender:
            msg["From"] = sender[0]
    to, bad = _addresses(emails, st.unit)
    if to:
        msg["To"] = to
    msg["Subject"] = reminder_subject(campaign)
    msg["Date"] = format_datetime(when.replace(tzinfo=CHINA_TZ))
    domain = c.email.split("@", 1)[1] if c.email and "@" in c.email else "formgen.local"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft ready to send
    msg.set_content(reminder_body(campaign, st, when), charset="utf-8", cte="base64")
    return msg, bad


def write_reminders(ws: Workspace, out_dir: Path | None = None, when: datetime | None = None) -> list[Reminder]:
    """One .eml per listed unit that still owes something, in ``out_dir`` (default out/remind/)."""
    campaign = ws.campaign
    when = when or now()
    default = out_dir is None
    out_dir = ws.out_dir("remind") if default else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if default:  # a unit that has since sent everything must not get last run's reminder
        for old in out_dir.glob("*.eml"):
            old.unlink()
    units = {u.name: u for u in ws.units}
    with ws.ledger() as ledger:
        rows = unit_status(ledger, campaign, ws.units)
    out: list[Reminder] = []
    failed: list[str] = []
    for i, st in enumerate((r for r in rows if r.listed and r.owed), start=1):
        emails = units[st.unit].emails()
        msg, bad = reminder_message(campaign, st, emails, when)
        path = out_dir / fit_name(f"{i:02d}_", safe_filename(st.unit, MAX_NAME_BYTES), ".eml")
        try:
            path = write_bytes(path, bytes(msg))
        except OSError as e:  # one unwritable reminder must not cost the others
            failed.append(f"{st.unit[:30]}：{e.strerror or e}")
            continue
        out.append(Reminder(st.unit, [e for e in emails if e not in bad], [_item(campaign, e, st) for e in st.owed],
                            path, bad))
    if failed:
        raise FormgenError(f"已生成 {len(out)} 封催报邮件，另有 {len(failed)} 封无法写入 {out_dir}："
                           f"{'；'.join(failed[:3])}；请检查目录权限和磁盘空间")
    return out


@dataclass
class ReminderPreview:
    unit: str
    to: list[str]
    bad_addresses: list[str]
    missing: list[str]
    subject: str
    body: str


def reminder_previews(ws: Workspace, when: datetime | None = None) -> list[ReminderPreview]:
    """The reminders ``write_reminders`` would write, without writing anything (the desk's preview)."""
    campaign = ws.campaign
    when = when or now()
    units = {u.name: u for u in ws.units}
    with ws.ledger() as ledger:
        rows = unit_status(ledger, campaign, ws.units)
    out = []
    for st in (r for r in rows if r.listed and r.owed):
        emails = units[st.unit].emails()
        _good, bad = _addresses(emails, st.unit)
        out.append(ReminderPreview(st.unit, [e for e in emails if e not in bad], bad,
                                   [_item(campaign, e, st) for e in st.owed], reminder_subject(campaign),
                                   reminder_body(campaign, st, when)))
    return out

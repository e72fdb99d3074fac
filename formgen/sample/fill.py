"""``make_returns``: what the ruian-2014 units "sent back", for ``formgen demo``.

Most units type into the issued blanks (out/issue/<单位>/) and send the four
files as they are; others show what intake has to cope with:

========================  =====================================================
玉海街道、市卫生局         retyped all forms in their own layout (no anchors)
陶山镇、市教育局           retyped the application and nomination, filled the score sheets
东山街道                   one zip (UTF-8 names, in a folder)
马屿镇                     one zip with GBK names and no UTF-8 flag (old WinRAR)
莘塍街道                   an email before the deadline (RFC 2047 and RFC 2231 names)
市环境保护局               an email that arrives late (2014-10-13)
市财政局、市地方税务局     one form exported to PDF (when LibreOffice is installed)
市公安局                   the application twice: a first version, then a 修改稿
上望街道                   forgot the two score sheets
汀田街道                   one file damaged (a truncated docx)
高楼镇、曹村镇、市公积金管理中心   nothing at all
========================  =====================================================

The notice also asks for each candidate's ~3000-character 详细事迹材料 (deeds.py
writes them; 锦湖街道's is hand-written in people.yaml). Most units send it as
a Word document next to the forms (inside the zip or the email when that is how
they send), but:

========================  =====================================================
上望街道、湖岭镇、市交通运输局   forgot it
南滨街道                   sent one far too short (about 800 characters)
市国土资源局               sent it as a PDF (when LibreOffice is installed)
========================  =====================================================

Files land flat in ``forms_in/`` under the names units give them, with file
times set to when they arrived (before the 2014-10-10 deadline, but for the
late email), so ``collect`` sees a realistic arrival order.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from formgen.anchors import SUBJECT_ANCHOR, field_anchor, score_anchor
from formgen.errors import FormgenError
from formgen.sample import as_text, load_people
from formgen.sample import deeds as deeds_text
from formgen.sample import packaging as pk
from formgen.sample import retype
from formgen.sample.keyboard import TypingStyle, form_type_of, open_blank, save_as_returned, type_lines, type_text

CST = timezone(timedelta(hours=8))
APP, NOM, POST_SCORE, CAND_SCORE = "candidate_application", "post_nomination", "post_score_sheet", \
    "candidate_score_sheet"
ALL_FORMS = (NOM, POST_SCORE, APP, CAND_SCORE)
LONG_PROSE = {"deeds", "practices"}


@dataclass
class SentForm:
    """One form inside a returned file, with the values the unit meant (canonical keys)."""

    form_type: str
    fields: dict
    scores: list[float] | None = None
    method: str = "tagged"  # how intake should read it: tagged / labels / pdf-text
    member: str | None = None  # name inside a zip / email


@dataclass
class SentDeeds:
    """A 详细事迹材料 a unit sent: whose it is and how long (characters, no whitespace)."""

    candidate: str
    chars: int
    fmt: str = "docx"  # docx / pdf
    member: str | None = None  # name inside a zip / email


@dataclass
class ReturnedFile:
    path: Path
    unit: str
    how: str  # filled / retyped / zip / email / pdf / deeds_document / corrupt / superseded
    arrived: datetime
    forms: list[SentForm] = field(default_factory=list)
    note: str = ""
    deeds: list[SentDeeds] = field(default_factory=list)  # the deeds document(s) in this file


@dataclass
class Plan:
    """How one unit returns its forms."""

    route: str = "files"  # files / zip / zip_gbk / email / email_late / none
    forms: tuple[str, ...] = ALL_FORMS
    retype: dict[str, dict] = field(default_factory=dict)  # form type → layout (see retype.py)
    pdf: tuple[str, ...] = ()
    corrupt: tuple[str, ...] = ()
    supersede: bool = False
    deeds: str = "docx"  # the 详细事迹材料: docx / short (~800 characters) / pdf / none (forgotten)
    naming: str = "issued"  # issued / attach / unit_first / person / attach_space


_APP_A = dict(title="attach", photo=True, name_label="姓  名", gender_label="性  别", birth_label="出生日期",
              unit_label="工作单位及职务", pol_label="政治\n面貌", edu_label="学历", long_label="chars",
              keep_ph=True)
_APP_B = dict(title="year", photo=False, name_label="姓名", gender_label="性别", birth_label="出生年月",
              unit_label="单位及职务", pol_label="政治面貌", edu_label="文化程度", long_label="pairs",
              deeds_mode="below", keep_ph=False, note=False)
_APP_C = dict(title="plain", photo=True, name_label="姓　　名", gender_label="性别", birth_label="出生\n年月",
              unit_label="单位及职务", pol_label="政治面貌", edu_label="学历", long_label="flat", keep_ph=True)
_NOM_A = dict(title="attach", unit_line="fw", long_label="chars", keep_ph=True)
_NOM_B = dict(title="year", unit_line="ascii", post_label="推荐岗位", headcount_label="岗位人数",
              leader_label="主要负责人", duties_label="岗位职责", practices_label="主要做法及成效",
              opinion_label="党委（组）意见", long_label="pairs", keep_ph=False)
_SCORE_A = dict(title="attach", header="自评得分", remark_col=True, total_row=True)
_SCORE_B = dict(title="plain", header="得分", remark_col=False, total_row=False)

PLANS: dict[str, Plan] = {
    "玉海街道": Plan(retype={APP: _APP_A, NOM: _NOM_A, POST_SCORE: _SCORE_A, CAND_SCORE: _SCORE_A},
                     naming="unit_first"),
    "市卫生局": Plan(retype={APP: _APP_B, NOM: _NOM_B, POST_SCORE: _SCORE_B, CAND_SCORE: _SCORE_B},
                     naming="attach"),
    "陶山镇": Plan(retype={APP: _APP_C, NOM: _NOM_B}, naming="attach_space"),
    "市教育局": Plan(retype={APP: {**_APP_A, "photo": False, "title": "plain"}, NOM: _NOM_A}, naming="person"),
    "东山街道": Plan(route="zip", naming="attach"),
    "马屿镇": Plan(route="zip_gbk", naming="unit_first"),
    "莘塍街道": Plan(route="email", naming="attach"),
    "市环境保护局": Plan(route="email_late", naming="unit_first"),
    "市财政局": Plan(pdf=(APP,), naming="attach_space"),
    "市地方税务局": Plan(pdf=(POST_SCORE,), naming="unit_first"),
    "市公安局": Plan(supersede=True, naming="attach"),
    "锦湖街道": Plan(naming="person"),
    "上望街道": Plan(forms=(NOM, APP), naming="unit_first", deeds="none"),
    "汀田街道": Plan(corrupt=(POST_SCORE,), naming="attach_space"),
    "高楼镇": Plan(route="none"),
    "曹村镇": Plan(route="none"),
    "市公积金管理中心": Plan(route="none"),
    "飞云街道": Plan(naming="unit_first"),
    "南滨街道": Plan(naming="person", deeds="short"),
    "湖岭镇": Plan(deeds="none"),
    "市国土资源局": Plan(deeds="pdf"),
    "市交通运输局": Plan(naming="attach", deeds="none"),
    "市人力资源和社会保障局": Plan(naming="attach_space"),
}

_SHORT = {APP: "勤廉标兵申报表", NOM: "十大效能示范岗推荐表", POST_SCORE: "示范岗评分表", CAND_SCORE: "勤廉标兵自评表"}
_ATTACH = {APP: (4, "“勤廉标兵”候选人申报表"), NOM: (3, "“十大效能示范岗”推荐表"),
           POST_SCORE: (1, "“十大效能示范岗”评分表"), CAND_SCORE: (2, "“勤廉标兵”评分表")}


def file_name(plan: Plan, form_type: str, unit: str, issued: str | None, person: str, ext: str = ".docx") -> str:
    """The name a unit gives its file."""
    n, title = _ATTACH[form_type]
    if plan.naming == "issued" and issued:
        return Path(issued).stem + ext
    if plan.naming == "attach":
        return f"附件{n}：{title}（{unit}）{ext}"
    if plan.naming == "attach_space":
        short = "申报表" if form_type == APP else "推荐表" if form_type == NOM else "评分表"
        return f"附件{n} {short}（{unit}）{ext}"
    if plan.naming == "person" and form_type == APP:
        return f"{person}-勤廉标兵申报表{ext}"
    if plan.naming == "person":
        return f"{_SHORT[form_type]}-{unit}{ext}"
    return f"{unit}{_SHORT[form_type]}{ext}"


def deeds_file_name(plan: Plan, unit: str, person: str, ext: str = ".docx") -> str:
    """The name a unit gives the candidate's 详细事迹材料 (always with the person's name in it)."""
    if plan.naming == "attach":
        return f"“勤廉标兵”候选人{person}详细事迹材料（{unit}）{ext}"
    if plan.naming == "attach_space":
        return f"{person}事迹材料（{unit}）{ext}"
    if plan.naming == "unit_first":
        return f"{unit}-{person}同志详细事迹材料{ext}"
    return f"{person}同志详细事迹材料{ext}"


# ---------------------------------------------------------------------------------- how a clerk types


class Clerk:
    """One unit's typist: their habits for long texts, dates, numbers and scores."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.style = TypingStyle(placeholder=rng.choice(["replace", "replace", "own_para", "inline"]),
                                 indent=rng.choice(["fwspace", "chars", "none"]),
                                 breaks=rng.choice(["paras", "paras", "paras", "br"]),
                                 prose_pt=rng.choice([None, 10.5, 10.5]))
        self.birth_format = rng.choice(["dot", "cn", "dash_short", "compact", "fw_dot", "dash"])
        self.score_style = rng.choice(["plain", "fen", "mixed", "fullwidth", "decimal"])
        self.headcount_style = rng.choice(["plain", "ren", "fw", "ming"])
        self.sign_opinion = rng.random() < 0.75  # else the opinion is left for the stamp

    def birth(self, ym: str) -> str:
        y, m = ym.split("-")
        return {"dot": f"{y}.{m}", "cn": f"{y}年{int(m)}月", "dash_short": f"{y}-{int(m)}", "compact": f"{y}{m}",
                "fw_dot": _fullwidth(f"{y}.{m}"), "dash": f"{y}-{m}"}[self.birth_format]

    def name(self, name: str) -> str:
        return f"{name[0]}　{name[1]}" if len(name) == 2 and self.rng.random() < 0.5 else name

    def headcount(self, n: int) -> str:
        return {"plain": str(n), "ren": f"{n}人", "fw": _fullwidth(str(n)), "ming": f"{n}名"}[self.headcount_style]

    def score(self, x: float) -> str:
        text = f"{x:g}"
        style = self.score_style if self.score_style != "mixed" else self.rng.choice(["plain", "fen", "fullwidth"])
        if style == "fen":
            return text + "分"
        if style == "fullwidth":
            return _fullwidth(text)
        if style == "decimal":
            return f"{x:.1f}"
        return text


def _fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))


def _lines(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value not in (None, "") else [])


def expected_fields(spec_keys: list[str], data: dict, blank: set[str] = frozenset()) -> dict:
    """Canonical values a form holds: people.yaml text, None where the clerk left the cell empty."""
    out = {}
    for key in spec_keys:
        out[key] = None if key in blank else as_text(data.get(key))
    if "headcount" in out and out["headcount"] is not None:
        out["headcount"] = int(out["headcount"])
    return out


def _typed_short(clerk: Clerk, data: dict) -> dict:
    """Short values as the clerk types them."""
    t = {k: as_text(v) for k, v in data.items() if not isinstance(v, (list, dict))}
    if "name" in data:
        t["name"] = clerk.name(data["name"])
        t["gender"] = data["gender"] + (" " if clerk.rng.random() < 0.2 else "")
        t["birth"] = clerk.birth(data["birth"])
    if "headcount" in data:
        t["headcount"] = clerk.headcount(int(data["headcount"]))
    return t


# ---------------------------------------------------------------------------------- one form


class UnitReturn:
    """Everything one unit produces: the forms as bytes, then how they travel."""

    def __init__(self, workspace, unit: str, people: dict, plan: Plan, rng: random.Random, seed: int = 2014):
        self.ws, self.unit, self.plan, self.rng, self.seed = workspace, unit, plan, rng, seed
        self.post, self.cand = people["post"], people["candidate"]
        self.clerk = Clerk(rng)
        unit_row = workspace.unit(unit)
        self.author = unit_row.contact if unit_row and unit_row.contact else None
        self.email = unit_row.emails()[0] if unit_row and unit_row.emails() else None
        self.blank_opinion = not self.clerk.sign_opinion

    # values ----------------------------------------------------------------
    def _data(self, form_type: str, override: dict | None = None) -> dict:
        return {**(self.cand if form_type in (APP, CAND_SCORE) else self.post), **(override or {})}

    def _spec(self, form_type: str):
        return self.ws.campaign.form_spec(form_type)

    def _blank_keys(self, form_type: str, data: dict) -> set[str]:
        blank = {k for k in ("honors",) if not data.get(k)}
        if self.blank_opinion:
            blank |= {"recommender_opinion", "party_opinion"}
        return blank

    def _scores(self, form_type: str) -> list[float]:
        return [float(x) for x in self._data(form_type)["scores"]]

    def _subject(self, form_type: str) -> str:
        return self.cand["name"] if form_type == CAND_SCORE else self.post["post"]

    # building --------------------------------------------------------------
    def build(self, form_type: str, blank: Path | None, when: datetime,
              override: dict | None = None) -> tuple[bytes, SentForm]:
        """The bytes of one returned form and what it holds."""
        if form_type in self.plan.retype:
            return self._retyped(form_type, when, override)
        if blank is None:
            raise FormgenError(f"找不到 {self.unit} 的空白表格（{self._spec(form_type).title}），请先运行 formgen issue")
        return self._filled(form_type, blank, when, override)

    def _filled(self, form_type: str, blank: Path, when: datetime, override: dict | None):
        spec = self._spec(form_type)
        doc = open_blank(blank)
        data = self._data(form_type, override)
        if spec.items:
            scores = self._scores(form_type)
            type_text(doc, SUBJECT_ANCHOR, self._subject(form_type))
            for i, x in enumerate(scores):
                type_text(doc, score_anchor(i), self.clerk.score(x))
            sent = SentForm(form_type, {}, scores)
        else:
            blank_keys = self._blank_keys(form_type, data)
            typed = _typed_short(self.clerk, data)
            for f in spec.fields:
                # 推荐单位 is printed by issue (the unit's name); units leave it as it is
                if f.key in blank_keys or f.key == "recommending_unit":
                    continue
                lines = _lines(data.get(f.key)) if f.kind == "multiline" else [typed.get(f.key)]
                type_lines(doc, field_anchor(f.key), [ln for ln in lines if ln], self.clerk.style,
                           placeholders=f.placeholders, prose=f.key in LONG_PROSE)
            fields = expected_fields(spec.keys, data, blank_keys)
            if "recommending_unit" in fields:
                fields["recommending_unit"] = self.unit
            sent = SentForm(form_type, fields)
        buf = io.BytesIO()
        save_as_returned(doc, buf, self.author, when.replace(tzinfo=None))
        return buf.getvalue(), sent

    def _retyped(self, form_type: str, when: datetime, override: dict | None):
        lay = self.plan.retype[form_type]
        spec = self._spec(form_type)
        data = self._data(form_type, override)
        blank_keys = self._blank_keys(form_type, data)
        typed = _typed_short(self.clerk, data)
        for key in blank_keys:
            typed[key] = None
        if form_type == APP:
            doc = retype.retype_application({**data, "honors": _lines(data.get("honors"))}, typed, lay)
            sent = SentForm(form_type, expected_fields(spec.keys, data, blank_keys), method="labels")
        elif form_type == NOM:
            doc = retype.retype_nomination(data, typed, lay)
            sent = SentForm(form_type, expected_fields(spec.keys, data, blank_keys), method="labels")
        else:
            award = next(a for a in self.ws.campaign.awards if a.score_form == form_type)
            scores = self._scores(form_type)
            texts = [self.clerk.score(x) for x in scores]
            lay = {**lay, "total_text": self.clerk.score(sum(scores))}
            doc = retype.retype_score_sheet(spec.title, _ATTACH[form_type][0], award.rubric.items, texts, lay,
                                            self.post["recommending_unit"],
                                            "候选人" if form_type == CAND_SCORE else "参评岗位",
                                            self._subject(form_type))
            sent = SentForm(form_type, {}, scores, method="labels")
        buf = io.BytesIO()
        save_as_returned(doc, buf, self.author, when.replace(tzinfo=None))
        return buf.getvalue(), sent


# ---------------------------------------------------------------------------------- the whole set


def issued_blanks(workspace, unit: str) -> dict[str, Path]:
    """Form type → the unit's issued blank in out/issue/<单位>/ (issuing it first if missing)."""
    from formgen.issue.render import issue_forms, safe_filename

    folder = workspace.out / "issue" / safe_filename(unit)
    found = _blanks_in(folder)
    if not found:
        issue_forms(workspace, units=[unit])
        found = _blanks_in(folder)
    return found


def _blanks_in(folder: Path) -> dict[str, Path]:
    out = {}
    for p in sorted(folder.glob("*.docx")) if folder.is_dir() else []:
        t = form_type_of(p)
        if t:
            out[t] = p
    return out


def _arrival(rng: random.Random) -> datetime:
    """A working-day time between 2014-09-22 and the deadline."""
    while True:
        day = datetime(2014, 9, 22, tzinfo=CST) + timedelta(days=rng.randint(0, 18))
        # 10-01..10-07 is the National Day holiday; 09-28 and 10-11 were working Sundays/Saturdays
        if day.weekday() < 5 and not (datetime(2014, 10, 1, tzinfo=CST) <= day <= datetime(2014, 10, 7, tzinfo=CST)):
            return day + timedelta(hours=rng.choice([8, 9, 10, 11, 14, 15, 16, 17]), minutes=rng.randint(0, 59))


def write_returns(workspace, rng_seed: int = 2014, use_soffice: bool | None = None) -> list[ReturnedFile]:
    """Write the sample returns into ``workspace.forms_in``; what each file holds, for tests and the demo."""
    people = load_people()
    dest = workspace.forms_in
    dest.mkdir(parents=True, exist_ok=True)
    if use_soffice is None:
        use_soffice = pk.soffice_available()
    out: list[ReturnedFile] = []
    for unit_row in workspace.units:
        unit = unit_row.name
        if unit not in people:
            continue  # a unit the sample has no data for sends nothing
        plan = PLANS.get(unit, Plan())
        if plan.route == "none":
            continue
        rng = random.Random(f"{rng_seed}:{unit}")
        ur = UnitReturn(workspace, unit, people[unit], plan, rng, rng_seed)
        out += _unit_files(workspace, ur, dest, rng, use_soffice)
    return out


def make_returns(workspace, rng_seed: int = 2014, use_soffice: bool | None = None) -> list[Path]:
    """The files units sent back, written into ``workspace.forms_in`` (see the module docstring)."""
    return [r.path for r in write_returns(workspace, rng_seed, use_soffice)]


def _unit_files(ws, ur: UnitReturn, dest: Path, rng: random.Random, use_soffice: bool) -> list[ReturnedFile]:
    plan, unit = ur.plan, ur.unit
    needs_blank = any(t not in plan.retype for t in plan.forms)
    blanks = issued_blanks(ws, unit) if needs_blank else {}
    when = _arrival(rng)
    if plan.route == "email_late":
        when = datetime(2014, 10, 13, 9, 16, tzinfo=CST)
    person = ur.cand["name"]
    built: list[tuple[str, bytes, SentForm]] = []
    for t in plan.forms:
        data, sent = ur.build(t, blanks.get(t), when)
        name = file_name(plan, t, unit, blanks[t].name if t in blanks else None, person)
        built.append((name, data, sent))
    deeds = _deeds_bytes(ur, when) if plan.deeds != "none" else None

    if plan.route in ("zip", "zip_gbk"):
        folder = f"{unit}推荐材料/" if plan.route == "zip" else ""
        members = [(folder + name, data) for name, data, _ in built]
        if deeds is not None:
            members.append((folder + deeds_file_name(plan, unit, person), deeds[0]))
            deeds[1].member = members[-1][0]
        zip_name = f"{unit}-推荐材料.zip" if plan.route == "zip" else f"{unit}推荐材料.zip"
        path = pk.write_zip(dest / zip_name, members, gbk_names=plan.route == "zip_gbk", when=when)
        for (_, _, sent), (member, _) in zip(built, members):
            sent.member = member
        return [_done(path, unit, "zip", when, [s for _, _, s in built], deeds=[deeds[1]] if deeds else [])]

    if plan.route in ("email", "email_late"):
        return [_email(ws, ur, dest, when, built, deeds)]

    files: list[ReturnedFile] = []
    for name, data, sent in built:
        t = sent.form_type
        path = dest / name
        how = "retyped" if t in plan.retype else "filled"
        if t in plan.corrupt:
            path.write_bytes(pk.truncated(data))
            files.append(_done(path, unit, "corrupt", when, [], "文件传输中断，只有前半部分"))
            continue
        path.write_bytes(data)
        if t in plan.pdf:
            pdf = pk.docx_to_pdf(path, path.with_suffix(".pdf")) if use_soffice else None
            if pdf is not None:
                path.unlink()
                sent.method = "pdf-text"
                files.append(_done(pdf, unit, "pdf", when, [sent]))
                continue
            files.append(_done(path, unit, how, when, [sent], "未安装 LibreOffice，未转换为 PDF，按 docx 报送"))
            continue
        files.append(_done(path, unit, how, when, [sent]))

    if plan.supersede:
        files += _supersede(ws, ur, dest, blanks, when, files)
    if deeds is not None:
        files.append(_deeds_file(ur, dest, when, deeds, use_soffice))
    return files


def _deeds_bytes(ur: UnitReturn, when: datetime) -> tuple[bytes, SentDeeds]:
    """The candidate's 详细事迹材料 as a .docx: hand-written in people.yaml, else composed (short if planned)."""
    d = ur.cand.get("detailed_deeds") if ur.plan.deeds != "short" else None
    if d is None:
        d = deeds_text.compose(ur.unit, {"post": ur.post, "candidate": ur.cand}, seed=ur.seed,
                               short=ur.plan.deeds == "short")
    buf = io.BytesIO()
    deeds_document(d, ur.author, when).save(buf)
    return buf.getvalue(), SentDeeds(ur.cand["name"], deeds_text.deeds_chars(d))


def _deeds_file(ur: UnitReturn, dest: Path, when: datetime, deeds: tuple[bytes, SentDeeds],
                use_soffice: bool) -> ReturnedFile:
    """The deeds document as a file of its own, next to the forms (a PDF export when planned)."""
    data, sent = deeds
    path = dest / deeds_file_name(ur.plan, ur.unit, ur.cand["name"])
    path.write_bytes(data)
    if ur.plan.deeds != "pdf":
        return _done(path, ur.unit, "deeds_document", when, [], deeds=[sent])
    pdf = pk.docx_to_pdf(path, path.with_suffix(".pdf")) if use_soffice else None
    if pdf is None:
        return _done(path, ur.unit, "deeds_document", when, [], "未安装 LibreOffice，未转换为 PDF，按 docx 报送",
                     deeds=[sent])
    path.unlink()
    sent.fmt = "pdf"
    return _done(pdf, ur.unit, "deeds_document", when, [], "详细事迹材料导出为 PDF", deeds=[sent])


def _done(path: Path, unit: str, how: str, when: datetime, forms: list[SentForm], note: str = "",
          deeds: list[SentDeeds] | None = None) -> ReturnedFile:
    pk.set_arrival(path, when)
    return ReturnedFile(path=path, unit=unit, how=how, arrived=when, forms=forms, note=note, deeds=deeds or [])


def _supersede(ws, ur: UnitReturn, dest: Path, blanks: dict, when: datetime,
               files: list[ReturnedFile]) -> list[ReturnedFile]:
    """The application goes out first with mistakes (wrong birth month, short deeds), then a 修改稿."""
    first = ur.cand.get("first_version") or {}
    early = when - timedelta(days=12)
    final = next(f for f in files if f.forms and f.forms[0].form_type == APP)
    data, sent = ur.build(APP, blanks.get(APP), early, override=first)
    path = final.path
    path.write_bytes(data)  # the first version keeps the plain name …
    early_file = _done(path, ur.unit, "superseded", early, [sent], "先报送的版本，后被修改稿替换")
    data, sent = ur.build(APP, blanks.get(APP), when)
    revised = path.with_name(f"{path.stem}（修改稿）{path.suffix}")
    revised.write_bytes(data)  # … the corrected one says so in its name and arrives later
    files.remove(final)
    return [early_file, _done(revised, ur.unit, "filled", when, [sent], "修改稿，替换先前报送的申报表")]


def _email(ws, ur: UnitReturn, dest: Path, when: datetime, built,
           deeds: tuple[bytes, SentDeeds] | None = None) -> ReturnedFile:
    late = when > ws.campaign.deadlines.submit.replace(tzinfo=CST)
    subject = f"{ur.unit}“十大效能示范岗”和“勤廉标兵”推荐材料"
    what = "、“勤廉标兵”候选人申报表" + ("、自评后的评分表及候选人详细事迹材料" if deeds else "及自评后的评分表")
    body = (f"市纪委效能监察室：\n    您好！现将我单位“十大效能示范岗”推荐表{what}"
            f"发给您，请查收。\n" + ("    因材料审核耽误，迟报了几天，敬请谅解。\n" if late else "")
            + f"    联系人：{ur.author or ''}\n{ur.post['recommending_unit']}\n")
    files = [(name, data, sent) for name, data, sent in built]
    if deeds is not None:
        files.append((deeds_file_name(ur.plan, ur.unit, ur.cand["name"]), deeds[0], deeds[1]))
    attachments = []
    for i, (name, data, sent) in enumerate(files):
        how = "rfc2231" if i == len(files) - 1 else "rfc2047"
        attachments.append((name, data, how))
        sent.member = name
    path = dest / f"{ur.unit}-推荐材料{'（迟报）' if late else ''}.eml"
    pk.write_eml(path, sender_name=ur.post["recommending_unit"], sender=ur.email or "unknown@example.cn",
                 to=ws.campaign.contact.email or "xiaoneng@example.cn", subject=subject, date=when, body=body,
                 attachments=attachments)
    return _done(path, ur.unit, "email", when, [s for _, _, s in built], "迟报" if late else "",
                 deeds=[deeds[1]] if deeds else [])


def deeds_document(d: dict, author: str | None, when: datetime):
    """详细事迹材料: a plain Word document, title and free text (no form).

    ``d`` as people.yaml's ``detailed_deeds`` or ``deeds.compose`` give it: title, subtitle (may be
    None), lead (paragraphs before the first heading, optional), sections of heading and paragraphs.
    """
    import docx

    from formgen import docxkit as dk

    doc = docx.Document()
    dk.set_document_defaults(doc, dk.FANGSONG, dk.BODY_PT)
    dk.setup_page(doc.sections[0], line_pitch=None)
    dk.add_par(doc, d["title"], dk.XIAOBIAOSONG, dk.TITLE_PT, align=dk.CENTER, after_pt=6)
    if d.get("subtitle"):
        dk.add_par(doc, d["subtitle"], dk.KAITI, dk.BODY_PT, align=dk.CENTER, after_pt=12)
    for para in d.get("lead", []):
        dk.add_par(doc, para, dk.FANGSONG, dk.BODY_PT, first_line_chars=2, line_pt=28)
    for sec in d.get("sections", []):
        dk.add_par(doc, sec["heading"], dk.HEITI, dk.BODY_PT, first_line_chars=2, line_pt=28)
        for para in sec["paragraphs"]:
            dk.add_par(doc, para, dk.FANGSONG, dk.BODY_PT, first_line_chars=2, line_pt=28)
    doc.core_properties.author = author or ""
    doc.core_properties.modified = when.replace(tzinfo=None)
    return doc

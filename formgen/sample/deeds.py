"""详细事迹材料 for the sample candidates, composed from people.yaml.

The notice asks every 勤廉标兵 candidate's unit for a detailed deeds document of
about 3000 characters. People.yaml holds one hand-written document
(锦湖街道); for the others ``compose`` writes one in the formulaic style of
real 先进事迹材料: a title 「X同志详细事迹材料」, a subtitle 「——记……」, a lead
paragraph (born, party, schooling, career, honours), then three or four headed
sections (「一、……」) of two or three paragraphs each, integrity last.

Every sentence comes from a pool of templates (``deeds_phrases.yaml``) filled with the person's own
facts: name, pronoun, unit and duty, career path, honours, and what their
500-character ``deeds`` brief says (the one achievement that is theirs alone,
overtime hours, visits, risk points …). Templates, their order and the
optional sentences are chosen by a ``random.Random`` seeded with the person's
name, so a document is the same on every run and no two people read alike.
The length is steered into 2400–3300 characters (everything but whitespace,
as the length check counts them).

``compose(..., short=True)`` is what a hurried unit sends instead: the lead
paragraph, the brief and a closing line, about 800 characters.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from formgen.sample import load_people

MIN_CHARS, MAX_CHARS = 2400, 3300  # what a full document is steered into
SHORT_CHARS = 800  # about what the short one has

CN_NUM = "一二三四五六七八九十"
PHRASES_FILE = Path(__file__).with_name("deeds_phrases.yaml")  # every phrase pool; its head says what each holds


# ------------------------------------------------------------------------------------------ facts


with PHRASES_FILE.open(encoding="utf-8") as _fh:
    _PHRASES = yaml.safe_load(_fh)
_FIELDS = [tuple(f) for f in _PHRASES["fields"]]
_FIELD_DEFAULT = tuple(_PHRASES["field_default"])
_BRIEF_COMMON = tuple(_PHRASES["brief_common"])
_BRIEF_NUMBERS: dict[str, str] = _PHRASES["brief_numbers"]
_BRIEF_FLAGS: dict[str, str] = _PHRASES["brief_flags"]
_SENTENCE = re.compile(r"[^。！？]*[。！？]”?")
_DUTY_TITLE = re.compile(r"(副?(主任|科长|所长|站长|大队长|局长)|科员|驻村指导员)$")


def sentences(text: str) -> list[str]:
    """``text`` cut after 。！？ (a closing quote stays with its sentence)."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _honours(honors: list[str], pronoun: str) -> str:
    """The honours as one sentence: titles, years rated 优秀, merits."""
    titles, rated, merits = [], [], []
    for h in honors or []:
        m = re.match(r"(\d{4})年度?(.*)$", h)
        year, rest = (m.group(1), m.group(2)) if m else ("", h)
        if rest == "考核优秀":
            rated.append(year)
        elif rest.startswith("荣立"):
            merits.append(f"{year}年{rest}")
        else:
            titles.append(h.replace("被评为", ""))
    parts = []
    if merits:
        parts.append("、".join(merits))
    if titles:
        parts.append(("先后被评为" if len(titles) > 1 else "被评为") + "、".join(titles))
    if rated:
        parts.append("、".join(rated) + "年度考核被评为优秀等次")
    return f"{pronoun}" + "，".join(parts) + "。" if parts else ""


def facts_of(unit: str, people: dict) -> dict:
    """Everything the templates may use about one candidate (only what the data holds)."""
    post, cand = people["post"], people["candidate"]
    name, T = cand["name"], "他" if cand["gender"] == "男" else "她"
    org = post["recommending_unit"]
    title = cand["unit_title"]
    role = title[len(org):] if title.startswith(org) and len(title) > len(org) else title
    dept = _DUTY_TITLE.sub("", role) or org
    served, served_one, area = next(((s, o, a) for k, s, o, a in _FIELDS if k in role), _FIELD_DEFAULT)
    resume = [ln.split("\u3000", 1) for ln in cand["resume"]]
    school_line = resume[0][1] if len(resume[0]) > 1 else ""
    jobs = [(when, what) for when, what in (r for r in resume[1:] if len(r) == 2)]
    start_y, start_m = jobs[0][0][:4], int(jobs[0][0][5:7])
    cur_y, cur_m = jobs[-1][0][:4], int(jobs[-1][0][5:7])
    earlier = [what for _, what in jobs[:-1]]
    path = [earlier[0]] + [w[len(org):] if w.startswith(org) and earlier[0].startswith(org) else w
                           for w in earlier[1:]] if earlier else []
    birth_y, birth_m = cand["birth"].split("-")
    political = cand["political"]
    member = {"中共党员": "共产党员", "中共预备党员": "预备党员"}.get(political, "民主党派成员")
    m = re.match(r"(.+?(大学|学院|学校))(.+?)专业", school_line)
    f = dict(
        n=name, T=T, gender=cand["gender"], org=org, short=unit, title=title, role=role, dept=dept,
        served=served, served_one=served_one, area=area, political=political, member=member,
        education=cand["education"], birth=f"{birth_y}年{int(birth_m)}月", start=f"{start_y}年{start_m}月",
        years=2014 - int(start_y), cur=f"{cur_y}年{cur_m}月", cur_y=cur_y, post=post["post"],
        honours=_honours(cand.get("honors") or [], T),
    )
    if path:
        f["path"] = "、".join(path)
        f["first_job"] = path[0]
    if len(path) > 1:
        f["paths"] = f["path"]  # "先后任…" wants two posts or more
    if m:
        f["school"], f["major"] = m.group(1), m.group(3)
    if post.get("post_leader") and post["post_leader"] != name:
        f["leader"] = post["post_leader"]
    brief = "".join(cand["deeds"])
    for key, pattern in _BRIEF_NUMBERS.items():
        hit = re.search(pattern, brief)
        if hit:
            f[key] = hit.group(1)
    for key, marker in _BRIEF_FLAGS.items():
        if marker in brief:
            f[key] = ""
    own = [s for s in sentences(brief) if not any(c in s for c in _BRIEF_COMMON)]
    if own:
        f["sig"] = own[0]
    for s in own[1:]:
        f["int_extra" if re.search("廉|纪律|礼品", s) else "own_extra"] = s
    return f


# ------------------------------------------------------------------------------------------ templates

# A paragraph is a recipe: core slots (each a tuple of variants; the first variant whose facts
# the person has is eligible, then one of the eligible is chosen) and extra slots, used to steer
# the length. Variants name the facts they need as {placeholders}; "{flag}" facts are empty
# strings that only gate a variant.


@dataclass
class Recipe:
    core: tuple
    extra: tuple = ()


def _recipe(d: dict) -> Recipe:
    return Recipe(tuple(tuple(v) for v in d["core"]), tuple(tuple(v) for v in d.get("extra", ())))


SAYINGS = tuple(_PHRASES["sayings"])
LEAD_CAREER = tuple(_PHRASES["lead_career"])
LEAD_THESIS = tuple(_PHRASES["lead_thesis"])
SUBTITLES = tuple(_PHRASES["subtitles"])
HEADINGS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _PHRASES["headings"].items()}
RECIPES: dict[str, tuple[Recipe, ...]] = {k: tuple(_recipe(r) for r in v) for k, v in _PHRASES["recipes"].items()}
SHORT_CLOSINGS = tuple(_PHRASES["short_closings"])  # the last paragraph of a hurried unit's short one


# ------------------------------------------------------------------------------------------ composing


def _fill(template: str, facts: dict) -> str | None:
    """``template`` with the person's facts, None when it needs one they do not have."""
    try:
        return template.format_map(facts)
    except KeyError:
        return None


@dataclass
class _Para:
    core: list[str]
    extras: dict[int, list[str]]  # extra slot → its eligible variants (shuffled), for slots not used yet
    used: dict[int, str] = field(default_factory=dict)  # extra slot → the sentence taken

    def text(self) -> str:
        return "".join(self.core + [self.used[i] for i in sorted(self.used)])

    def take(self, rng: random.Random) -> None:
        """One more extra sentence, from a slot not used yet (read in the recipe's order)."""
        i = rng.choice(sorted(self.extras))
        self.used[i] = self.extras.pop(i)[0]

    def drop(self, rng: random.Random) -> None:
        self.used.pop(rng.choice(sorted(self.used)))


_SPECIFIC = re.compile(r"\{(sig|own_extra|int_extra|visits|solved|overtime|typhoon|key_tasks|risks|help|rank|flows|"
                       r"collective|family|phone|special|criticism|redpacket|three_no)\}")


def _choose(slot: tuple, facts: dict, rng: random.Random, taken: set[str]) -> str | None:
    """One eligible variant of a slot; variants that need a fact the person has come first."""
    filled = [(t, _fill(t, facts)) for t in slot]
    eligible = [(t, s) for t, s in filled if s and t not in taken]
    if not eligible:
        return None
    # a variant that uses the person's own facts (numbers, flags) beats a generic one
    specific = [(t, s) for t, s in eligible if _SPECIFIC.search(t)]
    pool = specific if specific and rng.random() < 0.85 else eligible
    t, s = rng.choice(pool)
    taken.add(t)
    return s


def _paragraph(recipe: Recipe, facts: dict, rng: random.Random, taken: set[str]) -> _Para | None:
    core = [s for s in (_choose(slot, facts, rng, taken) for slot in recipe.core) if s]
    if not core:
        return None
    extras = {}
    for i, slot in enumerate(recipe.extra):
        variants = [(t, s) for t in slot if t not in taken and (s := _fill(t, facts))]
        if variants:
            rng.shuffle(variants)
            taken.update(t for t, _ in variants)  # reserved: no other paragraph repeats them
            extras[i] = [s for _, s in variants]
    return _Para(core, extras)


def _count(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def deeds_chars(d: dict) -> int:
    """Characters of a deeds document as the length check counts them (no whitespace)."""
    parts = [d.get("title", ""), d.get("subtitle", "") or "", *d.get("lead", [])]
    for sec in d.get("sections", []):
        parts += [sec["heading"], *sec["paragraphs"]]
    return sum(_count(p) for p in parts)


def _lead(facts: dict, rng: random.Random) -> str:
    bio = "{n}，{gender}，{birth}出生，{political}，{education}学历，{start}参加工作，现任{title}。".format_map(facts)
    career = _fill(rng.choice([t for t in LEAD_CAREER if _fill(t, facts)]), facts)
    thesis = _fill(rng.choice(LEAD_THESIS), facts)
    honours = facts["honours"] or "{T}从不计较个人得失，默默奉献在基层一线，多次受到单位和群众的好评。".format_map(facts)
    return bio + career + honours + thesis


def compose(unit: str, people: dict | None = None, seed: int | str = 2014, short: bool = False) -> dict:
    """A 详细事迹材料 for ``unit``'s candidate: {title, subtitle, lead, sections: [{heading, paragraphs}]}."""
    people = people if people is not None else load_people()[unit]
    facts = facts_of(unit, people)
    rng = random.Random(f"{seed}:deeds:{facts['n']}")
    facts["month"] = rng.randint(3, 8)
    facts["saying"] = rng.choice(SAYINGS)
    facts["pennants"], facts["letters"] = rng.randint(3, 12), rng.randint(5, 30)
    title = f"{facts['n']}同志详细事迹材料"
    if short:
        return _short(facts, people, rng, title)

    # sections: work and people in either order, maybe devotion or reform, integrity last
    first, second = rng.sample(["work", "people"], 2)
    middle = rng.sample(["devotion", "reform"], rng.choice([0, 1, 1]))
    themes = [first, *middle, second] if rng.random() < 0.5 else [first, second, *middle]
    themes.append("integrity")
    taken: set[str] = set()
    sections: list[_Section] = []
    for theme in themes:
        n_recipes = len(RECIPES[theme])
        keep = n_recipes if len(themes) == 3 else min(n_recipes, rng.choice([2, 3, 3]))
        fixed = {"work": 0, "integrity": n_recipes - 1}.get(theme)  # the person's own deed; the closing words
        rest = [i for i in range(n_recipes) if i != fixed]
        picked = sorted(rng.sample(rest, keep - (fixed is not None)) + ([fixed] if fixed is not None else []))
        sec = _Section(theme, _fill(rng.choice(HEADINGS[theme]), facts))
        for i in picked:
            sec.add(i, facts, rng, taken)
        sections.append(sec)
    doc = {"title": title, "subtitle": _fill(rng.choice(SUBTITLES), facts), "lead": [_lead(facts, rng)]}

    # steer the length: extra sentences (else a further paragraph) in or out until near the target
    target = rng.randint(2550, 3100) if len(sections) == 4 else rng.randint(2550, 2800)
    for p in (p for sec in sections for p in sec.paras.values()):  # some of the extras to begin with
        while p.extras and (rng.random() < 0.4 or _count(p.text()) < 150):
            p.take(rng)

    def total() -> int:
        doc["sections"] = [{"heading": f"{CN_NUM[i]}、{sec.heading}", "paragraphs": sec.texts()}
                           for i, sec in enumerate(sections)]
        return deeds_chars(doc)

    for _ in range(100):
        n = total()
        paras = [p for sec in sections for p in sec.paras.values()]
        if n < target - 100:
            open_ = [p for p in paras if p.extras]
            if open_:  # the paragraphs with the fewest extras first, so none grows into a wall of text
                fewest = min(len(p.used) for p in open_)
                rng.choice([p for p in open_ if len(p.used) == fewest]).take(rng)
                continue
            spare = [sec for sec in sections if sec.spare() and len(sec.paras) < 3]
            if spare:
                sec = rng.choice(spare)
                sec.add(rng.choice(sec.spare()), facts, rng, taken)
                continue
            unused = [t for t in ("devotion", "reform") if t not in themes]
            if len(sections) >= 4 or not unused:
                break
            themes.insert(-1, rng.choice(unused))  # one more section, before integrity
            sec = _Section(themes[-2], _fill(rng.choice(HEADINGS[themes[-2]]), facts))
            for i in sorted(rng.sample(range(len(RECIPES[sec.theme])), 2)):
                sec.add(i, facts, rng, taken)
            sections.insert(-1, sec)
        elif n > target + 100:
            full = [p for p in paras if p.used]
            if not full:
                break
            most = max(len(p.used) for p in full)
            rng.choice([p for p in full if len(p.used) == most]).drop(rng)
        else:
            break
    total()
    return doc


@dataclass
class _Section:
    theme: str
    heading: str
    paras: dict[int, _Para] = field(default_factory=dict)  # recipe index → paragraph
    tried: set[int] = field(default_factory=set)

    def add(self, i: int, facts: dict, rng: random.Random, taken: set[str]) -> None:
        self.tried.add(i)
        p = _paragraph(RECIPES[self.theme][i], facts, rng, taken)
        if p is not None:
            self.paras[i] = p

    def spare(self) -> list[int]:
        return [i for i in range(len(RECIPES[self.theme])) if i not in self.tried]

    def texts(self) -> list[str]:
        return [self.paras[i].text() for i in sorted(self.paras)]


def _short(facts: dict, people: dict, rng: random.Random, title: str) -> dict:
    """What a hurried unit sends: the brief between a lead and a closing paragraph, ~800 characters."""
    closing = rng.choice(SHORT_CLOSINGS).format_map(facts) + "经{org}研究，同意推荐{n}同志为“勤廉标兵”候选人。".format_map(facts)
    return {"title": title, "subtitle": _fill(rng.choice(SUBTITLES), facts),
            "lead": [_lead(facts, rng), *people["candidate"]["deeds"], closing], "sections": []}


def all_documents(seed: int | str = 2014) -> dict[str, dict]:
    """Unit → its candidate's full deeds document (the hand-written one where people.yaml has it)."""
    out = {}
    for unit, d in load_people().items():
        out[unit] = d["candidate"].get("detailed_deeds") or compose(unit, d, seed)
    return out

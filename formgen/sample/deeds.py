"""详细事迹材料 for the sample candidates, composed from people.yaml.

The notice asks every 勤廉标兵 candidate's unit for a detailed deeds document of
about 3000 characters. People.yaml holds one hand-written document
(锦湖街道); for the others ``compose`` writes one in the formulaic style of
real 先进事迹材料: a title 「X同志详细事迹材料」, a subtitle 「——记……」, a lead
paragraph (born, party, schooling, career, honours), then three or four headed
sections (「一、……」) of two or three paragraphs each, integrity last.

Every sentence comes from a pool of templates filled with the person's own
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

from formgen.sample import load_people

MIN_CHARS, MAX_CHARS = 2400, 3300  # what a full document is steered into
SHORT_CHARS = 800  # about what the short one has

CN_NUM = "一二三四五六七八九十"


# ------------------------------------------------------------------------------------------ facts


# (keyword in the duty, whom the work serves, one of them, the line of work)
_FIELDS = (
    ("便民服务中心", "办事群众", "办事群众", "便民服务"),
    ("信访", "来访群众", "来访群众", "信访"),
    ("社会事务", "困难群众", "困难群众", "社会事务"),
    ("综治", "群众", "群众", "矛盾纠纷调处"),
    ("村镇建设", "建房农户", "建房农户", "村镇建设管理"),
    ("经济发展", "企业", "企业负责人", "企业服务"),
    ("劳动保障", "外来务工人员", "外来务工人员", "劳动保障"),
    ("民政", "困难群众", "困难群众", "民政"),
    ("安监", "企业", "企业负责人", "安全生产监管"),
    ("计生", "育龄群众", "育龄群众", "人口计生"),
    ("农业", "农户", "农户", "农业技术推广"),
    ("驻村", "村民", "村民", "驻村"),
    ("党政办", "群众", "群众", "综合协调"),
    ("林业", "林农", "林农", "林业"),
    ("财政", "村干部和群众", "村会计", "财务管理"),
    ("婚姻登记", "办证群众", "办证群众", "婚姻登记"),
    ("稽查", "运输业户", "驾驶员", "运输市场监管"),
    ("出入境", "办证群众", "华侨家属", "出入境管理"),
    ("土地登记", "办证群众", "办证群众", "土地登记"),
    ("房产交易", "购房群众", "购房群众", "房屋登记"),
    ("社会保险", "参保群众", "参保职工", "社会保险经办"),
    ("卫生监督", "医疗机构和群众", "诊所负责人", "卫生监督"),
    ("注册登记", "创业者", "创业者", "企业注册登记"),
    ("办税", "纳税人", "纳税人", "办税服务"),
    ("督查", "办事群众", "办事群众", "效能督查"),
    ("信贷", "缴存职工", "缴存职工", "公积金贷款"),
    ("环评", "企业", "企业负责人", "环评审批"),
    ("招生考试", "考生和家长", "考生家长", "招生考试"),
    ("会计", "各单位财务人员", "财务人员", "会计管理"),
)
_FIELD_DEFAULT = ("群众", "办事群众", "本职")

# sentences of the briefs that are common templates (what is left is the person's own)
_BRIEF_COMMON = (
    "积极践行党的群众路线", "一追到底", "手中的权力是群众给的", "党风廉政建设责任制", "群众跑一趟不容易",
    "延时服务和预约服务", "参加工作", "咨询电话", "用实际行动诠释", "默默无闻的坚守", "拼命三郎", "批评意见",
    "结对帮扶", "爱人身体不好", "急难险重", "主动放弃休息日", "手机号码", "台风过境", "中央八项规定", "红包",
    "我们心里就踏实", "业余时间系统学习", "把群众当亲人", "“三不”", "言行一致", "干一行、爱一行",
    "群众路线教育实践活动", "现任",
)
_BRIEF_NUMBERS = {
    "overtime": r"累计加班(\d+)余小时",
    "visits": r"走访企业和群众(\d+)户次",
    "ideas": r"收集意见建议(\d+)条",
    "solved": r"协调解决(\d+)个",
    "risks": r"排查风险点(\d+)个",
    "measures": r"制定防控措施(\d+)条",
    "collective": r"连续(\d+)年被评为先进集体",
    "help": r"结对帮扶困难群众(\d+)户",
    "typhoon": r"转移危险区域群众(\d+)余人",
    "key_tasks": r"重点工作任务(\d+)项",
    "rank": r"比武中获得第(.)名",
    "flows": r"梳理办事流程(\d+)项",
    "cut_docs": r"取消不必要的证明材料(\d+)项",
}
_BRIEF_FLAGS = {
    "family": "爱人身体不好", "phone": "手机号码", "special": "特殊群体", "criticism": "批评意见",
    "redpacket": "红包", "three_no": "“三不”", "calls": "咨询电话",
}
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


SAYINGS = (
    "群众的事没有小事，件件都要有回音。", "能办的马上办，难办的想办法办。", "宁可自己多跑腿，也不让群众多跑路。",
    "干部干部，就是要先干一步。", "坐在这个位置上，代表的就是政府的形象。", "群众满意不满意，是检验我们工作的标准。",
    "把群众当亲人，群众才会把你当亲人。", "今天的事今天办，决不拖到明天。",
)

LEAD_CAREER = (
    "参加工作{years}年来，{T}先后任{paths}等职，{cur}起任{role}。",
    "{T}从{first_job}干起，一步一个脚印，{cur}走上{role}岗位。",
    "参加工作后，{T}先后任{paths}，{cur}任现职。",
    "参加工作后，{T}曾任{path}，{cur}起任{role}。",
    "参加工作以来，{T}一直在基层一线工作，{cur}起任{role}。",
)
LEAD_THESIS = (
    "无论在哪个岗位，{T}都把群众满意作为工作的最高标准，勤勤恳恳干事，清清白白做人，用实际行动诠释了“勤廉”二字的深刻内涵。",
    "多年来，{T}始终坚守为民服务的初心，干一行、爱一行、精一行，在平凡的岗位上交出了一份勤政廉政的履职答卷。",
    "在同事眼里，{T}是一个“闲不住”的人；在群众心中，{T}是一个“靠得住”的人。",
    "{T}常说，组织把自己放在这个岗位上，就要对得起这份信任，对得起身后的群众。多年来，{T}正是这样做的。",
    "{T}为人低调、作风扎实，多年如一日默默坚守在{area}工作一线，赢得了群众的信任和同事的敬重。",
)

SUBTITLES = (
    "——记{title}{n}同志",
    "——记{title}{n}",
    "——记群众身边的“贴心人”、{title}{n}",
    "——记勤政为民的“实干家”、{title}{n}同志",
    "——记{area}工作的“排头兵”、{title}{n}",
)

HEADINGS = {
    "work": (
        "立足本职，在平凡岗位上干出不平凡的业绩",
        "爱岗敬业，做{area}工作的“行家里手”",
        "履职尽责，把每一件小事做实做细",
        "勤勉务实，以一流业绩践行“勤”的要求",
        "扎根一线，当好{area}工作的“排头兵”",
    ),
    "people": (
        "心系群众，把群众的事当作自己的事",
        "情系百姓，甘当群众的“贴心人”",
        "践行宗旨，用真情架起干群连心桥",
        "执政为民，始终把群众满意作为第一标准",
    ),
    "devotion": (
        "无私奉献，舍小家顾大家",
        "勇挑重担，关键时刻冲得上、顶得住",
        "不计得失，用汗水诠释责任与担当",
    ),
    "reform": (
        "敢于创新，不断提升服务效能",
        "改革创新，让群众办事更方便更快捷",
        "开拓进取，在改进作风中提升效能",
    ),
    "integrity": (
        "严守底线，清清白白做人、干干净净做事",
        "廉洁自律，永葆公仆本色",
        "严于律己，守住清正廉洁的“生命线”",
        "以身作则，树立勤廉干部的良好形象",
    ),
}

RECIPES: dict[str, tuple[Recipe, ...]] = {
    "work": (
        Recipe(core=(
            ("自{cur_y}年担任{role}以来，{T}把{area}工作当作一份沉甸甸的责任，坚持高标准、严要求，努力把每一项工作做到最好。",
             "{area}工作面广量大、政策性强，稍有疏忽就会影响群众的切身利益。{T}到岗后做的第一件事，就是把相关政策法规和业务流程从头到尾梳理了一遍。",
             "{dept}的工作头绪多、任务重，件件都连着群众的切身利益。{T}常说：“岗位就是责任，既然组织把我放在这个位置上，就要对得起这份信任。”",
             "走上{role}岗位后，{T}给自己定下一个目标：让每一位{served_one}都能带着问题来、带着满意走。"),
            ("{sig}",),
            ("这些成绩的背后，是{T}一次次上门走访、一遍遍核对材料换来的。",
             "数字是枯燥的，但每一个数字背后，都凝结着{T}的心血和汗水。",
             "为了把这项工作做实做细，{T}经常白天在一线跑现场，晚上回到办公室整理台账，很多时候一忙就到深夜。",
             "成绩来之不易，其中有多少个加班的夜晚、多少次碰壁后的坚持，只有{T}自己心里清楚。"),
            ("群众的认可，是对{T}工作最好的褒奖。一年来，{T}和同事们先后收到群众送来的锦旗{pennants}面、感谢信{letters}封。",
             "如今，这项工作已经成为{short}的一块“金字招牌”，多次得到上级领导的肯定。",
             "{T}说，工作做得好不好，不看汇报材料写得怎么样，要看群众是不是真正得到了实惠。",
             "这项工作的做法，还被{short}作为经验在全单位推广。"),
        ), extra=(
            ("单位领导这样评价{T}：“交给{n}的事，从来不用操心。”",
             "群众说，{n}办事，让人放心。",
             "分管领导说：“{n}干工作，从来不讲条件、不打折扣。”",
             "{served}提起{n}，都要竖起大拇指。"),
            ("为了摸清底数，{T}带着同事走村入户、逐一核实，光是工作笔记就记了厚厚的三大本。",
             "遇到政策不明确的地方，{T}就一次次到上级部门请示，直到把问题弄清楚为止。",
             "有些情况年代久远、资料不全，{T}就翻档案、找知情人，一点一点把情况核实清楚。",
             "工作中遇到难题，{T}从不绕着走，而是迎难而上，想尽办法找出解决的路子。"),
            ("在{T}的带动下，{dept}的各项工作都走在了全市前列。",
             "{T}牵头负责的工作，多次在上级考核中名列前茅。",
             "{dept}的工作连年受到上级部门的表扬，这里面有{T}的一份心血。",
             "这些年，{dept}的工作一年一个台阶，{T}功不可没。"),
            ("每办结一件事，{T}都要在台账上认真记下一笔，年底一算，{T}经手办理的事项比上一年又多了不少。",
             "{T}把群众的每一件事都当作自己的事来办，从不因为事小而应付，也不因为事难而退缩。",
             "对经手的每一件事，{T}都坚持跟踪到底，直到群众满意为止。"),
            ("为了这件事，{T}先后召开协调会十余次，走访相关部门和群众数十次，光是整理的材料就有厚厚一摞。",
             "有人劝{T}不必这么较真，{T}却说：“群众的事，差一点都不行。”"),
        )),
        Recipe(core=(
            ("{T}注重学习钻研，把业余时间都用在了学政策、钻业务上。{T}的办公桌上常年放着几本翻得卷了边的政策汇编，上面写满了批注。",
             "{area}工作政策性强、更新快。{T}坚持每天挤出一个小时学习政策法规，遇到新出台的文件，总是第一时间学懂弄通，再讲给同事们听。",
             "{T}毕业于{school}{major}专业，参加工作后面对全新的业务领域，从零学起，虚心向老同志请教，很快成长为业务上的行家里手。",
             "“打铁还需自身硬。”{T}深知，要把{area}工作做好，首先自己要成为内行。"),
            ("在全市业务技能比武中，{T}获得第{rank}名，成为单位公认的业务骨干。",
             "{T}有一个随身携带的笔记本，记着各类政策的要点和群众常问的问题，几年下来，这样的笔记本已经记满了十几本。",
             "同事们遇到拿不准的问题，第一个想到的就是{T}，大家都亲切地称{T}为“业务通”。",
             "凭着这股钻劲，{T}对本岗位涉及的政策规定烂熟于心，群众问到什么问题，都能说得清清楚楚。"),
            ("{T}常说：“干{area}工作，光有热情不够，还得有真本事。”",
             "在{T}看来，业务精不精，直接关系到群众办事顺不顺；自己多学一点，群众就能少跑一趟。",
             "{T}说，群众来办事，最怕的就是干部说不清、办不了。"),
        ), extra=(
            ("对单位新进的年轻同志，{T}总是手把手地传帮带，把自己多年积累的经验毫无保留地教给大家。",
             "{T}还把工作中遇到的典型问题整理成册，发给同事们参考，大家都说这本小册子“比文件还好用”。",
             "几年来，经{T}带出来的年轻干部，不少已经成为各自岗位上的骨干。"),
            ("每当有新政策出台，{T}总是第一个学、第一个讲，还把政策要点编成通俗易懂的“明白纸”，发到群众手中。",
             "{T}还结合工作实际撰写调研文章，提出的多条意见建议被单位采纳。",
             "{T}还主动为村居干部和企业办事人员开展政策培训，让政策真正走进群众心里。"),
            ("{T}还利用业余时间参加学历进修，不断充实自己的知识储备，提高解决实际问题的能力。",
             "几年来，{T}先后参加各类业务培训二十余次，业务水平不断提高。",
             "晚上回到家，{T}常常还要翻一翻政策文件，看一看业务书籍。"),
            ("{T}的工作笔记本上，工工整整地记着每一次学习的心得和工作中遇到的新情况、新问题。",
             "遇到政策调整，{T}总是把新旧政策逐条对照，把变化的地方一一标注出来，方便自己和同事掌握。"),
        )),
        Recipe(core=(
            ("围绕提升服务效能，{T}带头落实首问负责、一次性告知、限时办结等制度，做到群众来办事有人接待、有人负责、有人跟踪。",
             "{T}坚持“马上就办、办就办好”的工作作风，对群众的事，能当天办的不拖到第二天，能一次办结的不让群众跑第二趟。",
             "“效能”二字，在{T}这里有具体的标准：群众的事要快办，复杂的事要帮办，急事要特事特办。"),
            ("对群众办事中遇到的“堵点”，{T}逐一记录、逐项研究，能当场解决的当场解决，不能当场解决的限期答复。",
             "{T}还把办事指南、办理时限、所需材料等一一公开，让群众办事心中有数、少走弯路。",
             "对需要多个部门协同办理的事项，{T}主动上门沟通衔接，不让群众在部门之间来回跑。"),
            ("今年，{short}把创建“十大效能示范岗”作为转变作风、提升效能的重要抓手，{T}积极参与，为{post}的创建出点子、想办法，该窗口也被推荐参加全市“十大效能示范岗”评选。",
             "一年来，{T}经手的各类事项没有出现一件差错，没有收到一起有效投诉。",
             "一年下来，{T}经手办理的事项件件按时办结，群众满意率始终保持在较高水平。"),
        ), extra=(
            ("面对任务重、人手少的困难，{T}主动放弃休息日，带领同事加班加点，所在科室连续{collective}年被评为先进集体。",
             "{T}所在的科室多次被评为先进集体，{T}本人也多次受到上级表扬。",
             "{T}所在的{dept}多次在全市效能考评中获得好评。"),
            ("{T}说，群众多跑一趟，就是我们的工作少做了一步。",
             "{T}说，效能高不高，群众心里有一杆秤。",
             "{T}常拿一句话提醒自己和同事：“群众的时间也是时间。”"),
            ("{T}还主动征求群众对服务的意见，在窗口设置意见簿，对群众提出的意见建议逐条研究、及时改进。",
             "{T}坚持每天下班前梳理当天办理的事项，对未办结的逐件落实责任、明确时限，做到日清日结。",
             "{T}还定期对已办结的事项进行电话回访，听取群众对办理结果的评价。"),
            ("在{T}的推动下，{dept}的办事流程更加规范，办事效率明显提高。",
             "如今，到{dept}办事的群众，普遍反映手续简单了、等候时间短了。"),
        )),
    ),
    "people": (
        Recipe(core=(
            ("{T}坚持“走下去、沉下去”，一年来走访企业和群众{visits}户次，面对面听取意见建议{ideas}条，每一条都登记在册、逐条梳理、及时反馈。",
             "在党的群众路线教育实践活动中，{T}带头深入基层，一年来走访企业和群众{visits}户次，收集意见建议{ideas}条。",
             "{T}坚持每月抽出固定时间深入村居和企业走访，面对面听取群众的意见和建议，把群众的呼声记在本子上、放在心坎上。",
             "{T}认为，坐在办公室里听不到群众的真心话，只有走到群众中间去，才能知道群众想什么、盼什么。"),
            ("对群众反映的难点问题，{T}不推不拖、一追到底，先后协调解决{solved}个群众反映强烈的实际问题。",
             "{solved}个群众反映强烈的难点问题，在{T}的协调推动下一一得到解决。",
             "群众反映的问题，{T}件件有记录、事事有回音，许多多年没有解决的老问题在{T}手里得到了解决。"),
            ("{T}还建立了群众诉求台账，每一件诉求都明确责任人和办理时限，办结后逐一电话回访，群众不满意的重新办理。",
             "为了让群众少跑路，{T}把服务延伸到村居和企业，定期上门为群众解答政策、代办事项。",
             "对一时解决不了的问题，{T}也总是向群众讲清原因、说明进度，从不让群众“心里没底”。"),
        ), extra=(
            ("对群众的批评意见，{T}从不回避，而是把它当作改进工作的“镜子”，逐条对照整改，并把整改情况及时反馈给群众。{criticism}",
             "{T}说，群众提意见，是在帮我们改进工作，我们要真心欢迎。",
             "哪怕群众说的是气话，{T}也认真听、仔细记，从中找出工作的不足。"),
            ("{T}把自己的手机号码公布在窗口公示牌上，群众遇到急事难事随时可以找到{T}，有时深夜还会接到电话，{T}从不厌烦。{phone}",
             "群众打来的咨询电话，{T}总是耐心解答；电话里说不清的，就请群众当面来谈，从不让群众“碰钉子”。{calls}",
             "不管群众什么时候打来电话，{T}都耐心接听，能解答的当场解答，解答不了的问清楚后及时回复。"),
            ("“群众的事再小也是大事”，这是{T}挂在嘴边的一句话，也是{T}多年来坚守的工作准则。",
             "有一位群众反映的问题涉及多个部门，{T}前后跑了十多趟，召开了三次协调会，终于让问题得到了妥善解决。",
             "有的问题一拖多年，群众早已失去了信心，{T}却一次次上门做工作，最终让群众心服口服。"),
            ("在{T}的台账上，每一条群众意见后面，都有一个“已办结”或“正在办理”的标注。",
             "对每一条意见建议，{T}都坚持件件有着落、事事有回音，不让群众的意见石沉大海。"),
        )),
        Recipe(core=(
            ("今年{month}月的一天傍晚，快到下班时间，一位{served_one}急匆匆地赶到{dept}，说第二天一早就要用的材料还没有办好。{n}二话没说，留下来帮着核对材料、联系相关部门，一直忙到晚上八点多，终于把事情办妥。临走时，这位群众握着{T}的手连声道谢，{T}却笑着说：“这是我们应该做的。”",
             "有一次，一位七十多岁的老人拄着拐杖来找{T}，反映的事情涉及好几个部门，老人已经跑了三趟都没有结果。{n}把老人扶到椅子上坐下，倒上一杯热水，把情况一条一条记在本子上。第二天一早，{T}就带着材料逐个部门上门协调。一个星期后，问题得到了圆满解决。老人的儿子专门打来电话说：“我父亲逢人就讲，遇到了一位好干部。”",
             "去年冬天，一位{served_one}因为对政策有误解，在办公室里情绪激动地大声争吵。{n}没有回避，而是把他请到一旁坐下，耐心听他把话说完，再把相关政策一条一条讲清楚，并帮他找到了合情合理的解决办法。离开时，这位群众不好意思地说：“早知道是这样，我就不发这个火了。”",
             "{month}月的一个周末，{n}正在家里陪孩子，突然接到一位{served_one}的求助电话。{T}放下电话就赶到单位，帮助对方查找资料、补办手续，一直忙到中午。事后，这位群众专门送来一封感谢信，信中写道：“你们的干部，把我们的事当成了自己的事。”",
             "在{T}的办公室里，有一本厚厚的“民情日记”，记录着群众反映的每一件事和办理的结果。翻开日记，一件件小事跃然纸上：帮外地来的群众查询材料，为行动不便的老人上门办理手续，为遇到困难的家庭联系救助……",
             "今年{month}月，一位在外地打工的群众回乡办事，因为材料不全，眼看就要白跑一趟。{n}得知后，主动帮他联系相关单位调取材料，又利用午休时间帮他把手续办完，让他当天就赶上了返程的车。"),
            ("类似这样的事情，在{T}的工作中几乎每天都会发生。",
             "{T}说，群众找上门来，是信得过我们，我们不能辜负这份信任。",
             "这样的故事，{T}自己很少提起，却一直在群众中间流传。"),
        ), extra=(
            ("{T}常说：“{saying}”",),
            ("时间长了，很多群众办事都愿意来找{T}，有的还把{T}当成了无话不谈的朋友。",
             "在{served}中间，{n}的名字几乎无人不知。",
             "不少群众办完事后，还专门回来跟{T}说一声“谢谢”。"),
            ("{T}常说，对我们来说这只是一件小事，对群众来说可能就是天大的事。",
             "在{T}看来，群众的每一件小事，都关系着政府在群众心中的形象。",
             "{T}说，群众的一声“谢谢”，就是对自己最大的鼓励。"),
            ("{T}说，只要把群众当亲人，再难办的事也能找到办法。",
             "在{T}看来，为群众办事，不能只讲“按规定”，还要讲“有温度”。"),
        )),
        Recipe(core=(
            ("{T}把群众当亲人，接待{served}时做到起身相迎、笑脸相待、热情服务，让人感受到家一般的温暖。",
             "对前来办事的老人、残疾人等特殊群体，{T}主动提供代办、陪办服务；对材料不全的群众，一次性告知所需材料，避免群众来回跑。{special}",
             "{T}待人热情、说话和气，再难缠的事到了{T}手里，总能心平气和地解决。"),
            ("工作之余，{T}还主动结对帮扶{help}户困难家庭，逢年过节自掏腰包上门慰问，平时经常打电话问寒问暖，帮助他们解决生活中的实际困难。",
             "工作之余，{T}还经常到辖区困难家庭走走看看，谁家有老人生病、谁家孩子上学有困难，{T}都记在心上，能帮一把就帮一把。",
             "{T}还资助了一名家庭困难的学生，每学期都给孩子寄去学费和学习用品，却从不让人声张。"),
            ("{T}还和几位同事组建了一支志愿服务队，利用业余时间为{served}提供政策咨询、代办代跑等服务。",
             "对行动不便的群众，{T}主动上门服务，把“群众跑腿”变成“干部跑腿”。",
             "{T}还经常利用周末参加社区志愿服务，和群众一起打扫卫生、宣传政策。"),
        ), extra=(
            ("一年来，{T}多次收到群众送来的锦旗和感谢信。",
             "群众都说：“找{n}办事，心里踏实。”",
             "群众亲切地称{T}为“自家人”。"),
            ("在{T}的影响下，越来越多的同事加入了为民服务的行列。",
             "每逢重阳、春节等节日，{T}都会和志愿者们一起走访慰问孤寡老人，送去米、油等慰问品。",
             "{T}说，帮助别人，自己也收获了快乐。"),
            ("{T}说，群众的困难就是自己的困难，能帮一把是一把。",
             "{T}的热心肠，在{short}是出了名的。",
             "这些年，{T}帮助过的困难群众到底有多少，连{T}自己也记不清了。"),
        )),
    ),
    "devotion": (
        Recipe(core=(
            ("为了方便群众办事，{T}带头推行延时服务和预约服务，今年以来累计加班{overtime}余小时，从未因个人原因耽误群众办事。",
             "{T}每天总是第一个到单位、最后一个离开，节假日加班更是家常便饭。",
             "“早上班、晚下班”，这是同事们对{T}最深的印象。"),
            ("遇到群众急着办的事，{T}常常放弃午休，加班加点帮群众办好。",
             "{T}的手机二十四小时开机，群众有事随时都能找到{T}。",
             "群众上班时间没空办事，{T}就利用中午和晚上为群众预约办理。"),
            ("同事们劝{T}注意休息，{T}总是笑笑说：“群众的事等不得。”",
             "有人问{T}图个啥，{T}说：“看到群众满意地离开，再累也值得。”",
             "{T}说：“多干一点，群众就能少等一点。”"),
        ), extra=(
            ("面对任务重、人手少的困难，{T}主动放弃休息日，带领同事加班加点，确保各项工作按时保质完成，所在科室连续{collective}年被评为先进集体。",
             "忙的时候，{T}常常中午只吃一碗泡面，下午接着干。",
             "最忙的那段时间，{T}一连二十多天没有休息。"),
            ("今年以来，{T}几乎没有休过一个完整的周末，年休假也一天没有休。",
             "有一次{T}感冒发烧到三十九度，仍坚持在岗位上，直到把手头的工作处理完才去医院打点滴。",
             "前年{T}做了一次手术，出院第二天就回到了工作岗位。"),
            ("同事们说，{n}是单位里最“拼”的人。",
             "单位里的同事都说，{n}好像从来不知道累。",
             "大家都说，{n}是一头埋头拉车的“老黄牛”。"),
        )),
        Recipe(core=(
            ("今年夏季台风过境期间，{T}连续三天三夜坚守在防汛一线，冒着狂风暴雨挨家挨户劝说，协助转移危险区域群众{typhoon}余人，自己的嗓子都喊哑了。",
             "在征地拆迁、环境整治等急难险重任务面前，{T}总是冲在前面，先后参与完成{short}重点工作任务{key_tasks}项。",
             "“五水共治”“三改一拆”等中心工作开展以来，{T}主动请缨，白天深入一线做群众工作，晚上回到单位整理资料，圆满完成了组织交办的各项任务。",
             "每逢防汛防台、安全检查等急难险重任务，{T}总是第一个报名，哪里最需要就出现在哪里。"),
            ("那段时间，{T}每天只睡四五个小时，人瘦了一大圈，却没有叫过一声苦。",
             "{T}和同事们一起吃住在一线，一干就是十多天，直到任务全部完成。",
             "遇到不理解的群众，{T}就一遍遍上门讲政策、算细账，直到对方点头为止。"),
            ("{T}说：“关键时刻，干部就要站出来。”",
             "哪里任务最重，哪里就有{T}的身影。",
             "在{T}看来，越是困难的时候，越能看出一名干部的担当。"),
        ), extra=(
            ("事后，{T}被单位评为中心工作先进个人，可{T}却说，这份荣誉属于所有一起奋战的同事。",
             "任务完成后，{T}又悄悄回到了自己的岗位上，好像什么也没发生过。"),
            ("群众看在眼里、记在心里，有的群众专门打电话到单位表扬{T}。",
             "{T}的表现，得到了单位领导和群众的一致好评。"),
        )),
        Recipe(core=(
            ("{T}的爱人身体不好，孩子正在读书，家里的担子不轻。但{T}从未因家事影响工作，一年到头难得休一次完整的双休日。{family}",
             "{own_extra}",
             "说起家人，{n}总觉得亏欠太多。孩子的家长会，{T}很少参加；家里的大事小事，几乎都落在了爱人身上。",
             "{T}的父母年事已高，一直想让{T}多回家看看，可{T}总是抽不出时间，只能在电话里问候几句。"),
            ("可只要一回到工作岗位，{T}就把家里的事放在一边，全身心地投入工作。",
             "{T}说：“家里的事再大也是小事，群众的事再小也是大事。”",
             "{T}很少向组织提要求，也从不在同事面前诉苦。"),
        ), extra=(
            ("家人埋怨{T}“心里只有工作”，{T}总是笑着说：“等忙过这一阵就好了。”可这一阵，一忙就是好多年。",
             "对此，家人从最初的不理解，慢慢变成了默默的支持。"),
            ("{T}说，自己能安心工作，离不开家人的理解和支持。",
             "如今，家人已经习惯了{T}的忙碌，也为{T}的付出感到自豪。"),
            ("{T}却说，和那些更辛苦的同事比，自己做的这些算不了什么。",
             "每次说起这些，{T}总是轻描淡写，很快又把话题转回到工作上。",
             "说起这些，{T}的眼圈有些发红，但很快又笑着说起了工作。"),
        )),
    ),
    "reform": (
        Recipe(core=(
            ("在党的群众路线教育实践活动中，{T}带头查摆问题、带头整改，牵头梳理办事流程{flows}项，取消不必要的证明材料{cut_docs}项，让群众办事更加方便快捷。",
             "{T}认为，提高效能，关键是要站在群众的角度想问题。{T}带领同事对{dept}承担的各类事项逐项梳理，能合并的合并，能简化的简化，办事环节和所需材料明显减少。",
             "针对群众反映的“办事难、办事慢”问题，{T}推行预约服务、上门服务、电话咨询等便民举措，群众办事少跑了腿、少花了时间。"),
            ("{T}还带头推行“一张表格办多事”“容缺受理”等做法，群众办事的时间明显缩短。",
             "为了把改进措施落到实处，{T}一项一项对照检查，发现问题及时整改，直到群众满意为止。",
             "每推出一项新举措，{T}都要先听听群众的意见，看看是不是真正方便了群众。"),
        ), extra=(
            ("{T}还建立了工作台账和办理时限提醒制度，每件事项从受理到办结全程跟踪，确保件件有着落、事事有回音。",
             "{T}还推行“服务承诺制”，把办理时限向群众公开承诺，接受群众监督。"),
            ("这些做法得到了上级部门的肯定，有的已在全市推广。",
             "据统计，这些措施推行以来，群众办事的平均时间缩短了三分之一以上。",
             "群众说，现在办事，比以前方便多了。"),
        )),
        Recipe(core=(
            ("{T}注重用信息化手段提高工作效率，推动建立{area}工作电子台账，实现了信息共享、动态管理，过去要几天才能查清的情况，现在几分钟就能查到。",
             "{T}坚持“向制度要效能”，牵头修订完善{dept}内部管理制度，明确每个岗位的职责和办理时限，做到事事有人管、件件有时限。",
             "{T}还牵头编制了{dept}办事指南，把每个事项的办理条件、所需材料、办理流程写得清清楚楚，群众一看就懂。"),
            ("今年，{short}把创建“十大效能示范岗”作为转变作风、提升效能的重要抓手，{T}积极参与，为{post}的创建出点子、想办法。",
             "如今，{dept}办事效率明显提高，群众满意度逐年上升。",
             "这些制度实行以来，推诿扯皮、办事拖拉的现象明显减少。"),
            ("{T}说，改进作风不是为了好看，而是要让群众真正得到实惠。",
             "在{T}看来，创新不是喊口号，而是要实实在在解决群众的难题。"),
        ), extra=(
            ("{T}还牵头开展服务满意度测评，把群众的评价作为改进工作的依据。",
             "{T}坚持每季度召集一次工作分析会，查找问题、改进措施。"),
        )),
        Recipe(core=(
            ("{T}还注重从细节入手改进服务，在办事场所设置咨询引导、便民座椅、老花镜等便民设施，让群众办事更舒心。",
             "针对{served}办事时间集中的特点，{T}推行错时服务和节假日预约服务，群众不用请假也能办成事。",
             "{T}牵头开展办事满意度回访，每月随机抽取已办结的事项逐一电话回访，对群众不满意的逐件分析原因、限期整改。"),
            ("一年来，{T}根据群众意见推出的改进措施，件件都落到了实处。",
             "这些看似不起眼的小改变，却实实在在地方便了群众。",
             "群众的获得感，就这样在一点一滴的改进中不断增强。"),
        ), extra=(
            ("{T}说，服务好不好，群众说了算。",
             "{T}常说，改进服务没有终点，只有起点。"),
            ("{T}还把群众反映集中的问题整理成清单，逐项研究解决办法，能改的立即改，一时改不了的向群众说明情况。",
             "对群众提出的合理化建议，{T}都认真吸收，及时转化为改进服务的具体措施。"),
        )),
    ),
    "integrity": (
        Recipe(core=(
            ("{T}始终把廉洁自律作为立身之本，带头落实党风廉政建设责任制，在科室内部建立廉政风险防控台账，排查风险点{risks}个，制定防控措施{measures}条，本人及所在科室从未发生违纪违规行为。",
             "{T}始终把廉洁自律作为立身之本，认真学习党纪条规，时时处处严格要求自己，从不利用手中的权力为自己和亲友谋取私利。",
             "{area}工作与群众利益密切相关，难免有人想找{T}“通融通融”。对此，{T}始终守住底线，坚持按政策办事、按程序办事。"),
            ("{T}常说：“手中的权力是群众给的，只能用来为群众办事。”",
             "作为一名{member}，{T}深知手中的每一项权力都连着群众的利益，办事必须公道、用权必须干净。",
             "{T}说，干部的形象，是靠一件件小事树立起来的。"),
            ("{T}还经常在科室例会上讲身边的违纪案例，提醒同事们算好“政治账”“经济账”“家庭账”，筑牢拒腐防变的思想防线。",
             "对科室的同事，{T}同样严格要求，逢会必讲廉洁纪律，发现苗头性问题及时提醒，防患于未然。",
             "{T}还把廉政风险点和防控措施张贴上墙，请群众一起监督。"),
        ), extra=(
            ("{T}严格遵守中央八项规定精神，工作中坚持按规定办事、按程序办事，做到公开、公平、公正。",
             "{T}自觉接受群众和组织的监督，主动公开办事程序和办理结果，让权力在阳光下运行。",
             "对公家的东西，{T}从不占一点便宜，一张纸、一支笔都精打细算。"),
            ("{T}每年都主动向组织报告个人有关事项，如实填报，从不隐瞒。",
             "每逢节假日前，{T}都要组织科室同事集中学习廉洁纪律规定，提醒大家守住底线。"),
            ("{T}常说，小节不保，大节难守，廉洁要从点滴做起。",
             "多年来，{T}所在的{dept}没有发生一起违纪违规问题，没有收到一起有关廉政方面的投诉。"),
        )),
        Recipe(core=(
            ("有一次，一名办事群众为了表示感谢，悄悄在资料袋里塞了一个红包。{n}发现后，当即追出门外把红包退还，并耐心地讲清政策：“该办的事，不用送礼也会给你办好；不该办的事，送什么礼也办不成。”{redpacket}",
             "在廉洁自律上，{T}给自己定下“三不”规矩：不收群众一分钱礼、不吃服务对象一顿饭、不办一件违规事。多年来，{T}始终言行一致，以身作则带出了一支作风过硬的队伍。{three_no}",
             "{int_extra}",
             "逢年过节，总有服务对象想给{T}送些土特产、购物卡表示“心意”，都被{T}一一婉言谢绝。实在推不掉的，{T}就按价折款寄还。{T}说：“今天收了人家的东西，明天就没法公正办事。”",
             "有一回，一位{served_one}事情办成后，提着两箱水果送到{T}家里，{T}硬是让对方提了回去，第二天又打电话向对方解释了半天。"),
            ("{T}说：“清清白白做人，干干净净做事，晚上才能睡得安稳。”",
             "在{T}的带动下，{dept}形成了风清气正的良好氛围。",
             "{T}说，廉洁是干部的“护身符”，丢了它，什么都保不住。"),
        ), extra=(
            ("{T}对家人要求同样严格，经常提醒他们不要打着自己的旗号办事。",
             "有亲戚想通过{T}“走后门”，都被{T}婉言拒绝，{T}说：“规矩就是规矩，对谁都一样。”",
             "{T}的家人都知道{T}的脾气，从不替别人向{T}说情。"),
            ("多年来，{T}从未接受过服务对象的一次宴请、一份礼品。",
             "{T}的廉洁，赢得了群众的信任，也赢得了同事们的敬重。"),
            ("有人说{T}太“死板”，{T}却说：“在原则问题上，死板一点没有坏处。”",
             "{T}常对身边的同事说：“一次不廉，就可能毁掉一辈子。”"),
            ("群众说，找{n}办事，不用托关系、不用送东西，只要按政策来就行。",),
        )),
        Recipe(core=(
            ("面对荣誉，{T}总是说：“我只是做了自己应该做的事。”在{T}看来，群众满意，就是对自己工作最好的评价。",
             "“勤”字当头，“廉”字为先。{years}年来，{n}用实际行动践行着一名基层干部的承诺，在平凡的岗位上书写了勤政廉政的动人篇章。",
             "与{T}共事多年的{leader}这样评价{T}：“{n}这个人，工作上较真，生活上简单，对群众热心，对自己严格。”",
             "没有豪言壮语，没有惊天动地的壮举，{n}用{years}年的坚守，诠释了一名基层干部勤政为民、清正廉洁的本色。"),
            ("正是这份默默无闻的坚守，让{T}赢得了群众“贴心人”的称号。",
             "同事们都说：“有{T}在，我们心里就踏实。”",
             "群众的口碑，就是对{T}最好的褒奖。"),
        ), extra=(
            ("如今，{n}依然每天早早来到单位，整理好当天的工作，迎接前来办事的群众。{T}说，只要群众需要，就会一直这样干下去。",
             "{years}年风雨兼程，{n}用勤勉和廉洁，书写了一名基层干部对事业的忠诚、对群众的深情。",
             "{T}说，今后还要继续努力，不辜负组织的培养和群众的信任。"),
            ("组织的肯定、群众的信赖，是对{n}最好的褒奖。",
             "这就是{n}，一名普普通通的基层干部，一名群众信得过的好干部。"),
            ("{T}说，“勤”和“廉”是一名干部的两条腿，缺了哪一条都走不稳。",),
        )),
    ),
}


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
    closing = rng.choice((
        "{n}同志的事迹，充分体现了新时期基层干部勤政为民、清正廉洁的精神风貌，在干部群众中树立了良好形象。",
        "{years}年来，{n}同志始终以一名优秀基层干部的标准严格要求自己，用实际行动诠释了“勤廉”二字的深刻内涵。",
        "{n}同志爱岗敬业、勤政为民、清正廉洁，在平凡的岗位上作出了不平凡的成绩，得到了干部群众的一致好评。",
    )).format_map(facts) + "经{org}研究，同意推荐{n}同志为“勤廉标兵”候选人。".format_map(facts)
    return {"title": title, "subtitle": _fill(rng.choice(SUBTITLES), facts),
            "lead": [_lead(facts, rng), *people["candidate"]["deeds"], closing], "sections": []}


def all_documents(seed: int | str = 2014) -> dict[str, dict]:
    """Unit → its candidate's full deeds document (the hand-written one where people.yaml has it)."""
    out = {}
    for unit, d in load_people().items():
        out[unit] = d["candidate"].get("detailed_deeds") or compose(unit, d, seed)
    return out

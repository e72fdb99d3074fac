"""Which awards, forms and rubric apply to a unit: by the unit categories an award names.

Seed 003: the halls are never issued (nor chased for) the window forms; seed 001:
第四类 units are scored on their own rubric (服务对象测评 400 + 服务地方经济发展 600).
An award naming no categories applies to every unit.

>>> from formgen.campaign.presets import preset_campaign
>>> c = preset_campaign("kunshan-awards")
>>> sorted(forms_for(c, "区镇政务服务中心"))  # no window form for a hall
['hall_application', 'person_application']
"""
from __future__ import annotations

from formgen.campaign.model import Award, Campaign, Rubric


def applies(award: Award, category: str | None) -> bool:
    """Does ``award`` concern a unit of ``category``? (no categories named: every unit)."""
    return not award.categories or category in award.categories


def awards_for(campaign: Campaign, category: str | None) -> list[Award]:
    return [a for a in campaign.awards if applies(a, category)]


def forms_for(campaign: Campaign, category: str | None) -> set[str]:
    """The form types a unit of ``category`` is issued and owes.

    A form no award uses (a report every unit files, e.g. 自查报告) goes to every unit;
    a form of awards that all exclude the category goes to none of its units.
    """
    used: dict[str, bool] = {}
    for a in campaign.awards:
        for ft in (a.nomination_form, a.score_form):
            if ft:
                used[ft] = used.get(ft, False) or applies(a, category)
    return {f.type for f in campaign.form_specs() if used.get(f.type, True)}


def rubric_for(award: Award, category: str | None) -> Rubric:
    """The rubric that scores a unit of ``category`` (its category's own, else the award's)."""
    return award.category_rubrics.get(category or "", award.rubric)


def uses_scope(award: Award) -> bool:
    """Whether scoring needs formgen.scoring.scoped for this award."""
    rubrics = [award.rubric, *award.category_rubrics.values()]
    return bool(award.categories or award.rank_within != "all" or award.category_rubrics or award.grades
                or award.facts_from_fields
                or any(i.source or any(r.field for r in i.rules) for rb in rubrics for i in rb.items))

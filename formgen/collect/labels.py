"""Printed names of forms and fields, shared by the status book and the corrections history.

Kept apart so correction_history (imported by checks) need not import status_book (which imports checks)."""
from __future__ import annotations

from formgen.campaign.model import Campaign


def field_label(campaign: Campaign, form_type: str | None, key: str | None) -> str:
    """The printed label of a field key ("items.组织宣传" → "组织宣传 得分")."""
    if not key:
        return ""
    if key.startswith("items."):
        return f"{key[len('items.'):]} 得分"
    if form_type:
        try:
            return campaign.form_spec(form_type).field(key).label
        except KeyError:
            pass
    return key


def form_title(campaign: Campaign, form_type: str | None) -> str:
    """The printed title of a form type, or the type itself when the campaign does not know it."""
    if not form_type:
        return ""
    try:
        return campaign.form_spec(form_type).title
    except KeyError:
        return form_type

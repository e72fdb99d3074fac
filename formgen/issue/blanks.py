"""The issued forms' table layouts, for the OCR reader to match scans against (formgen.intake.issued)."""
from __future__ import annotations

import io
from pathlib import Path

from formgen import docxkit as dk
from formgen.campaign.model import Campaign
from formgen.issue.templates import build_form, template_name, template_props
from formgen.workspace import CAMPAIGN_FILE, Workspace

BUILTIN_PRESET = "ruian-2014"  # the seed campaign whose attachments the built-in form types are


def blank_forms(campaign: Campaign) -> list[tuple[str, bytes]]:
    """(file name, .docx bytes) of every form template of ``campaign``, made in memory."""
    out = []
    for spec in campaign.form_specs():
        buf = io.BytesIO()
        build_form(campaign, spec).save(buf)
        out.append((template_name(spec), dk.set_custom_properties(buf.getvalue(), template_props(campaign, spec.type))))
    return out


def builtin_blanks() -> list[tuple[str, bytes]]:
    """The built-in form types as issued: the seed's campaign (preset ruian-2014), whose
    attachments they are."""
    from formgen.campaign.presets import preset_campaign

    return blank_forms(preset_campaign(BUILTIN_PRESET))


def issued_tables_at(root: Path):
    """What the OCR reader matches scans against when ``formgen extract`` runs in ``root``:
    the workspace's templates, else the built-in forms as issued. A function, so that the
    layouts are made only when a scan is read."""
    from formgen.intake.issued import tables_in_folder, tables_of_blanks

    if (Path(root) / CAMPAIGN_FILE).exists():
        ws = Workspace.open(root)
        return lambda: tables_in_folder(ws.templates_dir)
    return lambda: tables_of_blanks(builtin_blanks())

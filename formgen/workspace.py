"""A workspace: one campaign's folder.

::

    campaign.yaml     what the notice states (formgen.campaign.model)
    units.xlsx        单位名称 / 类别 / 联系人 / 邮箱
    templates/        the .docx templates (docxtpl) users may restyle in Word
    forms_in/         where returned files land (never modified by formgen)
    out/              everything formgen generates
    ledger.sqlite     the ledger: the one source of truth (formgen.ledger)
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from formgen.campaign.load import load_campaign, load_units
from formgen.campaign.model import Campaign, Unit
from formgen.errors import WorkspaceError
from formgen.forms import FormSpec, builtin_forms

CAMPAIGN_FILE = "campaign.yaml"
LEDGER_FILE = "ledger.sqlite"


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    @classmethod
    def open(cls, root: Path) -> "Workspace":
        """The workspace at ``root``; a clear message when there is none."""
        ws = cls(root)
        if not ws.campaign_file.exists():
            raise WorkspaceError(
                f"{ws.root} 不是 formgen 工作目录（缺少 {CAMPAIGN_FILE}）；"
                f"请先运行 formgen init {ws.root} --preset ruian-2014，或用 -C 指定工作目录")
        return ws

    # paths -----------------------------------------------------------------
    @property
    def campaign_file(self) -> Path:
        return self.root / CAMPAIGN_FILE

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def forms_in(self) -> Path:
        return self.root / "forms_in"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def ledger_path(self) -> Path:
        return self.root / LEDGER_FILE

    def out_dir(self, stage: str) -> Path:
        """``out/<stage>/``, created on demand (issue, collect, score, publish, panel)."""
        d = self.out / stage
        d.mkdir(parents=True, exist_ok=True)
        return d

    # contents --------------------------------------------------------------
    @cached_property
    def campaign(self) -> Campaign:
        return load_campaign(self.campaign_file)

    @cached_property
    def units(self) -> list[Unit]:
        return load_units(self.root / self.campaign.units_file)

    def unit(self, name: str) -> Unit | None:
        for u in self.units:
            if u.name == name:
                return u
        return None

    def unit_by_email(self, address: str | None) -> Unit | None:
        if not address:
            return None
        address = address.strip().lower()
        for u in self.units:
            if address in u.emails():
                return u
        return None

    def ledger(self):
        from formgen.ledger import Ledger

        return Ledger(self.ledger_path)


def forms_at(root: Path) -> list[FormSpec]:
    """The form types ``formgen extract`` reads with: the campaign's when ``root`` is a workspace,
    else the built-in ones."""
    if (Path(root) / CAMPAIGN_FILE).exists():
        specs = Workspace.open(root).campaign.form_specs()
        if specs:
            return specs
    return builtin_forms()


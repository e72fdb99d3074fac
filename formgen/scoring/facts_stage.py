"""Staff records of eligibility facts no form supplies (formgen.ledger.facts), for the faces:
``formgen discipline`` today, the desk later."""
from __future__ import annotations

from formgen.errors import FormgenError
from formgen.ledger.facts import FactRecord, discipline_records, record_fact, withdraw_fact
from formgen.ledger.views import nominees
from formgen.workspace import Workspace


def _known(ws: Workspace, ledger, unit: str, name: str) -> None:
    if ws.unit(unit) is None:
        raise FormgenError(f"单位“{unit}”不在单位名单中；请核对名称（见 units.xlsx）")
    if name:
        named = {"".join(n.name.split()) for rows in nominees(ledger, ws.campaign, ws.units).values()
                 for n in rows if n.unit == unit}
        if "".join(name.split()) not in named:
            listed = "、".join(sorted(named)) or "（尚未收到推荐表）"
            raise FormgenError(f"{unit} 没有推荐“{name}”；它推荐的有：{listed}")


def record_discipline(ws: Workspace, unit: str, name: str = "", what: str = "", none: bool = False,
                      basis: str | None = None, delete: bool = False) -> FactRecord | None:
    """Record whether ``unit`` (or its nominee ``name``) was disciplined this year (``none``: it was
    not); ``delete`` withdraws the record. Returns the record in effect afterwards."""
    if not delete and not none and not what.strip():
        raise FormgenError("请用 --what 写明受到的处理（如“2014年5月受党内警告处分”），或用 --none 记录“没有受到处理”")
    if not delete and none and what.strip():
        raise FormgenError("--none（没有受到处理）与 --what（受到的处理）只能选一个")
    key = (unit, "".join(name.split()))
    with ws.ledger() as ledger:
        _known(ws, ledger, unit, name)
        if delete:
            if not withdraw_fact(ledger, unit, key[1], basis):
                raise FormgenError(f"{unit}{'（' + name + '）' if name else ''} 没有效能或党政纪处理的记录，无需撤销")
        else:
            record_fact(ledger, unit, key[1], not none, what.strip(), basis)
        return discipline_records(ledger).get(key)


def discipline_list(ws: Workspace) -> list[FactRecord]:
    with ws.ledger() as ledger:
        return list(discipline_records(ledger).values())

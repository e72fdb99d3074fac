"""The ledger: one SQLite file per workspace, the one source of truth.

Each concern keeps its tables in its own module and registers its schema with
``formgen.ledger.db.register_schema``: received files and their bytes
(``files``), extracted forms, values and staff corrections (``forms``), judges'
scores (``judging``). ``Ledger`` is a thin wrapper over one connection.
"""
from formgen.ledger.db import Ledger

__all__ = ["Ledger"]

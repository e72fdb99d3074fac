"""The collect stage: every file a unit sends, read by ``formgen.intake`` and filed in the ledger.

``collect`` the run over forms_in/ (receipts through ``ledger.receipts.receive``),
``unit_match`` / ``checks`` which unit sent what and what is wrong with it, ``decisions`` staff
corrections and assignments, ``status`` / ``status_book`` / ``remind`` what is still owed.
"""

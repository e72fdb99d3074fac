"""The office mailbox: fetch the units' returns over IMAP, send forms and reminders over SMTP.

``imap`` / ``smtp`` / ``utf7`` / ``errors`` / ``password`` talk to the servers;
``fetch`` (``formgen collect --mail``), ``send`` (``issue --send``, ``remind
--send``) and ``check`` (``formgen mail test``) are the stage functions. What
was fetched and sent is in the ledger (``formgen.ledger.mail``). Settings are
the ``mail:`` section of campaign.yaml (``formgen.campaign.mail``).
"""

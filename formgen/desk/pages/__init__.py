"""The desk's pages: one Blueprint per page, registered by formgen.desk.app in this order.

Each page module holds only the face: it reads the request, calls stage functions, renders.
How a page is built (desk1/desk2 agreement):

* ``bp = Blueprint("<name>", __name__)``; its main view is ``<name>.index`` (formgen.desk.nav links it).
* Render with ``formgen.desk.context.page("<name>/x.html", ...)``; templates extend ``base.html`` and
  fill ``{% block title %}`` and ``{% block content %}``. The open campaign: ``context.workspace()``.
* Every form posts ``<input type="hidden" name="csrf" value="{{ csrf }}">``; fetch calls go through
  ``desk.post(url, data)`` / ``desk.call`` in desk.js (they add the X-CSRF-Token header).
* A write starts with ``identity.require_write()`` (viewers are refused); the decision is recorded as the
  actor's (ledger.decisions.acting_as is set per request by formgen.desk.app).
* Raise FormgenError for bad input: the app shows it as the CLI's one line (banner, or {"error"} JSON).
* Long work: ``context.worker().submit(kind, label, fn, actor.name)``; ``fn(progress)`` calls
  ``progress.step(done, total, name)`` / ``progress.line(text, "problem")`` and returns summary lines;
  ``desk.watchJob(id, pane)`` shows it live (pane holds ``.progress>div``, ``[data-job-status]``, ``.log``).
* A view reachable without the clerk's token (a judge's personal link) is decorated ``@security.exempt``
  and checks its own token.
"""
from __future__ import annotations

from formgen.desk.pages.ballots import bp as ballots
from formgen.desk.pages.chooser import bp as chooser
from formgen.desk.pages.dashboard import bp as dashboard
from formgen.desk.pages.files import bp as files
from formgen.desk.pages.inbox import bp as inbox
from formgen.desk.pages.jobs import bp as jobs
from formgen.desk.pages.judge import bp as judge
from formgen.desk.pages.login import bp as login
from formgen.desk.pages.reminders import bp as reminders
from formgen.desk.pages.review import bp as review
from formgen.desk.pages.publish import bp as publish
from formgen.desk.pages.scoring import bp as scoring
from formgen.desk.pages.settings import bp as settings

BLUEPRINTS = [
    chooser,
    dashboard,
    files,
    inbox,
    jobs,
    login,
    reminders,
    review,
    scoring,
    judge,
    ballots,
    publish,
    settings,
]


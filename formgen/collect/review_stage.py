"""``formgen review``: what staff wrote in 收件情况.xlsx, into the ledger (formgen.collect.review_book)."""
from __future__ import annotations

from pathlib import Path

from formgen.collect.decisions import refresh
from formgen.collect.review_book import ReviewOutcome, apply_entries, read_entries, take_review
from formgen.collect.status_book import BOOK_NAME
from formgen.errors import FormgenError
from formgen.lock import locked


@locked("review")
def review_workbook(ws, path: Path | None = None) -> tuple[ReviewOutcome, Path]:
    """``formgen review``: record what staff wrote in 收件情况.xlsx (or in a copy at ``path``),
    then re-run the checks and rewrite 收件情况.xlsx; returns what was recorded and the book."""
    book = ws.out_dir("collect") / BOOK_NAME
    path = path or book
    if not path.exists():
        raise FormgenError(f"找不到 {path}；请先运行 formgen collect 生成收件情况.xlsx")
    with ws.ledger() as ledger:
        if path != book:  # a copy staff saved elsewhere: refuse it whole when it cannot be read
            found = read_entries(path)
            if found.bad is not None:
                raise FormgenError(f"{found.bad}；请用 Excel 或 WPS 另存为 .xlsx 后重试")
            outcome = ReviewOutcome()
            apply_entries(ledger, ws.campaign, found.entries, path.name, outcome)
            outcome.problems.extend(found.lost)  # the copy itself is never rewritten: it keeps them
        else:
            outcome = take_review(ledger, ws, path)
    return outcome, refresh(ws)

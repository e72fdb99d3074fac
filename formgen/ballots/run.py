"""The ballots stage: print, read returned ballots into the ledger, decide flagged rows.

``collect_hook`` is the one call ``formgen collect`` makes: it reads ``ballots_in/``
(when the campaign has ratings) into the same ledger and refreshes the workbook.
"""
from __future__ import annotations

from pathlib import Path

from formgen.ballots.pdf import write_ballots
from formgen.ballots.settings import load_ballot_settings
from formgen.ballots.book_entries import take_book
from formgen.ballots.workbook import BOOK_NAME, write_book
from formgen.errors import ConfigError, FormgenError, InputFileError
from formgen.intake.folders import list_files, read_listed
from formgen.ledger import ballots as LB
from formgen.lock import locked

BALLOTS_IN = "ballots_in"  # where the office puts scanned / photographed ballots


def ballot_settings(ws):
    """The workspace campaign's ballot settings (ballots.yaml and the unit list)."""
    return load_ballot_settings(ws.root, ws.campaign, [u.name for u in ws.units])


def sample_ballots(ws, sheets: int | None = None, photos: int = 2) -> list:
    """Filled sample ballots (scans and phone photos) in ballots_in/, for trying ``ballots read``."""
    from formgen.ballots.sample import write_sample_returns  # noqa: PLC0415 - needs OpenCV

    return write_sample_returns(ballot_settings(ws), ws.root / BALLOTS_IN, scan_sheets=sheets, photo_sheets=photos)


def print_ballots(ws) -> list[Path]:
    settings = ballot_settings(ws)
    return write_ballots(settings, ws.out_dir("ballots"))


def book_path(ws) -> Path:
    return ws.out_dir("tally") / BOOK_NAME


@locked("ballots read")
def read_ballots(ws, paths: list[Path] | None = None, ledger=None):
    """Read ``ballots_in/`` (or ``paths``) into the ledger; returns the report and the workbook."""
    settings = ballot_settings(ws)
    _need_opencv()
    from formgen.ballots.tally import BallotReport, read_files  # noqa: PLC0415 - needs OpenCV

    own = ledger is None
    ledger = ledger or ws.ledger()
    try:
        book = book_path(ws)
        report = BallotReport()
        report.book_lines, keep_old = take_book(ledger, settings, book)
        missing = [p for p in paths or [] if not p.exists() and not p.is_symlink()]
        if missing:
            raise FormgenError(f"找不到 {missing[0]}；请检查路径")
        folder = ws.root / BALLOTS_IN
        listing = list_files(paths or ([folder] if folder.is_dir() else []))
        report.skipped = [f"{_unresolved(ws, Path(name))}：{why}" for name, why in listing.skipped]

        def files():
            for p in listing.files:
                try:
                    yield _shown(ws, p), read_listed(p)
                except InputFileError as e:  # too large: listed, the batch goes on
                    yield _shown(ws, p), e.reason
                except OSError as e:
                    yield _shown(ws, p), f"无法读取（{e.strerror or e}），请检查文件后重新读取"

        report = read_files(files(), settings, ledger, report)
        return report, write_book(ledger, settings, book, keep_old)
    finally:
        if own:
            ledger.close()


def _need_opencv() -> None:
    try:
        import cv2  # noqa: F401, PLC0415
    except ImportError:
        raise FormgenError("读取测评票需要 OpenCV：请运行 .venv/bin/pip install -e \".[ballots]\"（scripts/setup.sh 已包含）") from None


@locked("ballots decide")
def decide_row(ws, source: str, row_no: int, level: str, by: str = "", note: str = "") -> tuple[list[str], Path]:
    """Record one decision (after those written in the workbook); (lines about the workbook's entries, the workbook)."""
    from formgen.ballots.tally import decide  # noqa: PLC0415

    settings = ballot_settings(ws)
    with ws.ledger() as ledger:
        lines, keep_old = take_book(ledger, settings, book_path(ws))  # staff entries first: never written over
        decide(ledger, settings, source, row_no, level, by, note)
        return lines, write_book(ledger, settings, book_path(ws), keep_old)


def ballot_test(ws):
    """For ``formgen collect``: ``path → True`` when a file is a paper ballot (its first page has
    the registration marks and a readable ballot code), so it is read as a ballot, not as a form.

    None when the campaign has no ratings or OpenCV is missing: then every file is a form.
    Cheap first: only images and scanned PDFs are rendered (formgen.ballots.files)."""
    try:
        ballot_settings(ws)
        _need_opencv()
    except FormgenError:
        return None
    from formgen.ballots.files import first_page_code  # noqa: PLC0415

    def is_ballot(path: Path) -> bool:
        try:
            return first_page_code(path.name, read_listed(path)) is not None
        except Exception:  # noqa: BLE001 - not recognisably a ballot: the form reader reads it and says what is wrong
            return False

    return is_ballot


def collect_hook(ws, ledger, handed_over: list[Path] = ()):
    """Called by ``formgen collect``: ballots in ``ballots_in/``, and ballot scans found among the
    forms (``handed_over``), are read into the same ledger. None when there are none."""
    paths = ([ws.root / BALLOTS_IN] if (ws.root / BALLOTS_IN).is_dir() else []) + list(handed_over)
    if not paths:
        return None
    try:
        report, _ = read_ballots(ws, paths, ledger=ledger)
    except ConfigError:
        return None  # the campaign has no ratings: ballots_in/ is not ours to read
    return report


def print_collected_ballots(ws, echo, handed_over: list[Path] = ()):
    """The CLI's collect hook: read ``ballots_in/`` and the ballot scans found in forms_in/, and say what came of it."""
    if handed_over:
        echo(f"测评票：收件中有 {len(handed_over)} 个文件是测评票（按机读码识别），已按测评票读取："
             + "、".join(_shown(ws, p) for p in handed_over[:5]) + ("……" if len(handed_over) > 5 else ""))
    try:
        with ws.ledger() as ledger:
            report = collect_hook(ws, ledger, handed_over)
    except FormgenError as e:  # e.g. OpenCV missing: say so, the forms were collected all the same
        echo(f"测评票：{e}")
        return None
    if report is None:
        return None
    echo(f"测评票：本次读取 {report.pages} 页；台账中计票 {report.counted} 项，无效 {report.invalid} 项，"
         f"待人工判定 {report.flagged} 项" + (f"（{report.unchanged} 个文件已读过，未重读）" if report.unchanged else "")
         + f"；统计表：{book_path(ws).relative_to(ws.root)}")
    for line in report.lines():
        echo(f"  {line}")
    return report


def _unresolved(ws, path: Path) -> str:
    """A skipped file's own name (a link's, not its target's), as :func:`_shown` names files."""
    for base in (ws.root / BALLOTS_IN, ws.root):
        if path.absolute().is_relative_to(base.absolute()):
            return path.absolute().relative_to(base.absolute()).as_posix()
    return path.name


def _shown(ws, path: Path) -> str:
    """A file's name as reported and recorded: as in ballots_in/ (relative to it), else relative to the
    workspace (forms_in/…), else its name — so a file is known by one name however it is read."""
    path, root = path.resolve(), ws.root.resolve()
    for base in (root / BALLOTS_IN, root):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def demo_ballots(ws, scan_sheets: int | None = None, photo_sheets: int = 2, seed: int = 7, votes: dict | None = None):
    """For the demo: print the ballots, fill sample ones (scans and photos) into ``ballots_in/``, read them.

    ``votes`` ({rating: {subject: {group: [n per level]}}}, e.g. the preset's sample tallies.yaml)
    makes those ratings' ballots read back as exactly these counts, and only those ratings' ballots
    come back (the others are counted another way). Afterwards the tallies are in the ledger for
    ``formgen score``. Returns (printed files, the read report, the tally workbook).
    """
    from formgen.ballots.sample import write_sample_returns  # noqa: PLC0415

    printed = print_ballots(ws)
    settings = ballot_settings(ws)
    if votes:
        unknown = sorted(set(votes) - {r.id for r in settings.ratings})
        if unknown:
            raise ConfigError(f"没有测评“{unknown[0]}”的测评票；可选：{'、'.join(r.id for r in settings.ratings)}")
        settings = settings.model_copy(update={"ratings": [r for r in settings.ratings if r.id in votes]})
    write_sample_returns(settings, ws.root / BALLOTS_IN, seed=seed, scan_sheets=scan_sheets,
                         photo_sheets=photo_sheets, votes=votes)
    report, book = read_ballots(ws)
    return printed, report, book

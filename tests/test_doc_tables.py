"""Word 97 (.doc) round trip of the four ruian forms: LibreOffice loses the score sheets' tables,
antiword's reading takes over, and the .doc reads back exactly as the .docx."""
from __future__ import annotations

import random
import shutil
import subprocess
from datetime import datetime

import pytest

pytestmark = [pytest.mark.soffice,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")]

FORMS = ("post_score_sheet", "candidate_score_sheet", "post_nomination", "candidate_application")


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    """form type → (.docx path, .doc path) of one unit's filled forms; and the form specs."""
    from formgen.issue.init import init_workspace
    from formgen.issue.render import issue_forms
    from formgen.sample import load_people
    from formgen.sample.fill import Plan, UnitReturn, issued_blanks

    root = tmp_path_factory.mktemp("doc_tables")
    ws = init_workspace(root / "ws", "ruian-2014")
    issue_forms(ws)
    unit = "飞云街道"
    ur = UnitReturn(ws, unit, load_people()[unit], Plan(), random.Random(7))
    blanks = issued_blanks(ws, unit)
    out = root / "forms"
    out.mkdir()
    for t in FORMS:
        data, _ = ur.build(t, blanks[t], datetime(2014, 10, 1))
        (out / f"{t}.docx").write_bytes(data)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(root / 'p').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(out),
                    *[str(out / f"{t}.docx") for t in FORMS]], check=True, capture_output=True, timeout=300)
    return {t: (out / f"{t}.docx", out / f"{t}.doc") for t in FORMS}, ws.campaign.form_specs()


@pytest.fixture(scope="module")
def converted(pairs):
    """The four .doc files converted back to .docx in ONE LibreOffice call, as collect does (convert_ahead);
    antiword's table reading still happens per read, in extract_source."""
    from formgen.intake.extract import convert_ahead

    files, _ = pairs
    return convert_ahead([_source(doc) for _, doc in files.values()])


def _source(path):
    from formgen.intake.result import SourceFile

    return SourceFile(name=path.name, data=path.read_bytes(), path=str(path))


def _read(path, specs, converted=None):
    """extract_path(path), with .doc files taken from the batch conversion."""
    from formgen.intake.extract import extract_path, extract_source

    [result] = extract_path(path, specs) if converted is None else extract_source(_source(path), specs,
                                                                                   converted=converted)
    return result


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword absent")
@pytest.mark.parametrize("form_type", FORMS)
def test_doc_reads_back_as_the_docx(pairs, converted, form_type):
    files, specs = pairs
    want, got = _read(files[form_type][0], specs), _read(files[form_type][1], specs, converted)
    assert want.form_type == got.form_type == form_type
    assert got.fields == want.fields
    assert [(i["name"], i["score"]) for i in got.items] == [(i["name"], i["score"]) for i in want.items]
    assert want.items or want.fields
    assert not [p for p in got.problems if p.severity == "error"]


def test_lost_table_without_antiword_is_said(pairs, converted, monkeypatch):
    """Without a second reader the score sheet's values are unreadable: said, never silent text material."""
    from formgen.intake.readers import antiword_reader

    monkeypatch.setattr(antiword_reader, "antiword_path", lambda: None)
    files, specs = pairs
    got = _read(files["post_score_sheet"][1], specs, converted)
    lost = [p.message for p in got.problems if "丢失了表格结构" in p.message]
    assert lost and "antiword" in lost[0]

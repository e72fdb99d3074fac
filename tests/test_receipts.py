"""The receipt policy (formgen.ledger.receipts.receive): one decision per arrival, in one transaction."""
from __future__ import annotations

from datetime import datetime

import pytest

from formgen.intake.result import ExtractResult
from formgen.ledger.db import Ledger
from formgen.ledger.files import all_receipts, get_receipt, sha256_of, store_blob
from formgen.ledger.forms import all_forms, record_form
from formgen.ledger.receipts import Incoming, receive

FORM = b"PK\x03\x04 the bytes of a returned form"


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / "ledger.sqlite") as led:
        yield led


def arrival(path="forms_in/东山街道.docx", data=FORM, via=(), name=None, outer=None, **kw) -> Incoming:
    return Incoming(sha256=sha256_of(data), path=path, outer_sha256=outer or sha256_of(data),
                    name=name or path.rsplit("/", 1)[-1], via=list(via), **kw)


def test_new_then_known(ledger):
    store_blob(ledger, FORM)
    first = receive(ledger, arrival(file_mtime=datetime(2014, 10, 8, 9)))
    assert (first.outcome, first.takes_forms) == ("new", True)
    again = receive(ledger, arrival(file_mtime=datetime(2014, 10, 8, 9)))
    assert (again.receipt_id, again.outcome, again.takes_forms) == (first.receipt_id, "known", False)
    assert len(all_receipts(ledger)) == 1


def test_same_bytes_elsewhere_is_a_duplicate_of_the_first(ledger):
    store_blob(ledger, FORM)
    first = receive(ledger, arrival(file_mtime=datetime(2014, 10, 8, 9)))
    dup = receive(ledger, arrival(path="forms_in/副本/东山街道.docx", file_mtime=datetime(2014, 10, 9, 9)))
    assert dup.outcome == "duplicate" and not dup.takes_forms
    r = get_receipt(ledger, dup.receipt_id)
    assert (r.status, r.duplicate_of) == ("duplicate", first.receipt_id)
    assert get_receipt(ledger, first.receipt_id).status == "ok"


def test_the_same_file_by_email_becomes_the_primary_receipt_and_takes_the_forms(ledger):
    store_blob(ledger, FORM)
    folder = receive(ledger, arrival(file_mtime=datetime(2014, 10, 9, 9)))
    record_form(ledger, folder.receipt_id, 0, ExtractResult(file="东山街道.docx", form_type="post_nomination",
                                                             method="labels"))
    mail = receive(ledger, arrival(path="forms_in/报送.eml", via=["报送.eml"], name="东山街道.docx",
                                   outer=sha256_of(b"the email"), sender="ds@example.cn",
                                   sent_at=datetime(2014, 10, 8, 16, 30)))
    assert mail.outcome == "duplicate"
    by_email, by_folder = get_receipt(ledger, mail.receipt_id), get_receipt(ledger, folder.receipt_id)
    assert (by_email.status, by_email.duplicate_of) == ("ok", None)
    assert (by_folder.status, by_folder.duplicate_of) == ("duplicate", mail.receipt_id)
    [form] = all_forms(ledger)
    assert form.receipt_id == mail.receipt_id  # the form hangs on the arrival of record


def test_unreadable_is_recorded_once_and_its_message_refreshed(ledger):
    store_blob(ledger, FORM)
    err = receive(ledger, arrival(), error=("文件已损坏", "corrupt"))
    assert (err.outcome, err.takes_forms) == ("error", False)
    same = receive(ledger, arrival(), error=("文件已损坏", "corrupt"))
    assert (same.receipt_id, same.outcome) == (err.receipt_id, "known")
    receive(ledger, arrival(), error=("PDF 文件不完整", "truncated"))
    r = get_receipt(ledger, err.receipt_id)
    assert (r.status, r.error, r.error_kind) == ("error", "PDF 文件不完整", "truncated")
    assert len(all_receipts(ledger)) == 1


def test_a_failure_of_this_machine_is_retried_and_reads_later(ledger):
    store_blob(ledger, FORM)
    err = receive(ledger, arrival(path="forms_in/旧.doc"), error=("需要安装 LibreOffice", "needs_soffice"))
    ok = receive(ledger, arrival(path="forms_in/旧.doc"))
    assert (ok.receipt_id, ok.outcome, ok.takes_forms) == (err.receipt_id, "retried", True)
    r = get_receipt(ledger, ok.receipt_id)
    assert (r.status, r.error, r.error_kind) == ("ok", None, None)


def test_a_whole_file_failure_leaves_no_stale_receipt_once_its_attachments_read(ledger):
    mail = b"From: ds@example.cn\r\n\r\n(an email whose attachments need LibreOffice)"
    store_blob(ledger, mail)
    store_blob(ledger, FORM)
    whole = Incoming(sha256=sha256_of(mail), path="forms_in/报送.eml", outer_sha256=sha256_of(mail), name="报送.eml")
    receive(ledger, whole, error=("需要安装 LibreOffice", "needs_soffice"))
    leaf = receive(ledger, arrival(path="forms_in/报送.eml", via=["报送.eml"], name="申报表.doc",
                                   outer=sha256_of(mail), sender="ds@example.cn"))
    assert leaf.outcome == "new"
    assert [(r.name, r.status) for r in all_receipts(ledger)] == [("申报表.doc", "ok")]


def test_a_failed_policy_step_leaves_nothing_half_recorded(ledger, monkeypatch):
    import formgen.ledger.receipts as receipts

    store_blob(ledger, FORM)
    receive(ledger, arrival(file_mtime=datetime(2014, 10, 9, 9)))

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(receipts, "make_primary", broken)
    with pytest.raises(RuntimeError):
        receive(ledger, arrival(path="forms_in/报送.eml", via=["报送.eml"], name="东山街道.docx",
                                outer=sha256_of(b"mail"), sender="ds@example.cn", sent_at=datetime(2014, 10, 8)))
    assert len(all_receipts(ledger)) == 1  # the duplicate row was rolled back with the failed promotion

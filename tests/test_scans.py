"""Scanned signed sheets: accepted files, refused ones, backup once, restore, check."""
from __future__ import annotations

import pytest

from app import assessment as a
from app import staff
from app.errors import ValidationError
from app.scans import MAX_BYTES, attach_scan, list_scans, scans_dir
from app.store import backup
from app.store.check import check_file
from app.store.restore import restore_backup
from tests.test_staff import audit_count, form, make_id

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def signed(file_store):
    w = staff.add_worker(file_store, form(name="吴雪梅", id_number=make_id(seq=202)))
    a.score_worker(file_store, 2026, 3, w)
    a.finalise(file_store, 2026, 3)
    a.sign(file_store, 2026, 3, "2026-11-25")
    return file_store


def test_a_scan_is_kept_by_content_hash_and_checked(signed, tmp_path):
    scan = tmp_path / "3月考核表（签字）.pdf"
    scan.write_bytes(PDF)
    attach_scan(signed, 2026, 3, scan)
    [kept] = list_scans(signed, 2026, 3)
    assert (scans_dir(signed.path) / kept.stored_name).read_bytes() == PDF
    assert kept.file_name == "3月考核表（签字）.pdf"
    with pytest.raises(ValidationError, match="已经添加过了"):
        attach_scan(signed, 2026, 3, scan)
    assert check_file(signed.path).ok
    (scans_dir(signed.path) / kept.stored_name).write_bytes(PDF + b"x")
    report = check_file(signed.path)
    assert not report.ok and "内容已改变" in "\n".join(report.lines())


@pytest.mark.parametrize("name, data, message", [
    ("考核表.docx", b"PK\x03\x04", "不是 PDF 或图片"),
    ("考核表.pdf", b"PK\x03\x04 a zip renamed", "内容不是PDF文件"),
    ("考核表.jpg", b"", "是空文件"),
])
def test_a_file_that_is_not_a_pdf_or_image_is_refused(signed, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    before = audit_count(signed)
    with pytest.raises(ValidationError, match=message):
        attach_scan(signed, 2026, 3, path)
    assert audit_count(signed) == before and not scans_dir(signed.path).exists()


def test_a_scan_over_20_mb_is_refused(signed, tmp_path):
    path = tmp_path / "扫描.pdf"
    with open(path, "wb") as fh:
        fh.write(PDF)
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="超过 20 MB"):
        attach_scan(signed, 2026, 3, path)
    assert list_scans(signed, 2026, 3) == []


def test_a_draft_month_takes_no_scan(file_store, tmp_path):
    w = staff.add_worker(file_store, form(name="吴雪梅", id_number=make_id(seq=202)))
    a.score_worker(file_store, 2026, 4, w)
    path = tmp_path / "s.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    with pytest.raises(ValidationError, match="尚未登记签字"):
        attach_scan(file_store, 2026, 4, path)


def test_backups_copy_each_scan_once_and_a_restore_brings_it_back(signed, tmp_path):
    scan = tmp_path / "签字.pdf"
    scan.write_bytes(PDF)
    attach_scan(signed, 2026, 3, scan)
    folder = backup.backup_dir_for(signed.path)
    first = backup.backup_file(signed.path, folder, reason="manual")
    [copied] = (folder / "scans").iterdir()
    stamp = copied.stat().st_mtime_ns
    backup.backup_file(signed.path, folder, reason="manual")
    assert [p.stat().st_mtime_ns for p in (folder / "scans").iterdir()] == [stamp]  # not copied again
    db_path = signed.path
    signed.close()
    for p in scans_dir(db_path).iterdir():
        p.unlink()
    assert not check_file(db_path).ok
    restore_backup(first, db_path)
    assert check_file(db_path).ok and (scans_dir(db_path) / copied.name).read_bytes() == PDF


def test_a_folder_or_a_pipe_named_like_a_scan_is_refused_with_a_message(signed, tmp_path):
    """A folder called 扫描.pdf crashed with IsADirectoryError; a pipe must not hang."""
    import os

    folder = tmp_path / "扫描.pdf"
    folder.mkdir()
    pipe = tmp_path / "管道.pdf"
    os.mkfifo(pipe)
    for path in (folder, pipe):
        with pytest.raises(ValidationError, match="不是一个普通文件"):
            attach_scan(signed, 2026, 3, path)
    assert list_scans(signed, 2026, 3) == [] and not scans_dir(signed.path).exists()


def test_the_size_named_for_a_scan_just_over_20_mb_is_over_20(signed, tmp_path):
    """21,000,005 bytes were named '20.0 MB，超过 20 MB'."""
    path = tmp_path / "扫描.pdf"
    with open(path, "wb") as fh:
        fh.write(PDF)
        fh.truncate(21_000_005)
    with pytest.raises(ValidationError, match=r"有 20\.1 MB，超过 20 MB"):
        attach_scan(signed, 2026, 3, path)


def test_a_scan_that_grows_after_its_size_was_read_is_still_refused(signed, tmp_path, monkeypatch):
    """The size was read from stat and then the whole file, however big it had become."""
    import os

    path = tmp_path / "扫描.pdf"
    path.write_bytes(PDF)
    real_stat = os.stat

    def small_then_big(target, *args, **kwargs):
        result = real_stat(target, *args, **kwargs)
        if str(target) == str(path) and result.st_size < MAX_BYTES:
            with open(path, "ab") as fh:  # the scanner is still writing the file
                fh.truncate(MAX_BYTES + 10)
        return result

    monkeypatch.setattr(os, "stat", small_then_big)
    with pytest.raises(ValidationError, match="超过 20 MB"):
        attach_scan(signed, 2026, 3, path)
    monkeypatch.undo()
    assert list_scans(signed, 2026, 3) == []


def test_a_restore_repairs_a_scan_altered_in_the_scans_folder(signed, tmp_path):
    """`check` says the scan was altered and advises a restore; the restore skipped every
    scan already present by name, so the altered one stayed and `check` kept failing."""
    scan = tmp_path / "签字.pdf"
    scan.write_bytes(PDF)
    attach_scan(signed, 2026, 3, scan)
    [kept] = list_scans(signed, 2026, 3)
    folder = backup.backup_dir_for(signed.path)
    first = backup.backup_file(signed.path, folder, reason="manual")
    db_path = signed.path
    signed.close()
    (scans_dir(db_path) / kept.stored_name).write_bytes(PDF + b"tampered")
    assert "内容已改变" in "\n".join(check_file(db_path).lines())
    restore_backup(first, db_path)
    assert check_file(db_path).ok and (scans_dir(db_path) / kept.stored_name).read_bytes() == PDF


def test_a_backup_never_keeps_an_altered_scan_under_the_original_name(signed, tmp_path):
    """A scan altered before its first backup was copied into backups/scans under the name
    of the content it no longer has; later backups then never copied the good one."""
    scan = tmp_path / "签字.pdf"
    scan.write_bytes(PDF)
    attach_scan(signed, 2026, 3, scan)
    [kept] = list_scans(signed, 2026, 3)
    stored = scans_dir(signed.path) / kept.stored_name
    stored.write_bytes(PDF + b"tampered")
    folder = backup.backup_dir_for(signed.path)
    backup.backup_file(signed.path, folder, reason="manual")
    assert not (folder / "scans" / kept.stored_name).exists()
    stored.write_bytes(PDF)  # put right (e.g. from the paper file's copy)
    backup.backup_file(signed.path, folder, reason="manual")
    assert (folder / "scans" / kept.stored_name).read_bytes() == PDF


def test_a_partial_copy_left_by_a_killed_attach_is_swept_by_the_next(signed, tmp_path):
    """Killed (kill -9) while copying a 19 MB scan, the program left `<hash>.pdf.part` in
    the scans folder for ever: 13 such files (247 MB) after 25 kills."""
    folder = scans_dir(signed.path)
    folder.mkdir()
    stale = folder / ("0" * 64 + ".pdf.part")
    stale.write_bytes(PDF[:10])
    scan = tmp_path / "签字.pdf"
    scan.write_bytes(PDF)
    attach_scan(signed, 2026, 3, scan)
    assert not stale.exists() and check_file(signed.path).ok


def test_a_backup_says_which_scans_it_could_not_take_along(signed, tmp_path):
    """`backup` said only 备份完成 while a referenced scan was missing (a hostile tester
    deleted it): the copy is good, but the clerk must learn that the scan is in no backup."""
    from app.scans import backup_note
    from tests.test_cli import run_cli

    scan = tmp_path / "3月签字.pdf"
    scan.write_bytes(PDF)
    attach_scan(signed, 2026, 3, scan)
    assert backup_note(signed.path) == ""
    [kept] = list_scans(signed, 2026, 3)
    (scans_dir(signed.path) / kept.stored_name).unlink()
    result = run_cli("backup", db=signed.path)
    assert result.returncode == 0 and "备份完成" in result.stdout
    assert "但以下签字考核表扫描件没有备份：签字考核表扫描件“3月签字.pdf”不见了" in result.stderr


# --- whose sheet a scan is ------------------------------------------------------------------

def test_a_scan_names_the_worker_whose_sheet_it_is_or_the_whole_month(file_store, tmp_path):
    from app.scans import WHOLE_MONTH, sign_with_scan

    w = staff.add_worker(file_store, form(name="吴雪梅", id_number=make_id(seq=202)))
    x = staff.add_worker(file_store, form(name="郑晓东", id_number=make_id(seq=203), gender="男", phone="13900001235"))
    a.score_all(file_store, 2026, 3)
    a.finalise(file_store, 2026, 3)
    hers, stack, his = (tmp_path / n for n in ("吴雪梅.pdf", "全月.pdf", "郑晓东.pdf"))
    for i, p in enumerate((hers, stack, his)):
        p.write_bytes(PDF + bytes([65 + i]))
    sign_with_scan(file_store, 2026, 3, "2026-11-25", hers, worker_id=w)
    attach_scan(file_store, 2026, 3, stack)
    attach_scan(file_store, 2026, 3, his, worker_id=x)
    assert [(s.file_name, s.worker_id, s.whose) for s in list_scans(file_store, 2026, 3)] == [
        ("吴雪梅.pdf", w, "吴雪梅"), ("全月.pdf", None, WHOLE_MONTH), ("郑晓东.pdf", x, "郑晓东")]
    history = [r["summary"] for r in file_store.db.query(
        "SELECT summary FROM audit_log WHERE table_name = 'assessment_attachments' ORDER BY id")]
    assert history == ["2026年3月考核：添加吴雪梅的签字考核表扫描件 吴雪梅.pdf",
                       "2026年3月考核：添加全月签字考核表扫描件 全月.pdf",
                       "2026年3月考核：添加郑晓东的签字考核表扫描件 郑晓东.pdf"]
    assert check_file(file_store.path).ok


def test_a_scan_for_a_worker_not_scored_that_month_is_refused_and_nothing_is_written(file_store, tmp_path):
    from app.scans import sign_with_scan

    w = staff.add_worker(file_store, form(name="吴雪梅", id_number=make_id(seq=202)))
    late = staff.add_worker(file_store, form(name="郑晓东", id_number=make_id(seq=203), gender="男",
                                             phone="13900001235", start_date="2026-05-01"))
    a.score_worker(file_store, 2026, 3, w)
    a.finalise(file_store, 2026, 3)
    scan = tmp_path / "郑晓东.pdf"
    scan.write_bytes(PDF)
    before = audit_count(file_store)
    with pytest.raises(ValidationError, match="郑晓东在2026年3月没有考核评分"):
        sign_with_scan(file_store, 2026, 3, "2026-11-25", scan, worker_id=late)
    assert a.get_month(file_store, 2026, 3).status is a.Status.FINAL  # the signing was not recorded either
    assert audit_count(file_store) == before and not scans_dir(file_store.path).exists()
    a.sign(file_store, 2026, 3, "2026-11-25")
    with pytest.raises(ValidationError, match="找不到这位服务人员"):
        attach_scan(file_store, 2026, 3, scan, worker_id=9999)
    assert list_scans(file_store, 2026, 3) == []


def signed_with_a_workers_scan(store, tmp_path, file_name: str) -> int:
    """吴雪梅 scored, finalised and signed for March, her signed sheet's scan attached."""
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    a.score_worker(store, 2026, 3, w)
    a.finalise(store, 2026, 3)
    a.sign(store, 2026, 3, "2026-11-25")
    scan = tmp_path / file_name
    scan.write_bytes(PDF)
    attach_scan(store, 2026, 3, scan, worker_id=w)
    return w


def test_per_worker_scans_survive_backup_and_restore(file_store, tmp_path):
    w = signed_with_a_workers_scan(file_store, tmp_path, "吴雪梅.pdf")
    folder = backup.backup_dir_for(file_store.path)
    copy = backup.backup_file(file_store.path, folder, reason="manual")
    db_path = file_store.path
    file_store.close()
    for p in scans_dir(db_path).iterdir():
        p.unlink()
    restore_backup(copy, db_path)
    assert check_file(db_path).ok
    from app.store import open_store

    reopened = open_store(db_path, operator="王经办")
    try:
        [kept] = list_scans(reopened, 2026, 3)
        assert (kept.worker_id, kept.whose) == (w, "吴雪梅")
    finally:
        reopened.close()


def test_a_scan_names_the_worker_as_the_signed_sheet_does_after_a_rename(file_store, tmp_path):
    """A signed sheet keeps the name it was printed with; its scan was listed under the
    staff record's corrected name, so the scan of 吴雪梅's signed sheet read 吴雪玫's."""
    w = signed_with_a_workers_scan(file_store, tmp_path, "签字.pdf")
    staff.update_worker(file_store, w, form(name="吴雪玫", id_number=make_id(seq=202)))
    [sheet] = a.load_month(file_store, 2026, 3).sheets
    assert sheet.worker_name == "吴雪梅"
    assert [s.whose for s in list_scans(file_store, 2026, 3)] == ["吴雪梅"]
    a.reopen(file_store, 2026, 3, "更正服务人员姓名")  # back in draft: the record's name, sheet and scan alike
    assert a.load_month(file_store, 2026, 3).sheets[0].worker_name == "吴雪玫"
    assert [s.whose for s in list_scans(file_store, 2026, 3)] == ["吴雪玫"]

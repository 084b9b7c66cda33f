"""`python -m app assessment / sheets / rules / verify` on the demo file, as separate processes."""
from __future__ import annotations

import io
import json

import pytest

from app import assessment as a
from app.store import open_store
from tests.test_cli import run_cli

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "dingshou.sqlite3"
    result = run_cli("demo", db=path)
    assert result.returncode == 0, result.stderr
    return path


def test_assessment_json_gives_each_workers_total_and_grade(demo_file):
    result = run_cli("assessment", "2026-09", "--json", db=demo_file)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "已定稿" and len(data["workers"]) == 12
    failing = next(w for w in data["workers"] if w["name"] == "孙海波")
    assert (failing["total"], failing["grade"], failing["passed"]) == ("55", "不合格", False)
    assert all(w["grade"] in ("优秀", "良好", "合格", "不合格") for w in data["workers"])


def test_a_month_outside_the_contract_is_named_not_shown_as_an_empty_draft(demo_file):
    for command in (["assessment", "1999-01"], ["sheets", "2027-01", "--out", str(demo_file.parent / "out")]):
        result = run_cli(*command, db=demo_file)
        assert result.returncode != 0 and "不在合同服务期限内（2026-01-01 至 2026-12-31）" in result.stderr, result
        assert "草稿" not in result.stdout


def test_rules_json_lists_what_fired_with_its_months(demo_file):
    result = run_cli("rules", "--json", db=demo_file)
    assert result.returncode == 0, result.stderr
    fired = {f["rule"]: f for f in json.loads(result.stdout)}
    assert fired["replacement"]["months"] == ["2026-08", "2026-09"] and "孙海波" in fired["replacement"]["title"]
    assert fired["ranking"]["months"] == ["2026-09", "2026-10"] and fired["ranking"]["clause_text"] == "第七条第 1 款"
    assert "cure" not in fired  # the open notice's 15 days have not run out on 2026-11-25


def test_sheets_then_verify_then_a_correction_changes_the_answer(demo_file, tmp_path):
    out = tmp_path / "打印"
    result = run_cli("sheets", "2026-03", "--out", str(out), db=demo_file)
    assert result.returncode == 0, result.stderr
    pdf = (out / "月度考核表-2026-03.pdf").read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "汇总表" in reader.pages[0].extract_text() and len(reader.pages) >= 13
    code = next(line for line in reader.pages[1].extract_text().splitlines() if line.startswith("校验码"))
    code = code.split("：")[1].split()[0]
    ok = run_cli("verify", code, db=demo_file)
    assert ok.returncode == 0 and "记录与打印时一致" in ok.stdout and "赵文静" in ok.stdout
    store = open_store(demo_file)
    try:
        a.reopen(store, 2026, 3, "赵文静 3 月扣分漏记一条")
    finally:
        store.close()
    changed = run_cli("verify", code, db=demo_file)
    assert changed.returncode == 1 and "记录已在打印后修改" in changed.stdout
    unknown = run_cli("verify", "ZZZZZ-ZZZZZ", db=demo_file)
    assert unknown.returncode == 1 and "不是本数据文件打印过的考核表" in unknown.stdout
    separate = run_cli("sheets", "2026-03", "--out", str(tmp_path / "逐人"), "--separate", db=demo_file)
    assert separate.returncode == 0 and len(list((tmp_path / "逐人").glob("*.pdf"))) == 13


def test_sheets_for_an_unscored_month_is_refused_in_chinese(demo_file, tmp_path):
    result = run_cli("sheets", "2026-12", "--out", str(tmp_path), db=demo_file)
    assert result.returncode == 1 and "还没有评分" in result.stderr


def test_check_passes_on_the_demo_file(demo_file):
    result = run_cli("check", db=demo_file)
    assert result.returncode == 0, result.stdout


def test_sheets_out_that_is_a_file_or_empty_is_refused_in_chinese_and_nothing_is_made(demo_file, tmp_path):
    """--out "" wrote into the current folder; --out naming a file said 'File exists'; a
    month with no scores left an empty folder behind."""
    a_file = tmp_path / "考核表.pdf"
    a_file.write_bytes(b"keep")
    refused = run_cli("sheets", "2026-07", "--out", str(a_file), db=demo_file)
    assert refused.returncode == 1 and "是一个文件，不是文件夹" in refused.stderr and a_file.read_bytes() == b"keep"
    empty = run_cli("sheets", "2026-07", "--out", "", db=demo_file)
    assert empty.returncode == 1 and "请指定保存考核表的文件夹" in empty.stderr
    unscored = tmp_path / "十二月 考核"
    nothing = run_cli("sheets", "2026-12", "--out", str(unscored), db=demo_file)
    assert nothing.returncode == 1 and "还没有评分" in nothing.stderr and not unscored.exists()


def test_sheets_are_written_all_or_none_when_the_disk_fills_half_way(tmp_path, monkeypatch):
    """`sheets --separate` on a full disk left the summary behind without its sheets, with
    the system's English message (hostile review)."""
    import errno
    from pathlib import Path

    from app.assessment_cli import _write_all
    from app.errors import UserError

    files = [(tmp_path / f"{n}.pdf", b"%PDF-1.4 " + bytes([n])) for n in range(4)]
    real = Path.write_bytes

    def filling(self, data):
        if self.name.startswith(("2.", "~2.")):  # the file, or its partial file
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", filling)
    with pytest.raises(UserError, match="一份也没有写入.*磁盘空间已满"):
        _write_all(files)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(Path, "write_bytes", real)
    _write_all(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf", "3.pdf"]


def test_sheets_never_touch_a_file_or_folder_that_has_a_partial_files_name(demo_file, tmp_path):
    """Each file went to '<name>.part' first: a folder of that name (a second run's
    leftovers, a colleague's) ended the command in a traceback with the other partial
    files left behind, and a file of that name was overwritten, then deleted."""
    out = tmp_path / "九月"
    first = run_cli("sheets", "2026-09", "--separate", "--out", str(out), db=demo_file)
    assert first.returncode == 0, first.stderr
    names = sorted(p.name for p in out.iterdir())
    before = {name: (out / name).read_bytes() for name in names}
    (out / (names[2] + ".part")).mkdir()
    (out / (names[1] + ".part")).write_bytes(b"the clerk's own file")
    again = run_cli("sheets", "2026-09", "--separate", "--out", str(out), "--overwrite", db=demo_file)
    assert "Traceback" not in again.stderr
    assert (out / (names[1] + ".part")).read_bytes() == b"the clerk's own file"
    assert (out / (names[2] + ".part")).is_dir()
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".part")) == names
    assert again.returncode == 0, again.stderr
    for name in names:  # written again (revision and print date), each a whole PDF
        assert (out / name).read_bytes().startswith(b"%PDF-") and (out / name).read_bytes().rstrip().endswith(b"%%EOF")
    assert len(before) == len(names)


def test_sheets_put_back_every_earlier_file_when_one_cannot_be_replaced(tmp_path, monkeypatch):
    """On Windows a PDF open in the viewer (or marked read-only) cannot be replaced: the
    files before it had already been replaced by the new ones and the command said none was
    written — a month's summary of one revision beside sheets of another."""
    import errno
    import os

    from app.assessment_cli import _write_all
    from app.errors import UserError

    files = [(tmp_path / f"{n}.pdf", b"%PDF-1.4 new " + bytes([48 + n])) for n in range(4)]
    for path, _ in files:
        path.write_bytes(b"%PDF-1.4 old " + path.name.encode())
    real = os.replace

    def locked(src, dst, *args, **kwargs):  # 2.pdf open in the viewer: neither moved nor replaced
        if "2.pdf" in (os.path.basename(src), os.path.basename(dst)):
            raise PermissionError(errno.EACCES, "The process cannot access the file", os.fspath(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="一份也没有写入"):
        _write_all(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf", "2.pdf", "3.pdf"]
    for path, _ in files:
        assert path.read_bytes() == b"%PDF-1.4 old " + path.name.encode()


@pytest.mark.skipif(__import__("os").name == "nt", reason="POSIX permissions")
def test_printed_sheets_get_the_usual_permissions(tmp_path):
    """Partial files made by mkstemp are owner-only (0600): the sheets put in place from
    them could not be opened by a colleague from a shared folder."""
    import os
    import stat

    from app.assessment_cli import _write_all

    mask = os.umask(0o022)
    try:
        _write_all([(tmp_path / "a.pdf", b"%PDF-1.4 a"), (tmp_path / "b.pdf", b"%PDF-1.4 b")])
    finally:
        os.umask(mask)
    assert {stat.S_IMODE((tmp_path / n).stat().st_mode) for n in ("a.pdf", "b.pdf")} == {0o644}

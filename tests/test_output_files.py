"""Every command that writes a file the user names asks before replacing one, and never
replaces the data file, a backup or a scan (app.output_files, the one place that decides)."""
from __future__ import annotations

import shutil

import pytest

from app.cli import main
from app.store import open_store

PDF = b"%PDF-1.4 last month's signed copy"
XLSX = b"PK\x03\x04 the list the vendor sent last week"

# command (without the file), the file name, what an older file of that kind starts with
COMMANDS = [
    (("export-staff",), "名单.xlsx", XLSX),
    (("export-ledger",), "台账.xlsx", XLSX),
    (("export-roster", "2026-10"), "十月排班.xlsx", XLSX),
    (("import-template",), "模板.xlsx", XLSX),
    (("payment-request", "2026Q4"), "申请单.pdf", PDF),
    (("ledger-statement",), "台账.pdf", PDF),
]


@pytest.fixture
def data_file(db_path):
    open_store(db_path).close()
    return db_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command,name,older", COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_an_existing_output_file_is_replaced_only_with_overwrite(data_file, tmp_path, capsys, command, name, older):
    target = tmp_path / name
    code, out, err = run(capsys, *command, str(target), "--db", str(data_file))
    assert code == 0, err
    target.write_bytes(older)  # a file of the same kind is already there
    code, out, err = run(capsys, *command, str(target), "--db", str(data_file))
    assert code == 1 and "已经存在" in err and "--overwrite" in err, err
    assert target.read_bytes() == older
    code, out, err = run(capsys, *command, str(target), "--overwrite", "--db", str(data_file))
    assert code == 0, err
    assert target.read_bytes() != older and target.read_bytes()[:4] == older[:4]


@pytest.mark.parametrize("command,name,older", COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_the_data_file_a_backup_or_a_scan_is_never_replaced_even_with_overwrite(
        data_file, tmp_path, capsys, command, name, older):
    suffix = name[name.rindex("."):]
    disguised = tmp_path / f"旧台账{suffix}"  # a copy of the data file under an export's name
    shutil.copy(data_file, disguised)
    before = disguised.read_bytes()
    code, _, err = run(capsys, *command, str(disguised), "--overwrite", "--db", str(data_file))
    assert code == 1 and "数据文件" in err and "不会覆盖" in err, err
    assert disguised.read_bytes() == before
    for folder in ("backups", "scans"):  # even a new name inside them
        inside = data_file.parent / folder / name
        inside.parent.mkdir(exist_ok=True)
        code, _, err = run(capsys, *command, str(inside), "--overwrite", "--db", str(data_file))
        assert code == 1 and "不会覆盖" in err, err
        assert not inside.exists()


def test_a_file_of_another_kind_is_not_replaced_even_with_overwrite(data_file, tmp_path, capsys):
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"%PDF- a PDF saved with the wrong name")
    code, _, err = run(capsys, "export-staff", str(target), "--overwrite", "--db", str(data_file))
    assert code == 1 and "不是 Excel 工作簿" in err, err
    assert target.read_bytes().startswith(b"%PDF-")


def test_refused_rows_are_never_saved_over_the_list_being_imported(data_file, tmp_path, capsys):
    from app.demo import write_vendor_sample

    vendor = tmp_path / "乙方名单.xlsx"
    write_vendor_sample(vendor)
    before = vendor.read_bytes()
    code, _, err = run(capsys, "import-staff", str(vendor), "--dry-run", "--refused", str(vendor), "--overwrite",
                       "--db", str(data_file))
    assert code == 1 and "要导入的名单本身" in err, err
    assert vendor.read_bytes() == before
    sent_back = tmp_path / "退回乙方.xlsx"
    sent_back.write_bytes(XLSX)
    code, _, err = run(capsys, "import-staff", str(vendor), "--dry-run", "--refused", str(sent_back),
                       "--db", str(data_file))
    assert code == 1 and "已经存在" in err and sent_back.read_bytes() == XLSX


@pytest.mark.parametrize("command,name,older", COMMANDS, ids=[c[0][0] for c in COMMANDS])
@pytest.mark.parametrize("typed", ["", " ", ".", "..", "输出/", "输出"])
def test_a_folder_or_no_name_is_refused_and_nothing_is_written_beside_it(data_file, tmp_path, capsys, monkeypatch,
                                                                         command, name, older, typed):
    """`payment-request 2026Q4 ..` wrote '...pdf' into the current folder, `输出/` (an existing
    folder) wrote 输出.pdf beside it, `~` wrote root.pdf into the folder above the home
    folder; '' and '.' ended in a ValueError traceback. A folder, or no name, is refused."""
    work = tmp_path / "work"
    (work / "输出").mkdir(parents=True)
    monkeypatch.chdir(work)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, out, err = run(capsys, *command, typed, "--db", str(data_file))
    assert code == 1 and ("文件夹" in err or "文件名" in err), (out, err)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("command,name,older", [c for c in COMMANDS if c[1].endswith(".xlsx")],
                         ids=[c[0][0] for c in COMMANDS if c[1].endswith(".xlsx")])
def test_a_workbook_into_a_missing_folder_is_refused_in_chinese(data_file, tmp_path, capsys, command, name, older):
    """The workbooks said '无法写入 …（No such file or directory）。文件可能正在 Excel 中打开' —
    the system's English, and a guess that did not fit."""
    code, out, err = run(capsys, *command, str(tmp_path / "没有这个文件夹" / name), "--db", str(data_file))
    assert code == 1 and "文件或文件夹不存在" in err, err
    assert "No such file" not in err and "Excel 中打开" not in err

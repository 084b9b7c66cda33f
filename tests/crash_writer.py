"""Write records until killed: the other half of tests/test_crash_safety.py.

    python tests/crash_writer.py DATA_FILE RUN [--with-backups]

Each user action inserts three settings rows in one `store.action`; after the commit
returns, the action's number is printed and flushed. The test kills this process with
SIGKILL at a random moment and then checks that every printed action is in the file,
complete, and that no half action is.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.store import open_store

RECORDS_PER_ACTION = 3


def main(db_path: str, run: str, with_backups: bool = False) -> None:
    from app.store.backup import auto_backup

    store = open_store(Path(db_path), operator="崩溃测试")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        with store.action(f"崩溃测试 {run}-{n}") as act:
            for part in range(RECORDS_PER_ACTION):
                act.insert("settings", {"key": f"crash-{run}-{n}-{part}", "value": "x" * 200}, pk="key")
        print(f"{run}-{n}", flush=True)
        if with_backups and n % 5 == 0:  # killed mid-copy too, sometimes
            auto_backup(Path(db_path), "exit", conn=store.db.conn, keep_last=5)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--with-backups" in sys.argv[3:])

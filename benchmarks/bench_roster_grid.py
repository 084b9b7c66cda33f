"""排班日历 grid speed: switching the tab to another month with 100 workers (target: under
100 ms), measured as the clerk sees it — the model refilled and the grid with its 覆盖情况
rows painted (offscreen) — and then until the hours column, 人力测算 and 工时提示 (filled
right after the paint) are in; and flipping to a neighbouring month the tab has read ahead
while the clerk looked at this one. Run by `python3 dev.py bench`, or
`.venv/bin/python benchmarks/bench_roster_grid.py [rounds]`."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DINGSHOU_TODAY", "2026-11-25")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_roster import fill_roster, fill_staff

from app.store import open_store


def report(label: str, times: list[float]) -> None:
    print(f"{label}: 中位数 {statistics.median(times) * 1000:.1f} ms，最快 {min(times) * 1000:.1f} ms，"
          f"最慢 {max(times) * 1000:.1f} ms（{len(times)} 次）")


def main(rounds: int) -> int:
    from ui.app import create_application

    app = create_application([])
    from ui.roster.tab import RosterTab

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "grid100.sqlite3")
        fill_staff(store, 100)
        fill_roster(store)
        tab = RosterTab(store)
        tab.resize(1180, 700)
        tab.show()
        app.processEvents()
        painted, complete, ahead = [], [], []
        for i in range(rounds * 2):
            month = 10 if i % 2 == 0 else 11
            tab._cache.clear()  # a month not read ahead: the first visit
            start = time.perf_counter()
            tab.show_month(2026, month)
            tab.repaint()
            painted.append(time.perf_counter() - start)
            app.processEvents()  # the hours and 人力测算 that follow the paint
            complete.append(time.perf_counter() - start)
        for i in range(rounds * 2):
            tab.prefetch_neighbours()  # what the idle moments after a switch do
            tab.prefetch_neighbours()
            month = 11 if i % 2 == 0 else 10
            start = time.perf_counter()
            tab.show_month(2026, month)
            tab.repaint()
            ahead.append(time.perf_counter() - start)
            app.processEvents()
        report("月历切换 100 人（首次读取）：表格与覆盖情况行画出", painted)
        report("月历切换 100 人（首次读取）：连同工时列、人力测算、工时提示", complete)
        report("月历切换 100 人（PageUp/PageDown 到已预读的相邻月）：全部画出", ahead)
        tab.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 7))

"""排班日历 speed: coverage of a year for 12 and for 100 workers, the grid's month read,
importing a 100-worker month from Excel. Run by `python3 dev.py bench` (or directly:
`.venv/bin/python benchmarks/bench_roster.py [rounds]`). Targets (issue #10): a month's
coverage under 20 ms, the year for 100 workers under 1 s, switching the grid's month with
100 workers under 100 ms."""
from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DINGSHOU_TODAY", "2026-11-25")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.coverage import coverage, coverage_between
from app.demo import demo_id_number
from app.demo_roster import fill_demo_roster
from app.reports.roster_xlsx import apply_import, export_roster, preview_import
from app.roster import month_roster, set_cells
from app.staff import add_worker, list_workers
from app.store import open_store
from app.workcalendar import load_calendar

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "文立海佳志雪晓建思国明丽一子若安宇晨欣浩然嘉怡俊杰婷"
POSTS = ("dispatch", "reply_review", "exclusion", "grid_watch", "flex")


def fill_staff(store, count: int) -> dict[str, int]:
    ids = {}
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
        while name in ids:
            name += "某"
        post = POSTS[i % len(POSTS)]
        ids[name] = add_worker(store, {
            "name": name, "gender": "男", "id_number": demo_id_number("110101", "1990-01-01", 10 + i, "男"),
            "phone": f"1390000{i + 1:04d}", "post": post, "start_date": "2026-01-01",
            "hours_scheme": "综合工时" if post == "dispatch" else "标准工时"})
    return ids


def fill_roster(store) -> None:
    """Every worker on every day: dispatch on the ten-day rotation, grid on alternate days,
    the others 白 on working days."""
    calendar = load_calendar(store)
    workers = list_workers(store)
    place = {w.id: sum(1 for v in workers[:i] if v.post_code == w.post_code) for i, w in enumerate(workers)}
    rotation = "夜夜中中早早休休休休"
    for month in range(1, 13):
        first = dt.date(2026, month, 1)
        last = (dt.date(2026, month + 1, 1) if month < 12 else dt.date(2027, 1, 1)) - dt.timedelta(days=1)
        edits = []
        for day in calendar.days(first, last):
            index = (day.date - dt.date(2026, 1, 1)).days
            for w in workers:
                n = place[w.id]  # the worker's place among the post's workers
                if w.post_code == "dispatch":
                    code = rotation[(index + 2 * n) % 10]
                elif w.post_code == "grid_watch":
                    code = ("网" if day.is_working else "节") if (index + n) % 2 == 0 else "休"
                else:
                    code = "白" if day.is_working else "休"
                edits.append((w.id, day.date, [code]))
        set_cells(store, edits, f"bench {month}")


def timed(func, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label}: 中位数 {statistics.median(times) * 1000:.1f} ms，最快 {min(times) * 1000:.1f} ms，"
          f"最慢 {max(times) * 1000:.1f} ms（{len(times)} 次）")


def bench_store(store, count: int, tmp: Path, rounds: int) -> None:
    calendar = load_calendar(store)
    report(f"覆盖核验 一个月（10 月，{count} 人）", timed(lambda: coverage(store, 2026, 10, calendar=calendar), rounds))
    report(f"覆盖核验 全年逐月 12 次（{count} 人）",
           timed(lambda: [coverage(store, 2026, m, calendar=calendar) for m in range(1, 13)], rounds))
    report(f"覆盖核验 全年一次（{count} 人）",
           timed(lambda: coverage_between(store, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                                          calendar=calendar), rounds))
    report(f"月历切换（读一个月的排班表，{count} 人）",
           timed(lambda: month_roster(store, 2026, 11, calendar=calendar), rounds))
    if count == 100:
        bench_import(store, count, tmp, rounds)


def bench_import(store, count: int, tmp: Path, rounds: int) -> None:
    """The vendor's October file for 100 workers: first into a data file with the same
    workers and no plan yet (every cell new), then a revised file over the plan."""
    from openpyxl import load_workbook

    path = export_roster(store, 2026, 10, tmp / "roster100.xlsx")
    fresh = open_store(tmp / "fresh100.sqlite3")
    fill_staff(fresh, count)
    previews: list = []
    report("导入 100 人一个月的 Excel：预览（读取+逐格检查）",
           timed(lambda: previews.append(preview_import(fresh, path)), rounds))
    assert previews[-1].ok, previews[-1].problems[:3]
    start = time.perf_counter()
    changed = apply_import(fresh, previews[-1])
    print(f"导入 100 人一个月的 Excel：写入新的一个月（一次操作，{changed} 格）"
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    fresh.close()
    # the vendor's revised plan: everyone's October shifted by a day (most cells change)
    book = load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=4, max_row=3 + count, min_col=4):
        values = [c.value for c in row]
        for cell, value in zip(row, values[-1:] + values[:-1]):
            cell.value = value
    book.save(path)
    preview = preview_import(store, path)
    assert preview.ok, preview.problems[:3]
    start = time.perf_counter()
    changed = apply_import(store, preview)
    print(f"导入 100 人一个月的 Excel：修订已有的一个月（一次操作，改动 {changed} 格）"
          f"{(time.perf_counter() - start) * 1000:.0f} ms")


def main(rounds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for count in (12, 100):
            store = open_store(Path(tmp) / f"bench{count}.sqlite3")
            start = time.perf_counter()
            if count == 12:
                from app.demo import PEOPLE, _worker

                ids = {p[0]: add_worker(store, _worker(i, p)) for i, p in enumerate(PEOPLE[:12])}
                ids["王丽娜"] = add_worker(store, _worker(12, PEOPLE[12]))
                fill_demo_roster(store, ids)
            else:
                fill_staff(store, count)
                fill_roster(store)
            cells = store.db["roster_shifts"].count
            gaps = len(coverage_between(store, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).gaps)
            print(f"—— {len(list_workers(store))} 名服务人员，全年 {cells} 个班次，缺口 {gaps} 处（写入用时 "
                  f"{time.perf_counter() - start:.1f} s）")
            bench_store(store, count, Path(tmp), rounds)
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 7))

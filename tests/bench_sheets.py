"""月度考核 speed: `python tests/bench_sheets.py` (not part of the suite).

1. A year of sheets (12 workers × 12 months) rendered to one PDF in-process: wall and CPU
   time of `render_sheets` (the font registered beforehand, as in a running window).
2. One month through `python -m app sheets 2026-09 --out DIR` as a whole process: wall and
   CPU time and peak memory (ru_maxrss of the child), median of 7 runs, after one run on an
   empty font cache (the first document printed on a PC parses the font and keeps it;
   app/reports/font_cache.py), which is reported on its own.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DINGSHOU_TODAY", "2026-11-25")


def year_of_sheets() -> None:
    from app import assessment as a
    from app import staff
    from app.reports.assessment_pdf import render_sheets
    from app.reports.pdf import register_fonts
    from app.store import open_memory_store
    from tests.test_staff import form, make_id

    store = open_memory_store()
    workers = [staff.add_worker(store, form(name="服务人员" + "甲乙丙丁戊己庚辛壬癸子丑"[i],
                                            id_number=make_id(seq=300 + 2 * i), phone=f"1390000{i:04d}"))
               for i in range(12)]
    for month in range(1, 12):
        for j, w in enumerate(workers):
            a.add_deduction(store, 2026, month, w, 1 + j % 6, "1", "超时派单一件，已提醒乙方", f"2026-{month:02d}-05")
    a.score_all(store, 2026, 11)
    sheets = [s for m in range(1, 12) for s in a.load_month(store, 2026, m).sheets]
    sheets += sheets[:12]  # a twelfth month (December has not come yet on 2026-11-25)
    register_fonts()
    walls, cpus = [], []
    for _ in range(5):
        w0, c0 = time.perf_counter(), time.process_time()
        pdf = render_sheets(sheets, "2026 年龙潭街道接诉即办平台盯守服务合同", "甲方", "乙方")
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    print(f"一年的考核表（{len(sheets)} 份，{len(pdf) // 1024} KB）进程内生成：墙钟中位数 {statistics.median(walls):.3f} s，"
          f"CPU 中位数 {statistics.median(cpus):.3f} s（最快 {min(cpus):.3f} s）")


PEAK = ("import resource, runpy, sys\nsys.argv = ['app', *sys.argv[1:]]\ntry:\n"
        "    runpy.run_module('app', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('peak_kib=%d' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def month_command() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DINGSHOU_DB=str(Path(tmp) / "bench.sqlite3"), DINGSHOU_CACHE_DIR=str(Path(tmp) / "cache"))
        subprocess.check_call([sys.executable, "-m", "app", "demo"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        walls, cpus, peaks = [], [], []
        for _ in range(8):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            w0 = time.perf_counter()
            # The child reports its own peak (RUSAGE_CHILDREN would include the demo run).
            out = subprocess.run([sys.executable, "-c", PEAK, "sheets", "2026-09", "--out", str(Path(tmp) / "out")],
                                 cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
            walls.append(time.perf_counter() - w0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            peaks.append(int(out.split("peak_kib=")[1]) / 1024)
        first = walls.pop(0), cpus.pop(0), peaks.pop(0)
        print(f"python -m app sheets 2026-09，本机第一次打印（字体缓存为空）：墙钟 {first[0]:.3f} s，CPU {first[1]:.3f} s，"
              f"峰值内存 {first[2]:.0f} MiB")
        print(f"python -m app sheets 2026-09（汇总表 + 12 份考核表，一个文件）：墙钟中位数 {statistics.median(walls):.3f} s，"
              f"CPU 中位数 {statistics.median(cpus):.3f} s（最快 {min(cpus):.3f} s），峰值内存 {max(peaks):.0f} MiB")


if __name__ == "__main__":
    year_of_sheets()
    month_command()

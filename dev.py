#!/usr/bin/env python3
"""Set up and run 盯守台账 from a source checkout, with the standard library only.

    python3 dev.py run [ARGS...]     open the main window (ARGS go to `python -m ui`)
    python3 dev.py test [PYTEST...]  ruff and mypy, then the whole test suite offscreen
    python3 dev.py screenshots DIR   render every tab to DIR/<tab>.png
    python3 dev.py bench             measure cold start-up (see README)
    python3 dev.py cli ARGS...       run the headless command line (`python -m app`)
    python3 dev.py lock [UV...]      rewrite requirements.lock from pyproject.toml
                                     (--upgrade, or --upgrade-package NAME)

On first use it creates `.venv` beside this file and installs into it exactly what
requirements.lock names (versions and hashes: the same on every machine), then the project
itself; it installs again only when requirements.lock or pyproject.toml has changed. Works
the same on Windows (`py dev.py run`) and Linux.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dingshou-installed"
LOCK = ROOT / "requirements.lock"
# The lock covers every extra, for every platform (Windows wheels included) and every
# Python from 3.11 on. `python3 dev.py lock` is the one way to write it.
LOCK_COMMAND = ["pip", "compile", "pyproject.toml", "--extra", "test", "--extra", "build",
                "--universal", "--python-version", "3.11", "--generate-hashes",
                "--custom-compile-command", "python3 dev.py lock", "-o", "requirements.lock",
                "--quiet"]


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def install_digest() -> str:
    """What the installed .venv was made from: the lock and pyproject.toml."""
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


NO_VENV_HELP = """\
无法创建虚拟环境 .venv：这个 Python 缺少 venv/ensurepip 组件。
  · Debian/Ubuntu：sudo apt-get install python3-venv（或 python3.11-venv），然后重新运行本命令。
  · Windows：从 python.org 安装 Python 3.11 或更新版本（安装时勾选 pip）。"""


def has_pip(python: Path) -> bool:
    return subprocess.call([str(python), "-m", "pip", "--version"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_venv() -> Path:
    """Create .venv and install the lock and the project when either has changed."""
    python = venv_python()
    if python.exists() and not STAMP.exists() and not has_pip(python):
        # Left half-made by an earlier attempt (e.g. Debian without python3-venv).
        shutil.rmtree(VENV)
    if not python.exists():
        if importlib.util.find_spec("ensurepip") is None:  # Debian ships it in python3-venv
            raise SystemExit(NO_VENV_HELP)
        print("正在创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = install_digest()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == digest:
        return python
    print("正在按 requirements.lock 安装依赖（只在锁文件或 pyproject.toml 变化后进行）…", flush=True)
    STAMP.unlink(missing_ok=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    # Every file checked against the lock's hashes; nothing resolved anew. Then the project
    # itself, editable, with the setuptools the lock just installed (no unlocked download).
    steps = [pip + ["--require-hashes", "--requirement", str(LOCK)],
             pip + ["--no-deps", "--no-build-isolation", "--editable", str(ROOT)]]
    for step in steps:
        if subprocess.call(step, cwd=ROOT):
            raise SystemExit("安装依赖失败（见上面 pip 的输出）。请检查网络或软件源后重新运行本命令；"
                             "已装好的部分会保留，下次只补装缺少的。")
    STAMP.write_text(digest, encoding="utf-8")
    return python


# What `python3 dev.py test` runs before the suite; their settings are in pyproject.toml.
CHECKS = {
    "ruff（代码检查）": ["-m", "ruff", "check", "--quiet", "."],
    "mypy（类型检查，app/）": ["-m", "mypy"],
}


def cmd_test(python: Path, pytest_args: list[str]) -> int:
    """ruff and mypy, then pytest offscreen. The suite runs even when a check fails (so one
    run shows everything); the exit code is then the check's."""
    failed = []
    for label, args in CHECKS.items():
        if run(python, args):
            failed.append(label)
    code = run(python, ["-m", "pytest", *pytest_args], env=offscreen_env())
    if failed:
        print(f"检查未通过：{'、'.join(failed)}（见上面的输出）。", file=sys.stderr)
        return code or 1
    return code


def cmd_lock(python: Path, args: list[str]) -> int:
    """Rewrite requirements.lock with uv (itself installed from the lock). Without arguments
    it keeps every version that still satisfies pyproject.toml; `--upgrade` takes the newest
    of everything, `--upgrade-package NAME` of one package."""
    code = run(python, ["-m", "uv", *LOCK_COMMAND, *args])
    if code == 0:
        ensure_venv()  # the next command would; do it now so a failed install shows at once
    return code


def run(python: Path, args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> int:
    return subprocess.call([str(python), *args], cwd=cwd, env=env)


def offscreen_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # The offscreen platform warns that it cannot resize or raise windows; not news.
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    return env


def cmd_bench(python: Path, rounds: int = 7) -> int:
    """Cold start-up of the window and of the command line, median of several runs.

    Each round uses a fresh database folder, so the first-start seeding is included.
    """
    cases = {
        "python -m ui --screenshot (新库，渲染全部标签页)": ["-m", "ui", "--screenshot", "{tmp}/shots"],
        "python -m app words 1297300.82": ["-m", "app", "words", "1297300.82"],
    }
    code = bench_daily_start(python, rounds)
    if code:
        return code
    for label, template in cases.items():
        times = []
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                args = [a.replace("{tmp}", tmp) for a in template]
                env = offscreen_env()
                env["DINGSHOU_DB"] = str(Path(tmp) / "bench.sqlite3")
                start = time.perf_counter()
                code = subprocess.call([str(python), *args], cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
                if code:
                    print(f"{label}: 退出码 {code}", file=sys.stderr)
                    return code
        print(f"{label}: 中位数 {statistics.median(times) * 1000:.0f} ms，"
              f"最快 {min(times) * 1000:.0f} ms，最慢 {max(times) * 1000:.0f} ms（{rounds} 次）")
    code = run(python, ["-c", START_BACKUP_BENCH, str(rounds)], env=offscreen_env())
    # Each part's own benchmarks: benchmarks/bench_*.py, run with the number of rounds.
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        code = run(python, [str(script), str(rounds)], env=offscreen_env()) or code
    return code


def bench_daily_start(python: Path, rounds: int) -> int:
    """The clerk's every morning: an existing data file (with demo staff), the real start —
    lock, start backup, window shown and painted — then quit, exit backup included."""
    with tempfile.TemporaryDirectory() as tmp:
        env = offscreen_env()
        env["DINGSHOU_DB"] = str(Path(tmp) / "daily.sqlite3")
        code = subprocess.call([str(python), "-m", "app", "demo"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL)
        if code:
            return code
        times, shown = [], []
        for _ in range(rounds):
            # A change between starts, so each start and exit really makes its copy.
            subprocess.call([str(python), "-m", "app", "backup"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL)
            start = time.perf_counter()
            result = subprocess.run([str(python), "-m", "ui", "--quit-when-shown"], cwd=ROOT, env=env,
                                    capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if result.returncode:
                print(f"python -m ui --quit-when-shown: 退出码 {result.returncode}\n{result.stderr}",
                      file=sys.stderr)
                return result.returncode
            shown.append(int(result.stdout.split("shown_ms=")[1].split()[0]) / 1000)
    for label, values in (("窗口画出（自 ui 模块开始执行，含启动备份）", shown),
                          ("整个进程（启动到退出，含退出备份）", times)):
        print(f"python -m ui 每日启动，已有数据文件 — {label}: 中位数 {statistics.median(values) * 1000:.0f} ms，"
              f"最快 {min(values) * 1000:.0f} ms，最慢 {max(values) * 1000:.0f} ms（{rounds} 次）")
    return 0


# What the start backup adds to opening the data file: open_store with and without it,
# on a file with a year's worth of records, each round after a change (so a copy is made).
START_BACKUP_BENCH = """
import statistics, sys, tempfile, time, datetime as dt
from pathlib import Path
from app.store import open_store
from app.workcalendar import DayKind, set_override
rounds = int(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "bench.sqlite3"
    store = open_store(path)
    for i in range(2000):
        with store.action("bench") as act:
            act.insert("settings", {"key": f"bench{i}", "value": "x" * 100}, pk="key")
    store.close()
    size = path.stat().st_size
    plain, backed = [], []
    for r in range(rounds * 2):
        store = open_store(path)
        store.set_setting("round", str(r))
        store.close()
        start = time.perf_counter()
        store = open_store(path, backup_reason="start" if r % 2 else None)
        (backed if r % 2 else plain).append(time.perf_counter() - start)
        store.close()
    print(f"打开数据文件（{size // 1024} KB）：不备份 中位数 {statistics.median(plain) * 1000:.1f} ms，"
          f"含启动备份（复制+校验） 中位数 {statistics.median(backed) * 1000:.1f} ms（{rounds} 次）")
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command not in {"run", "test", "screenshots", "bench", "cli", "lock"}:
        print(f"未知命令：{command}\n{__doc__}", file=sys.stderr)
        return 2
    python = ensure_venv()
    if command == "run":  # a relative --db is the caller's, not the checkout's
        return run(python, ["-P", "-m", "ui", *rest], cwd=Path.cwd())
    if command == "test":
        return cmd_test(python, rest)
    if command == "screenshots":
        target = rest[0] if rest else str(ROOT / "docs" / "screenshots")
        return run(python, ["-m", "ui", "--screenshot", target, *rest[1:]], env=offscreen_env())
    if command == "bench":
        return cmd_bench(python)
    if command == "lock":
        return cmd_lock(python, rest)
    return run(python, ["-P", "-m", "app", *rest], cwd=Path.cwd())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

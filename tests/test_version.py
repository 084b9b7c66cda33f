"""One version number: app.__version__ is what pyproject.toml, the window, the command line
and the Windows version resource of dingshou.exe report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import app
from winversion import version_file_text, version_tuple

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_version_is_read_from_app():
    from setuptools.config.pyprojecttoml import read_configuration

    config = read_configuration(ROOT / "pyproject.toml", expand=True)
    assert config["project"]["version"] == app.__version__


def _evaluate(text: str) -> dict:
    """Evaluate the version file as PyInstaller does, with constructors that just record."""
    def record(name):
        return lambda *args, **kwargs: {"type": name, "args": args, **kwargs}
    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]
    return eval(text, {name: record(name) for name in names})


def test_the_windows_version_resource_carries_the_same_number():
    info = _evaluate(version_file_text(app.__version__))
    numbers = tuple(int(n) for n in app.__version__.split(".")[:3])
    assert info["ffi"]["filevers"][:3] == numbers and info["ffi"]["prodvers"][:3] == numbers
    strings = {s["args"][0]: s["args"][1] for s in info["kids"][0]["args"][0][0]["args"][1]}
    assert strings["FileVersion"] == strings["ProductVersion"] == app.__version__
    assert strings["ProductName"] == app.APP_NAME


def test_build_spec_makes_its_version_file_from_app(tmp_path):
    """Run build.spec as PyInstaller does, with its build steps recorded instead of run."""
    built = {}

    class Step:
        pure = scripts = binaries = datas = ()

    def step(name):
        def record(*args, **kwargs):
            built[name] = kwargs
            return Step()
        return record

    names = {n: step(n) for n in ("Analysis", "PYZ", "EXE", "COLLECT")}
    spec = ROOT / "build.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"),
         {**names, "SPECPATH": str(ROOT), "workpath": str(tmp_path / "work")})
    version_file = Path(built["EXE"]["version"])
    assert version_file.read_text(encoding="utf-8") == version_file_text(app.__version__)
    assert version_file.is_relative_to(tmp_path) and built["EXE"]["console"] is False
    assert not (ROOT / "resources" / "version_info.txt").exists()


@pytest.mark.parametrize("version, numbers", [
    ("0.1.0", (0, 1, 0, 0)), ("2", (2, 0, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("1.10.0rc2", (1, 10, 0, 0)),
])
def test_windows_wants_four_numbers(version, numbers):
    assert version_tuple(version) == numbers


def test_the_command_line_reports_it():
    out = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == f"{app.APP_NAME} {app.__version__}"


def test_the_build_leaves_out_no_qt_module_the_program_imports(tmp_path):
    import ast

    built = {}

    class Step:
        pure = scripts = binaries = datas = ()

    def step(name):
        def record(*args, **kwargs):
            built[name] = kwargs
            return Step()
        return record

    spec = ROOT / "build.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"),
         {**{n: step(n) for n in ("Analysis", "PYZ", "EXE", "COLLECT")},
          "SPECPATH": str(ROOT), "workpath": str(tmp_path / "work")})
    excluded = set(built["Analysis"]["excludes"])
    imported = set()
    for path in [*(ROOT / "ui").rglob("*.py"), *(ROOT / "app").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert "PySide6.QtWidgets" in imported and not imported & excluded

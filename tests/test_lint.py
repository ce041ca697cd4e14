"""Code quality is part of the build: ruff and pylint-odoo must be clean on every addon."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(str(path) for path in (ROOT / "addons").iterdir() if path.is_dir())
PYTHON_TREES = [name for name in ("addons", "tests", "bench", "tools") if (ROOT / name).is_dir()]


def _run(*command):
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_is_clean():
    result = _run("ruff", "check", *PYTHON_TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _run("ruff", "format", "--check", *PYTHON_TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_odoo_is_clean():
    result = _run("pylint", "--rcfile=.pylintrc", *ADDONS)
    assert result.returncode == 0, result.stdout + result.stderr

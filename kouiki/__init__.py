"""kouiki 広域: which administrative tasks to share, by which method, led by whom."""

from pathlib import Path as _Path

# Installed, model/, solvers/, reports/ and instances/ are kouiki's subpackages
# (pyproject's package-dir). Run from a source checkout instead (python -m
# kouiki.cli in the repository), they sit beside this folder: look there too.
_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "model" / "legal.py").is_file():
    __path__.append(str(_checkout))  # noqa: F821 (a package's __path__)

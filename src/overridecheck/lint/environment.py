"""Where installed packages are found: a Python environment's search path, read without running it.

The linter resolves bases from installed packages (Twisted, zope.interface...) by reading their
source on a search path.  That path is worked out from the environment's layout on disk:

* a virtual environment (a folder with ``pyvenv.cfg``): its ``site-packages``, the standard
  library of the Python it was made from (``home`` in ``pyvenv.cfg``), that Python's own
  ``site-packages`` when ``include-system-site-packages = true``;
* a Python installation (``<prefix>/bin/python3.X``): ``<prefix>/lib/python3.X`` and its
  ``site-packages`` (and Debian's ``dist-packages``);
* in both, the folders that ``.pth`` files name.  ``.pth`` lines that ``import`` something are
  skipped, never run.

Nothing here runs code the linted repository controls.  Only an interpreter named on the command
line (``--python``) whose layout cannot be read is run, and then as ``PYTHON -I -S -c ...``
(isolated: no ``site``, so no ``.pth`` file, ``sitecustomize`` or environment variable takes
effect), with a timeout, to print ``sys.prefix``, its version and ``sys.path``.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
import sysconfig
from dataclasses import dataclass
from typing import Optional

__all__ = [
    "TIMEOUT",
    "Environment",
    "InterpreterError",
    "default_environment",
    "environment_of",
    "running_environment",
    "venv_site_path",
]

#: Seconds an interpreter named with ``--python`` may take to print its search path.
TIMEOUT = 10.0

_PYTHON_NAME = re.compile(r"^(?:python|pypy)(\d+(?:\.\d+)?)?[tmw]?(?:\.exe)?$", re.IGNORECASE)
_VERSION = re.compile(r"^(\d+)\.(\d+)")


class InterpreterError(Exception):
    """An interpreter or environment whose search path cannot be known (one line)."""


@dataclass(frozen=True)
class Environment:
    """A search path for installed packages, and where it came from (for ``-v``)."""

    description: str
    path: tuple[str, ...]


def running_environment() -> Environment:
    """The interpreter running overridecheck."""
    return Environment(
        f"the running interpreter ({sys.executable})",
        tuple(p for p in sys.path if p and os.path.isdir(p)),
    )


def _read_cfg(path: str) -> dict[str, str]:
    values: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                key, sep, value = line.partition("=")
                if sep:
                    values[key.strip().lower()] = value.strip()
    except OSError:
        pass
    return values


def _version_of(text: str) -> Optional[str]:
    m = _VERSION.match(text.strip())
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _lib_dirs(prefix: str, version: Optional[str]) -> list[str]:
    """``<prefix>/lib/pythonX.Y`` folders (the given version's, else every one)."""
    found: list[str] = []
    for lib in ("lib", "lib64"):
        pattern = os.path.join(glob.escape(prefix), lib, "python3*")
        for d in sorted(glob.glob(pattern)):
            name = os.path.basename(d)
            if version is not None and name not in (f"python{version}", f"python{version}t"):
                continue
            if os.path.isdir(d) and d not in found:
                found.append(d)
    win = os.path.join(prefix, "Lib")
    if os.path.isdir(win):
        found.append(win)
    return found


def _with_pth(site_dirs: list[str]) -> list[str]:
    """The site folders followed by the folders their ``.pth`` files name (as ``site`` does,
    but lines starting with ``import`` are skipped, not run)."""
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.normcase(os.path.abspath(p))
        if key not in seen and os.path.isdir(p):
            seen.add(key)
            out.append(p)

    for d in site_dirs:
        add(d)
    for d in site_dirs:
        try:
            names = sorted(n for n in os.listdir(d) if n.endswith(".pth"))
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                    lines = f.read(1 << 20).splitlines()
            except OSError:
                continue
            for line in lines:
                line = line.strip()
                if not line or line.startswith("#") or re.match(r"import[ \t]", line):
                    continue
                add(os.path.join(d, line))
    return out


def _site_packages(lib_dirs: list[str], prefix: str) -> list[str]:
    dirs = [os.path.join(d, "site-packages") for d in lib_dirs]
    dirs += [os.path.join(d, "dist-packages") for d in lib_dirs]
    dirs.append(os.path.join(prefix, "lib", "python3", "dist-packages"))  # Debian
    return [d for d in dirs if os.path.isdir(d)]


def _stdlib(lib_dirs: list[str]) -> list[str]:
    return [d for d in lib_dirs if os.path.isfile(os.path.join(d, "os.py"))]


def venv_site_path(venv: str) -> Optional[Environment]:
    """A virtual environment's search path, from ``pyvenv.cfg`` and its folders."""
    cfg = _read_cfg(os.path.join(venv, "pyvenv.cfg"))
    if not cfg and not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        return None
    version = _version_of(cfg.get("version_info") or cfg.get("version") or "")
    own = _lib_dirs(venv, version) or _lib_dirs(venv, None)
    site = _site_packages(own, venv)
    home = cfg.get("home", "")
    base_prefix = os.path.dirname(home) if home else ""
    base_libs = _lib_dirs(base_prefix, version) if base_prefix else []
    if home and not base_libs and os.path.isdir(os.path.join(home, "Lib")):  # Windows
        base_libs = [os.path.join(home, "Lib")]
    stdlib = _stdlib(base_libs)
    if not stdlib and (version is None or version == _running_version()):
        stdlib = _stdlib([sysconfig.get_paths()["stdlib"]])
    if cfg.get("include-system-site-packages", "").lower() == "true" and base_prefix:
        site += _site_packages(base_libs, base_prefix)
    if not site and not stdlib:
        return None
    return Environment(f"the virtual environment {venv}", tuple([*stdlib, *_with_pth(site)]))


def _running_version() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def _prefix_environment(prefix: str, version: Optional[str]) -> Optional[Environment]:
    """A Python installation's search path from its prefix (``<prefix>/lib/pythonX.Y``), when
    its standard library is there and (without ``version``) the only one."""
    stdlib = _stdlib(_lib_dirs(prefix, version))
    if len(stdlib) == 1 or (stdlib and version is not None):
        site = _site_packages(stdlib[:1], prefix)
        return Environment(
            f"the Python installation {prefix}", tuple([*stdlib[:1], *_with_pth(site)])
        )
    return None


def _installation_site_path(python: str) -> Optional[Environment]:
    """A Python installation's search path from ``<prefix>/bin/pythonX.Y``'s layout."""
    real = os.path.realpath(python)
    for candidate in dict.fromkeys((python, real)):
        m = _PYTHON_NAME.match(os.path.basename(candidate))
        if m is None:
            continue
        version = _version_of(m.group(1) or "")
        folder = os.path.dirname(os.path.abspath(candidate))
        for prefix in (os.path.dirname(folder), folder):
            got = _prefix_environment(prefix, version)
            if got is not None:
                return got
    return None


def _venv_of(python: str) -> Optional[str]:
    """The virtual environment an interpreter path belongs to (``<venv>/bin/python``)."""
    if os.path.isdir(python):
        return python if os.path.isfile(os.path.join(python, "pyvenv.cfg")) else None
    folder = os.path.dirname(os.path.abspath(python))
    for venv in (os.path.dirname(folder), folder):
        if os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
            return venv
    return None


def environment_of(python: str, *, may_run: bool) -> Environment:
    """The search path of the interpreter (or environment folder) ``python``.

    Read from its layout; when that is not possible and ``may_run`` (the user named it on the
    command line), asked from the interpreter run isolated.  Raises InterpreterError.
    """
    venv = _venv_of(python)
    if venv is not None:
        got = venv_site_path(venv)
        if got is not None:
            return got
    elif os.path.isdir(python):
        got = _prefix_environment(python, None)
        if got is not None:
            return got
    else:
        got = _installation_site_path(python)
        if got is not None:
            return got
    if not may_run:
        raise InterpreterError(
            f"`{python}` is not a virtual environment or Python installation whose packages "
            "can be found without running it (an interpreter named in a configuration file "
            "is never run; name it with `--python` to allow that)"
        )
    return _ask(python)


_ASK = (
    "import json, sys; print(json.dumps({'prefix': sys.prefix, 'executable': sys.executable, "
    "'version': list(sys.version_info[:2]), 'path': [p for p in sys.path if p]}))"
)


def _ask(python: str) -> Environment:
    """Run ``python -I -S`` (no site hooks) and read its prefix and search path.

    Its output goes to a temporary file, not a pipe, and it runs in a session of its own that
    is killed afterwards: a child it leaves running can neither hold the answer back nor
    outlive the run.
    """
    import signal
    import subprocess  # only here: most runs never start an interpreter
    import tempfile

    with tempfile.TemporaryFile() as out:
        try:
            proc = subprocess.Popen(
                [python, "-I", "-S", "-c", _ASK],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.DEVNULL,
                env={"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8"},
                start_new_session=True,
            )
        except OSError as exc:
            if os.path.isdir(python):
                raise InterpreterError(
                    f"`{python}` is a folder, not a virtual environment or Python installation"
                ) from None
            raise InterpreterError(
                f"cannot run Python interpreter `{python}`: {exc.strerror or exc}"
            ) from None
        try:
            status: Optional[int] = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            status = None
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # it and whatever it started
            except (OSError, AttributeError):
                proc.kill()
            proc.wait()
        if status is None:
            raise InterpreterError(
                f"Python interpreter `{python}` did not answer within {TIMEOUT:g} s"
            )
        if status != 0:
            raise InterpreterError(
                f"`{python}` is not a working Python interpreter (exit status {status})"
            )
        out.seek(0)
        text = out.read(1 << 20).decode("utf-8", "replace")
    try:
        info = json.loads(text.strip().splitlines()[-1])
        prefix, executable = info["prefix"], info["executable"]
        major, minor = info["version"]
        paths = info["path"]
        if not (
            type(prefix) is str
            and type(executable) is str
            and type(major) is int
            and type(minor) is int
            and type(paths) is list
            and all(type(p) is str for p in paths)
        ):
            raise ValueError
    except (ValueError, KeyError, TypeError, IndexError):
        raise InterpreterError(
            f"`{python}` is not a Python interpreter overridecheck understands "
            "(it did not print its search path)"
        ) from None
    # Without `site` a virtual environment's interpreter reports its base installation: read
    # the environment it really is (a wrapper script of `.venv/bin/python` lands here).
    venv = _venv_of(executable) if executable and executable != python else None
    if venv is not None:
        got = venv_site_path(venv)
        if got is not None:
            return Environment(f"the virtual environment {venv} (run by {python})", got.path)
    site = _site_packages(_lib_dirs(prefix, f"{major}.{minor}"), prefix)
    path = [p for p in paths if os.path.isdir(p)]
    return Environment(f"the interpreter {python}", tuple([*path, *_with_pth(site)]))


def default_environment(root: str, warnings: Optional[list[str]] = None) -> Environment:
    """Without an interpreter named by the user: ``$VIRTUAL_ENV``, else a ``.venv``/``venv``
    folder in the project root ``root``, else the interpreter running overridecheck.  A
    ``$VIRTUAL_ENV`` that is not a virtual environment is skipped with a line in ``warnings``."""
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        got = venv_site_path(active)
        if got is not None:
            return Environment(f"$VIRTUAL_ENV ({active})", got.path)
        if warnings is not None:
            warnings.append(f"$VIRTUAL_ENV (`{active}`) is not a virtual environment; ignored")
    for name in (".venv", "venv"):
        folder = os.path.join(root, name)
        got = venv_site_path(folder)
        if got is not None:
            return Environment(f"the project's {name} ({folder})", got.path)
    return running_environment()

#!/usr/bin/env python3
"""Audit classes with ``check_class``: the third way to catch ``conectionMade``.

Imports each file given (by default the echo pair and both typo variants) and runs
:func:`overridecheck.check_class` on every class the file defines, decorated or not.  Run it
from the repository root::

    python examples/check_classes.py

Output::

    examples/echo_server.py: Echo, EchoFactory: no problems
    examples/echo_client.py: EchoClient, EchoClientFactory: no problems
    examples/typos/decorated.py: cannot be imported: EchoClient.conectionMade is marked @override
    but nothing in EchoClient's bases or interfaces defines it (examples/typos/decorated.py:34);
    did you mean `connectionMade` (BaseProtocol)?
    examples/typos/undecorated.py: EchoClient.conectionMade does not override anything in
    EchoClient's bases or interfaces (examples/typos/undecorated.py:32); did you mean
    `connectionMade` (BaseProtocol)?

(each report on one line).  Exit code 1 when anything was reported, else 0.  The same call in a
test suite is ``assert check_class(EchoClient) == []``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Optional

from overridecheck import OverrideError, check_class

HERE = Path(__file__).resolve().parent
DEFAULT = [
    HERE / "echo_server.py",
    HERE / "echo_client.py",
    HERE / "typos" / "decorated.py",
    HERE / "typos" / "undecorated.py",
]


def load(path: Path) -> ModuleType:
    """Import the file at ``path`` as a module named after it (not run as ``__main__``)."""
    name = f"_audited_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # check_class reads the module's source through it
    spec.loader.exec_module(module)
    return module


def creation_error(error: BaseException) -> Optional[OverrideError]:
    """The OverrideError behind an import failure, on every Python version.

    Python 3.9-3.11 wrap an exception raised while a class is created (in ``__set_name__``)
    in a ``RuntimeError`` whose ``__cause__`` is the OverrideError; 3.12+ raise it directly.
    """
    if isinstance(error, OverrideError):
        return error
    if isinstance(error, RuntimeError) and isinstance(error.__cause__, OverrideError):
        return error.__cause__
    return None


def audit(path: Path) -> int:
    """Print one line per problem found in the file (or a ``no problems`` line); count them."""
    shown = display(path)
    try:
        module = load(path)
    except (OverrideError, RuntimeError) as error:
        cause = creation_error(error)
        if cause is None:
            raise
        print(f"{shown}: cannot be imported: {cause}")
        return 1
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    ]
    problems = [problem for cls in classes for problem in check_class(cls)]
    for problem in problems:
        print(f"{shown}: {problem}")
    if not problems:
        print(f"{shown}: {', '.join(cls.__name__ for cls in classes)}: no problems")
    return len(problems)


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str]) -> int:
    paths = [Path(arg) for arg in argv] or DEFAULT
    problems = sum(audit(path) for path in paths)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Shared fixtures: run the real CLI in a subprocess, write small source trees."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Optional, Union

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the package's bytecode once: hundreds of tests run the CLI in a subprocess,
    and under ``PYTHONDONTWRITEBYTECODE`` (as on this project's machines) each would compile
    all of ``overridecheck`` again (a fresh clone's suite took a sixth longer)."""
    import compileall

    import overridecheck

    compileall.compile_dir(os.path.dirname(overridecheck.__file__), quiet=1)


#: A file with one real finding once the engine runs: OC101 at line 5, column 9.
TYPO_SOURCE = (
    "from twisted.internet.protocol import Protocol\n"
    "\n"
    "\n"
    "class C(Protocol):\n"
    "    def conectionMade(self):\n"
    "        pass\n"
)
TYPO_LINE, TYPO_COLUMN = 5, 9

CLEAN_SOURCE = (
    "from twisted.internet.protocol import Protocol\n"
    "\n"
    "\n"
    "class C(Protocol):\n"
    "    def connectionMade(self):\n"
    "        pass\n"
)

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]
Tree = Mapping[str, Union[str, bytes]]


def write_tree(root: Path, files: Tree) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``; returns ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def run_cli() -> RunCli:
    """``run_cli(*args, cwd=..., input=None, env=None)``: ``python -m overridecheck`` in a
    subprocess, text output; ``input`` is its stdin (else an empty one), ``env`` more
    environment variables (a value of None removes one)."""

    def run(
        *args: str,
        cwd: Union[str, Path],
        input: Optional[str] = None,
        env: Optional[Mapping[str, Optional[str]]] = None,
    ) -> subprocess.CompletedProcess[str]:
        environ = {k: v for k, v in os.environ.items() if k != "OVERRIDECHECK_DEBUG"}
        environ["PYTHONIOENCODING"] = "utf-8"
        for k, v in (env or {}).items():
            if v is None:
                environ.pop(k, None)
            else:
                environ[k] = v
        return subprocess.run(
            [sys.executable, "-m", "overridecheck", *args],
            cwd=str(cwd),
            env=environ,
            input="" if input is None else input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    return run

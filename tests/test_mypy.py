"""mypy sees `overridecheck.override` as PEP 698's override (via typing_extensions)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy")

SNIPPET = textwrap.dedent(
    """
    from overridecheck import override


    class Base:
        def connectionMade(self) -> None:
            pass


    class Client(Base):
        @override
        def connectionMade(self) -> None:
            pass

        @override
        def conectionMade(self) -> None:
            pass
    """
)


@pytest.mark.slow
def test_mypy_reports_misspelled_override(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--config-file",
            "",
            str(source),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert (
        'snippet.py:16: error: Method "conectionMade" is marked as an override, '
        "but no base method was found with this name"
    ) in run.stdout, run.stdout
    assert run.stdout.count("error:") == 1, run.stdout

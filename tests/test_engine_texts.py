"""`engine.check_files(texts=...)`: an editor's unsaved text instead of the file on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from overridecheck.lint.engine import check_files

BASE = "class Base:\n    def process_item(self, item):\n        pass\n"
CHILD = "from base import Base\n\n\nclass Child(Base):\n    def {name}(self, item):\n        pass\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "base.py").write_text(BASE)
    (tmp_path / "child.py").write_text(CHILD.format(name="process_item"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _codes(result: object) -> list[tuple[str, int, str]]:
    return [(os.path.basename(d.path), d.line, d.code) for d in result.diagnostics]  # type: ignore[attr-defined]


@pytest.mark.parametrize("cache", [False, True])
def test_unsaved_text_is_checked_instead_of_the_file(project: Path, cache: bool) -> None:
    cache_dir = str(project / ".cache") if cache else None
    child = str(project / "child.py")
    unsaved = CHILD.format(name="proces_item").encode()
    assert _codes(check_files(["child.py"], context=["base.py"], cache_dir=cache_dir)) == []
    got = check_files(
        ["child.py"], context=["base.py"], cache_dir=cache_dir, texts={child: unsaved}
    )
    assert _codes(got) == [("child.py", 5, "OC101")]
    assert got.diagnostics[0].suggestion == "process_item"
    # the disk is as it was, and a run without the text sees it again
    assert (project / "child.py").read_text() == CHILD.format(name="process_item")
    assert _codes(check_files(["child.py"], context=["base.py"], cache_dir=cache_dir)) == []


def test_unsaved_text_of_a_context_file_changes_the_bases(project: Path) -> None:
    base = str(project / "base.py")
    renamed = BASE.replace("process_item", "proces_item").encode()
    got = check_files(["child.py"], context=["base.py"], texts={base: renamed})
    assert _codes(got) == [("child.py", 5, "OC101")]
    assert got.diagnostics[0].suggestion == "proces_item"


def test_a_file_not_on_disk(project: Path) -> None:
    new = str(project / "new.py")
    text = CHILD.format(name="proces_item").encode()
    got = check_files(["new.py"], context=["base.py"], texts={new: text})
    assert _codes(got) == [("new.py", 5, "OC101")]
    assert got.errors == []

"""The fix safety rule of a rename, condition by condition, whichever rule offers it.

A rename is safe only when the new name is not already defined by the class, its subclasses in
the project or its other bases, the old name is referenced nowhere in the project, and the
intended name is a hook; the references are tested in ``test_fix.py``, this file tests the
class hierarchy.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Optional

import pytest
from conftest import write_tree

from overridecheck.lint.engine import check_files
from overridecheck.lint.ruledef import safety_of


def _safety(
    tmp_path: Path, files: dict[str, str], select: Optional[Collection[str]] = None
) -> list[tuple[str, str, int, Optional[str], str]]:
    """(code, path, line, suggestion, fix safety) of every finding of ``files``."""
    write_tree(tmp_path, files)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = check_files(sorted(files), select=select)
    finally:
        os.chdir(cwd)
    assert result.errors == []
    return [(d.code, d.path, d.line, d.suggestion, safety_of(d)) for d in result.diagnostics]


# -- the class's other bases --------------------------------------------------------------

RESOURCE_WITH_GET = (
    "from twisted.web.resource import Resource\n"
    "class Base(Resource):\n"
    "    def render_GET(self, request):\n"
    "        return b'base'\n"
    "class Page(Base):\n"
    "    def render_get(self, request):\n"
    "        return b'page'\n"
)


@pytest.mark.parametrize(
    ("select", "code"),
    [(["OC104"], "OC104"), (None, "OC101")],
    ids=["OC104-alone", "default"],
)
def test_rename_onto_a_concrete_inherited_method_is_unsafe_for_every_rule(
    tmp_path: Path, select: Optional[list[str]], code: str
) -> None:
    """OC104 alone used to offer a safe rename onto `Base.render_GET`; OC101 (which OC104
    yields to) made it unsafe: the same rename gets the same safety whichever rule offers it."""
    found = _safety(tmp_path, {"r.py": RESOURCE_WITH_GET}, select)
    assert found == [(code, "r.py", 6, "render_GET", "unsafe")]


def test_rename_onto_an_inherited_stub_keeps_its_safety(tmp_path: Path) -> None:
    source = RESOURCE_WITH_GET.replace("return b'base'", "raise NotImplementedError()")
    found = _safety(tmp_path, {"r.py": source}, ["OC104"])
    assert found == [("OC104", "r.py", 6, "render_GET", "safe")]


def test_rename_onto_an_inherited_alias_of_a_method_is_unsafe(tmp_path: Path) -> None:
    source = (
        "from twisted.web.resource import Resource\n"
        "class Base(Resource):\n"
        "    def render_POST(self, request):\n"
        "        return b'base'\n"
        "    render_GET = render_POST\n"
        "class Page(Base):\n"
        "    def render_get(self, request):\n"
        "        return b'page'\n"
    )
    found = _safety(tmp_path, {"r.py": source}, ["OC104"])
    assert found == [("OC104", "r.py", 7, "render_GET", "unsafe")]


def test_an_attribute_rename_that_would_hide_a_bases_method_is_unsafe(tmp_path: Path) -> None:
    """OC106 suggests LineReceiver's `delimiter`; the mixin before it in the MRO makes
    `delimiter` a method, which the renamed attribute would hide."""
    source = (
        "from twisted.protocols.basic import LineReceiver\n"
        "class Mixin:\n"
        "    def delimiter(self):\n"
        "        return b'\\n'\n"
        "class Chat(Mixin, LineReceiver):\n"
        "    delimitr = b'\\n'\n"
        "class Plain(LineReceiver):\n"
        "    delimitr = b'\\n'\n"
    )
    found = _safety(tmp_path, {"c.py": source}, ["OC106"])
    assert found == [
        ("OC106", "c.py", 6, "delimiter", "unsafe"),
        ("OC106", "c.py", 8, "delimiter", "safe"),
    ]

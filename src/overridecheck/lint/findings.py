"""Small helpers every check shares: naming a member, building a finding, reading a module."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Optional

from overridecheck._conventions_data import text_references
from overridecheck.lint.model import Diagnostic, Edit, Fix, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["finding", "module_text", "referenced", "where"]


def where(info: ClassInfo, name: str) -> str:
    """``Outer.Class.member`` as a reader would name it (function scopes left out)."""
    return f"{info.summary.qualname.replace('.<locals>', '')}.{name}"


def finding(
    mod: ModuleSummary,
    line: int,
    column: int,
    name: str,
    code: str,
    message: str,
    *,
    suggestion: Optional[str] = None,
    rename: bool = False,
    safe: bool = True,
    fix: Optional[Fix] = None,
    advice: Optional[str] = None,
) -> Diagnostic:
    """A finding on ``name`` at ``line``/``column``; with ``rename``, a fix renaming it to
    ``suggestion`` (``lint.fix`` then decides its safety from references in the tree)."""
    end = column + len(name)
    if rename and suggestion is not None:
        advice = f"Rename to `{suggestion}`"
        fix = Fix(advice, (Edit(line, column, line, end, suggestion),), safe=safe)
    return Diagnostic(
        path=mod.path,
        line=line,
        column=column,
        end_line=line,
        end_column=end,
        code=code,
        message=message,
        suggestion=suggestion,
        fix=fix,
        advice=advice,
    )


_texts: dict[str, tuple[tuple[int, int], str]] = {}


def module_text(path: str) -> str:
    """The decoded text of a module (cached while the file's size and mtime stay the same)."""
    if not path:
        return ""
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _texts.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    if len(_texts) > 256:
        _texts.clear()
    _texts[path] = (stamp, text)
    return text


def referenced(path: str, names: Iterable[str], *, through_self: bool = False) -> set[str]:
    """Which of ``names`` the module uses besides defining them: as an attribute (only through
    ``self``/``cls``/``super()`` with ``through_self``) or as a string literal equal to the name;
    comments never count (see ``_conventions_data.text_references``)."""
    if not path:
        return set()
    return text_references(module_text(path), names, through_self=through_self)

"""Small helpers every check shares: naming a member, building a finding, ancestors' keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from overridecheck.lint.model import Diagnostic, Edit, Fix, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["ancestor_keys", "finding", "where"]


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


def ancestor_keys(info: ClassInfo) -> set[tuple[str, str]]:
    """``(module, qualname)`` of every ancestor (the class itself excluded)."""
    keys: set[tuple[str, str]] = set()
    for cls in info.mro[1:]:
        summary = getattr(cls, "summary", None)
        if summary is not None:
            keys.add((cls.module.module, summary.qualname))  # type: ignore[union-attr]
    return keys

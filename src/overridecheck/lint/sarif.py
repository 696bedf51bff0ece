"""``--format sarif``: a SARIF 2.1.0 log with one run (rules, results, fixes, file errors).

Columns are Unicode code points (``run.columnKind``), as in every other format; the end
column is exclusive, as SARIF's ``endColumn`` is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from overridecheck._version import __version__
from overridecheck.lint.model import Diagnostic, FileError, Fix

if TYPE_CHECKING:
    from overridecheck.lint.rules import RuleInfo

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "format_sarif", "sarif_log"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/overridecheck/"
LEVEL = "error"


def artifact_uri(path: str) -> str:
    """A relative path as a relative URI reference (``/`` separators, percent-encoded);
    an absolute path as a ``file://`` URI."""
    if os.path.isabs(path):
        posix = os.path.abspath(path).replace(os.sep, "/")
        if not posix.startswith("/"):
            posix = "/" + posix  # C:/x -> /C:/x
        return "file://" + quote(_raw(posix))
    posix = os.path.normpath(path).replace(os.sep, "/")
    return quote(_raw(posix))


def _raw(path: str) -> bytes:
    """The file name's bytes (undecodable ones come back from their surrogates)."""
    return path.encode("utf-8", "surrogateescape")


def _rule(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.summary},
        "help": {"text": info.doc, "markdown": info.doc},
        "defaultConfiguration": {"enabled": info.default, "level": LEVEL},
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fix(path: str, fix: Fix) -> dict[str, Any]:
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": artifact_uri(path)},
                "replacements": [
                    {
                        "deletedRegion": _region(e.line, e.column, e.end_line, e.end_column),
                        "insertedContent": {"text": e.text},
                    }
                    for e in fix.edits
                ],
            }
        ],
        "properties": {"safe": fix.safe},
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": d.code}
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    result["level"] = LEVEL
    result["message"] = {"text": d.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(d.path)},
                "region": _region(d.line, d.column, d.end_line, d.end_column),
            }
        }
    ]
    if isinstance(d.fix, Fix):
        result["fixes"] = [_fix(d.path, d.fix)]
    return result


def _notification(e: FileError) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(e.path)}}
    if e.line is not None:
        region: dict[str, int] = {"startLine": e.line}
        if e.column is not None:
            region["startColumn"] = e.column
        physical["region"] = region
    return {
        "level": "error",
        "message": {"text": e.message},
        "locations": [{"physicalLocation": physical}],
    }


def sarif_log(
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[FileError],
    rules: Mapping[str, RuleInfo],
    notes: Sequence[tuple[str, str]] = (),
    failed: bool = False,
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict; ``rules`` become ``tool.driver.rules``; ``notes``
    are (level, text) notifications without a location (classes that were not checked)."""
    infos = [rules[code] for code in sorted(rules)]
    index = {info.code: i for i, info in enumerate(infos)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "overridecheck",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(info) for info in infos],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not errors and not failed,
                "toolExecutionNotifications": [
                    *(_notification(e) for e in errors),
                    *({"level": level, "message": {"text": text}} for level, text in notes),
                ],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index) for d in diagnostics],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def format_sarif(
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[FileError],
    rules: Mapping[str, RuleInfo],
    notes: Sequence[tuple[str, str]] = (),
    failed: bool = False,
) -> str:
    return json.dumps(sarif_log(diagnostics, errors, rules, notes, failed), indent=2) + "\n"

"""The output formatters, without running the engine."""

from __future__ import annotations

import json

from overridecheck.lint.model import Diagnostic, Edit, FileError, Fix
from overridecheck.lint.report import (
    error_line,
    format_github,
    format_json,
    format_text,
    github_escape_data,
    github_escape_property,
    summary_line,
)

D1 = Diagnostic(
    "pkg/a.py",
    5,
    9,
    5,
    22,
    "OC101",
    "`conectionMade` overrides nothing: did you mean `connectionMade`?",
    suggestion="connectionMade",
    fix=Fix("Rename to `connectionMade`", (Edit(5, 9, 5, 22, "connectionMade"),)),
    advice="Rename to `connectionMade`",
)
D2 = Diagnostic("pkg/b.py", 3, 5, 3, 10, "OC102", "`foo` overrides nothing")
E_LINE = FileError("bad.py", "syntax error: invalid syntax", 2, 7)
E_NOLINE = FileError("gone.py", "path not found")


def test_text_lines_and_summary() -> None:
    out = format_text([D1, D2], [E_LINE, E_NOLINE], 10)
    assert out.splitlines() == [
        "pkg/a.py:5:9: OC101 [*] `conectionMade` overrides nothing: did you mean `connectionMade`?",
        "pkg/b.py:3:5: OC102 `foo` overrides nothing",
        "bad.py:2:7: error: syntax error: invalid syntax",
        "gone.py: error: path not found",
        "[*] 1 fixable with `--fix`",
        "Found 2 problems in 2 files, 2 paths could not be checked (checked 10 files)",
    ]


def test_text_quiet_has_no_summary() -> None:
    assert format_text([D1], [], 1, quiet=True) == format_text([D1], [], 1).splitlines()[0] + "\n"
    assert format_text([], [], 3, quiet=True) == ""


def test_summary_wording() -> None:
    assert summary_line([], [], 10) == "All checks passed (checked 10 files)"
    assert summary_line([], [], 1) == "All checks passed (checked 1 file)"
    assert summary_line([D1], [], 1) == "Found 1 problem in 1 file (checked 1 file)"
    assert summary_line([D1, D1], [], 4) == "Found 2 problems in 1 file (checked 4 files)"
    assert summary_line([], [E_LINE], 1) == "1 path could not be checked (checked 1 file)"


def test_error_line_with_line_only() -> None:
    assert error_line(FileError("x.py", "bad", 3)) == "x.py:3: error: bad"


def test_json_fields() -> None:
    data = json.loads(format_json([D1, D2]))
    assert data[0] == {
        "path": "pkg/a.py",
        "line": 5,
        "column": 9,
        "end_line": 5,
        "end_column": 22,
        "code": "OC101",
        "message": D1.message,
        "suggestion": "connectionMade",
        "fix": {
            "safety": "safe",
            "message": "Rename to `connectionMade`",
            "edits": [
                {
                    "line": 5,
                    "column": 9,
                    "end_line": 5,
                    "end_column": 22,
                    "content": "connectionMade",
                }
            ],
        },
        "fix_safety": "safe",
        "advice": "Rename to `connectionMade`",
    }
    assert data[1]["suggestion"] is None
    assert data[1]["fix"] is None
    assert json.loads(format_json([])) == []


def test_github_annotation() -> None:
    out = format_github([D1], [])
    assert out == (
        "::error file=pkg/a.py,line=5,col=9,endLine=5,endColumn=22,title=OC101::"
        "OC101 `conectionMade` overrides nothing: did you mean `connectionMade`?\n"
    )


def test_github_errors() -> None:
    out = format_github([], [E_LINE, E_NOLINE]).splitlines()
    assert out == [
        "::error file=bad.py,line=2,col=7,title=overridecheck::syntax error: invalid syntax",
        "::error file=gone.py,title=overridecheck::path not found",
    ]


def test_github_escaping() -> None:
    assert github_escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert github_escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    d = Diagnostic("we,ird:dir/50%.py", 1, 1, 1, 2, "OC101", "line1\nline2 100%")
    assert format_github([d], []) == (
        "::error file=we%2Cird%3Adir/50%25.py,line=1,col=1,endLine=1,endColumn=2,"
        "title=OC101::OC101 line1%0Aline2 100%25\n"
    )

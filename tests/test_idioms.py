"""Idioms through which a class gets its bases (issue 12): each fixture project under
``tests/fixtures/idioms`` holds classes whose base comes through one idiom, with a misspelled
hook the linter must report as OC101 with the right suggestion, and classes it must still
leave unchecked (never a guess).  Nothing is imported or run.
"""

from __future__ import annotations

from pathlib import Path

from overridecheck.lint.engine import LintResult, check_files

IDIOMS = Path(__file__).parent / "fixtures" / "idioms"


def lint(case: str, *only: str) -> LintResult:
    folder = IDIOMS / case
    paths = sorted(str(p) for p in folder.rglob("*.py"))
    if only:
        paths = [p for p in paths if Path(p).relative_to(folder).as_posix() in only]
    result = check_files(paths)
    assert result.errors == []
    return result


def findings(result: LintResult, case: str) -> list[tuple[str, int, str, object]]:
    folder = IDIOMS / case
    return [
        (Path(d.path).relative_to(folder).as_posix(), d.line, d.code, d.suggestion)
        for d in result.diagnostics
    ]


def unchecked(result: LintResult) -> list[tuple[str, str, str]]:
    return [(u.qualname, u.cause, u.detail) for u in result.unchecked]


def test_with_metaclass_bases_are_the_arguments_after_the_metaclass() -> None:
    """six's and future's ``with_metaclass``, under another name, re-exported, or a module's
    own copy of it: the class's bases are the call's arguments after the metaclass."""
    result = lint("with_metaclass")
    assert findings(result, "with_metaclass") == [
        ("copied.py", 19, "OC101", "connectionMade"),
        ("receivers.py", 17, "OC101", "connectionMade"),
        ("receivers.py", 22, "OC101", "lineReceived"),
        ("receivers.py", 27, "OC101", "dataReceived"),
        ("receivers.py", 32, "OC101", "buildProtocol"),
        ("receivers.py", 37, "OC101", "connectionLost"),
        ("receivers.py", 42, "OC101", "connectionLost"),
        ("receivers.py", 48, "OC101", "connectionMade"),
    ]
    assert unchecked(result) == [
        ("with_metaclass.<locals>.metaclass", "local", "meta"),
        ("Starred", "call", "six.with_metaclass"),
        ("NotTheIdiom", "call", "other_call"),
    ]


def test_module_level_aliases_chains_pairs_and_reexports() -> None:
    """``StringTransport = testing.StringTransport`` (as in ``twisted.test.proto_helpers``),
    chains of aliases, aliases imported under another name, re-exported by a ``*`` import or
    reached as a module attribute, ``A, B = m.A, m.B`` and generic aliases (``UserDict[K, V]``)."""
    result = lint("aliases")
    assert findings(result, "aliases") == [
        ("use.py", 9, "OC101", "write"),
        ("use.py", 14, "OC101", "loseConnection"),
        ("use.py", 19, "OC101", "write"),
        ("use.py", 24, "OC101", "write"),
        ("use.py", 29, "OC101", "write"),
        ("use.py", 34, "OC101", "write"),
        ("use.py", 39, "OC101", "listenTCP"),
        ("use.py", 44, "OC101", "callLater"),
        ("use.py", 49, "OC101", "__contains__"),
        ("use.py", 54, "OC101", "write"),
    ]
    assert unchecked(result) == []

"""overridecheck's Fixit 2 rules (``overridecheck.fixit``): Fixit's own harness on the rules'
VALID/INVALID cases, parity with the linter on the linter's examples, and real ``fixit lint``
and ``fixit fix`` runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fixit")

from conftest import RunCli, write_tree
from fixit.config import walk_module
from fixit.engine import LintRunner
from fixit.ftypes import Config
from fixit.testing import add_lint_rule_tests_to_module

from overridecheck import fixit as oc_fixit
from overridecheck import fixit_opt_in
from overridecheck.lint.engine import check_files
from overridecheck.lint.model import Diagnostic, Edit, Fix
from overridecheck.lint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
TYPOS = ROOT / "examples" / "typos"
# The rules as Fixit collects them from `enable = ["overridecheck.fixit"]`.
RULE_CLASSES = tuple(walk_module(oc_fixit).values())
OPT_IN_CLASSES = tuple(walk_module(fixit_opt_in).values())

# Fixit's harness: one unittest class per rule, named after the rule (so the rule classes are
# only used through `oc_fixit` here), with one test per VALID/INVALID case.
add_lint_rule_tests_to_module(globals(), [rule() for rule in (*RULE_CLASSES, *OPT_IN_CLASSES)])


@pytest.fixture(autouse=True)
def _in_an_empty_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixit's harness lints its cases as `valid.py`/`invalid.py` in the current folder, files
    that do not exist: they are checked with the project of that folder, here an empty one (in
    this repository, the tests' own `conectionMade`s would be references in other files)."""
    monkeypatch.chdir(tmp_path_factory.mktemp("harness"))


def fixit_findings(path: Path) -> list[tuple[int, int, str, str, bool]]:
    """(line, 1-based column, rule, message, has replacement) as Fixit reports them."""
    runner = LintRunner(path, path.read_bytes())
    config = Config(path=path, root=path.parent)
    found = runner.collect_violations([rule() for rule in (*RULE_CLASSES, *OPT_IN_CLASSES)], config)
    return sorted(
        (v.range.start.line, v.range.start.column + 1, v.rule_name, v.message, bool(v.replacement))
        for v in found
    )


def test_one_fixit_rule_per_default_rule() -> None:
    assert sorted((rule.CODE, rule.__name__) for rule in RULE_CLASSES) == sorted(
        (code, oc_fixit.rule_name(code)) for code, info in RULES.items() if info.default
    )
    assert oc_fixit.rule_name("OC101") == "MisspelledOverride"
    assert oc_fixit.MisspelledOverride in RULE_CLASSES


def test_every_rule_has_a_fixit_rule_and_opt_in_ones_stay_off() -> None:
    """Enabling ``overridecheck.fixit`` turns on the default rules only; each opt-in rule has
    its Fixit rule in ``overridecheck.fixit_opt_in``, to be enabled by name."""
    codes = {rule.CODE for rule in (*RULE_CLASSES, *OPT_IN_CLASSES)}
    assert codes == set(RULES)
    assert {rule.CODE for rule in OPT_IN_CLASSES} == {
        code for code, info in RULES.items() if not info.default
    }
    assert not set(RULE_CLASSES) & set(OPT_IN_CLASSES)


EXAMPLES = [
    pytest.param(example.code, id=f"{code}-{kind}{i}")
    for code in sorted(RULES)
    for kind, examples in (("valid", RULES[code].valid), ("invalid", RULES[code].invalid))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("source", EXAMPLES)
def test_same_findings_as_the_linter(source: str, tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"example.py": source}) / "example.py"
    names = {rule.CODE: rule.__name__ for rule in (*RULE_CLASSES, *OPT_IN_CLASSES)}
    expected = sorted(
        (d.line, d.column, names[d.code], d.message, d.fix is not None and d.fix.safe)
        for d in check_files([str(path)], select=set(names)).diagnostics
    )
    assert fixit_findings(path) == expected


def test_source_differing_from_the_file_is_checked_from_a_copy(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "base.py": "class Base:\n    def process_item(self, item):\n        pass\n",
            "child.py": "from base import Base\n\n\nclass Child(Base):\n    pass\n",
        },
    )
    source = b"from base import Base\n\n\nclass Child(Base):\n    def proces_item(self, i):\n"
    source += b"        pass\n"
    # The copy still resolves the project's own modules (base.py beside child.py).
    found = oc_fixit.diagnostics_for(str(tmp_path / "child.py"), source)
    assert [(d.code, d.line, d.suggestion) for d in found] == [("OC101", 5, "process_item")]
    assert [(d.code, d.suggestion) for d in oc_fixit.diagnostics_for("", source)] == []


def test_only_safe_single_renames_become_replacements() -> None:
    def diag(fix: Fix) -> Diagnostic:
        return Diagnostic("a.py", 3, 9, 3, 22, "OC101", "m", "connectionMade", fix)

    edit = Edit(3, 9, 3, 22, "connectionMade")
    assert oc_fixit._rename_target(diag(Fix("Rename", (edit,)))) == "connectionMade"
    assert oc_fixit._rename_target(diag(Fix("Rename", (edit,), safe=False))) is None
    assert (
        oc_fixit._rename_target(diag(Fix("Rename", (edit, Edit(7, 1, 7, 14, "connectionMade")))))
        is None
    )
    assert oc_fixit._rename_target(diag(Fix("Rename", (Edit(3, 9, 3, 10, "x"),)))) is None


def test_import_overridecheck_does_not_import_fixit() -> None:
    code = (
        "import sys, overridecheck, overridecheck.cli\n"
        "print(sorted(m for m in ('fixit', 'libcst', 'overridecheck.fixit') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def run_fixit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERRIDECHECK_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "fixit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


PYPROJECT = """\
[tool.fixit]
root = true
disable = ["fixit.rules"]
enable = ["overridecheck.fixit"]
"""


def test_fixit_lint_and_fix(tmp_path: Path) -> None:
    # Two projects side by side (each folder has its own pyproject.toml): in one project,
    # each file's `def conectionMade` would be another def of the old name for the other's
    # rename, as Fixit checks one file at a time (as for `overridecheck undecorated.py`): no fix.
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    for name in ("undecorated.py", "decorated.py"):
        (tmp_path / name[:-3]).mkdir()
        shutil.copy(TYPOS / name, tmp_path / name[:-3] / name)
        (tmp_path / name[:-3] / "pyproject.toml").write_text(f"[project]\nname = '{name[:-3]}'\n")

    lint = run_fixit("lint", ".", cwd=tmp_path)
    assert lint.returncode == 1, lint.stdout + lint.stderr
    lines = sorted(line for line in lint.stdout.splitlines() if "@" in line)
    assert lines == [
        "decorated/decorated.py@34:8 OverrideOfNothing: `EchoClient.conectionMade` is marked "
        "`@override` but overrides nothing; did you mean `connectionMade` from `BaseProtocol`? "
        "(has autofix)",
        "undecorated/undecorated.py@32:8 MisspelledOverride: `EchoClient.conectionMade` "
        "overrides nothing; did you mean `connectionMade` from `BaseProtocol`? (has autofix)",
    ]

    fix = run_fixit("fix", "--automatic", ".", cwd=tmp_path)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    for name in ("undecorated.py", "decorated.py"):
        original = (TYPOS / name).read_text(encoding="utf-8")
        fixed = (tmp_path / name[:-3] / name).read_text(encoding="utf-8")
        assert "    def connectionMade(self) -> None:" in fixed
        assert fixed == original.replace(
            "    def conectionMade(self)", "    def connectionMade(self)"
        )

    again = run_fixit("lint", ".", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr


def test_fixit_ignore_comments(tmp_path: Path) -> None:
    source = (
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class A(Protocol):\n"
        "    def conectionMade(self):  # lint-ignore: MisspelledOverride\n"
        "        pass\n\n\n"
        "class B(Protocol):\n"
        "    def conectionMade(self):  # noqa: OC101\n"
        "        pass\n\n\n"
        "class C(Protocol):\n"
        "    def conectionLost(self, reason):\n"
        "        pass\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "proto.py": source})
    lint = run_fixit("lint", "proto.py", cwd=tmp_path)
    assert lint.returncode == 1
    assert [line.split(":")[0] for line in lint.stdout.splitlines() if "@" in line] == [
        "proto.py@15"
    ]


#: A project where the command line gives each fix safety a rename can get.
SAFETY_PROJECT = {
    # safe: nothing else refers to `conectionMade`
    "alone.py": (
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class A(Protocol):\n"
        "    def conectionMade(self):\n"
        "        pass\n"
    ),
    # no fix: another file looks `dataRecieved` up (without importing this module, so the
    # finding stays: it says nothing about the class)
    "referred.py": (
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class R(Protocol):\n"
        "    def dataRecieved(self, data):\n"
        "        pass\n"
    ),
    "caller.py": "def poke(p):\n    return getattr(p, 'dataRecieved')\n",
    # unsafe: a subclass in another file defines the new name
    "parent.py": (
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class P(Protocol):\n"
        "    def conectionLost(self, reason):\n"
        "        pass\n"
    ),
    "child.py": (
        "from parent import P\n\n\n"
        "class Q(P):\n"
        "    def connectionLost(self, reason):\n"
        "        super().connectionLost(reason)\n"
    ),
    # unsafe: the same file looks the old name up on another object
    "same.py": (
        "from twisted.protocols.basic import LineReceiver\n\n\n"
        "class L(LineReceiver):\n"
        "    def lineRecieved(self, line):\n"
        "        pass\n\n\n"
        "def feed(other):\n"
        "    other.lineRecieved(b'x')\n"
    ),
}


def test_fixit_gives_the_command_lines_fix_safety_for_the_same_file(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Fixit lints one file at a time; each file's findings, and which of them get a
    replacement, are those of ``overridecheck <file>``, whose fix safety is judged on the
    whole project (Fixit judged it on the file alone: `referred.py`'s rename was an autofix
    although another file looks the old name up, and `parent.py`'s although a subclass
    elsewhere defines the new name)."""
    write_tree(tmp_path, SAFETY_PROJECT)
    seen: dict[str, set[str]] = {}
    for name in sorted(SAFETY_PROJECT):
        proc = run_cli("--no-cache", "--select", "ALL", "--format", "json", name, cwd=tmp_path)
        cli = sorted(
            (d["line"], d["column"], oc_fixit.rule_name(d["code"]), d["fix_safety"] == "safe")
            for d in json.loads(proc.stdout)
        )
        fixit = [
            (line, col, rule, fix) for line, col, rule, _, fix in fixit_findings(tmp_path / name)
        ]
        assert fixit == cli, name
        for d in json.loads(proc.stdout):
            if d["suggestion"] is not None:  # the renames (not child.py's OC107)
                seen.setdefault(name, set()).add(str(d["fix_safety"]))
    assert seen == {
        "alone.py": {"safe"},
        "referred.py": {"None"},
        "parent.py": {"unsafe"},
        "same.py": {"unsafe"},
    }


def test_unsaved_source_gets_no_safe_fix(tmp_path: Path) -> None:
    """Source that is not the file on disk (an editor's unsaved buffer) is checked from a copy;
    the project on disk imports and subclasses the saved file, so no rename is safe."""
    write_tree(tmp_path, SAFETY_PROJECT)
    source = (tmp_path / "alone.py").read_bytes() + b"\n"
    [d] = oc_fixit.diagnostics_for(str(tmp_path / "alone.py"), source)
    assert d.fix is not None and not d.fix.safe
    [d] = oc_fixit.diagnostics_for("", source)
    assert d.fix is not None and not d.fix.safe


def test_a_new_file_is_judged_with_the_project_of_its_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, SAFETY_PROJECT)
    new = (tmp_path / "referred.py").read_bytes()
    [d] = oc_fixit.diagnostics_for(str(tmp_path / "new.py"), new)
    assert d.fix is None  # caller.py looks `dataRecieved` up
    other = new.replace(b"dataRecieved", b"dataRecived")  # a name no other file has
    [d] = oc_fixit.diagnostics_for(str(tmp_path / "new.py"), other)
    assert d.fix is not None and d.fix.safe

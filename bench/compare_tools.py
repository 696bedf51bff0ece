#!/usr/bin/env python3
"""What each tool reports on the echo typo: reproduces the comparison table of the README.

    .venv/bin/python bench/compare_tools.py            # prints a Markdown table, then details

Each scenario is a small module written to a temporary directory, with the `override` import
of the tool under test, and each tool is run for real in a subprocess:

- overridecheck decorator, `overrides` and `zope.interface.verify.verifyObject`: the module is
  run (`verifyObject(IProtocol, Cls())` appended for the last one);
- overridecheck linter, mypy and pyright: the module is checked (mypy and pyright with Python
  3.12 as the target, so that `typing.override` exists). A tool that is not installed gets
  "not run". pyright: `pip install pyright` (it needs Node.js, and fetches pyright from npm).

A scenario with a typo is "caught" when the tool fails (exit code not 0); a correct scenario is
a "false positive" when it fails. The first line of each failure is printed below the table.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

PROTOCOL_TYPO = """\
{imp}from twisted.internet.protocol import Protocol


class Echo(Protocol):
    {deco}def conectionMade(self) -> None:
        pass
"""

IMPLEMENTER_ONLY = """\
{imp}from twisted.internet.interfaces import IProtocol, ITransport
from twisted.python.failure import Failure
from zope.interface import implementer


@implementer(IProtocol)
class Echo:
    {deco}def makeConnection(self, transport: ITransport) -> None:
        pass

    {deco}def connectionMade(self) -> None:
        pass

    {deco}def dataReceived(self, data: bytes) -> None:
        pass

    {deco}def connectionLost(self, reason: Failure) -> None:
        pass
"""

IMPLEMENTER_TYPO = IMPLEMENTER_ONLY.replace("def connectionMade", "def conectionMade")

VERIFY = """
from twisted.internet.interfaces import IProtocol
from zope.interface.verify import verifyObject

verifyObject(IProtocol, Echo())
"""


@dataclass(frozen=True)
class Scenario:
    title: str
    template: str
    decorated: bool
    typo: bool


SCENARIOS = (
    Scenario("`conectionMade` in a `Protocol` subclass, undecorated", PROTOCOL_TYPO, False, True),
    Scenario("`conectionMade` in a `Protocol` subclass, `@override`", PROTOCOL_TYPO, True, True),
    Scenario(
        "`@override` on an `@implementer(IProtocol)`-only class, correct names",
        IMPLEMENTER_ONLY,
        True,
        False,
    ),
    Scenario(
        "`conectionMade` on an `@implementer(IProtocol)`-only class, undecorated",
        IMPLEMENTER_TYPO,
        False,
        True,
    ),
)


@dataclass(frozen=True)
class Tool:
    name: str
    override_import: str  # the line importing `override`
    kind: str  # "run", "verify", "overridecheck", "mypy" or "pyright"


TOOLS = (
    Tool("overridecheck `@override` (runtime)", "from overridecheck import override", "run"),
    Tool("overridecheck linter", "from overridecheck import override", "overridecheck"),
    Tool("`overrides` package `@override`", "from overrides import override", "run"),
    Tool("`typing.override` + mypy", "from typing import override", "mypy"),
    Tool("`typing.override` + pyright", "from typing import override", "pyright"),
    Tool(
        "`zope.interface.verify.verifyObject`", "from typing_extensions import override", "verify"
    ),
)


@dataclass(frozen=True)
class Outcome:
    failed: Optional[bool]  # None: not run
    detail: str


def _first_problem(output: str, kind: str) -> str:
    """The line that says what failed: the exception (an ``OverrideError`` first, since Python
    < 3.12 wraps it in a ``RuntimeError``), or the first finding of a checker."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if kind in ("run", "verify"):
        raised = [line for line in lines if re.match(r"^[\w.]+(Error|Exception|Invalid)\b", line)]
        preferred = [line for line in raised if "OverrideError" in line]
        return (preferred or raised or lines or [""])[0]
    found = [line for line in lines if " error: " in line or ": OC" in line]
    return found[0] if found else (lines[-1] if lines else "")


def _pyright() -> Optional[list[str]]:
    exe = shutil.which("pyright") or shutil.which("pyright", path=os.path.dirname(sys.executable))
    return [exe] if exe else None


def _mypy() -> Optional[list[str]]:
    try:
        import mypy  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "mypy"]


def run_tool(tool: Tool, scenario: Scenario, workdir: Path) -> Outcome:
    deco = "@override\n    " if scenario.decorated else ""
    imp = f"{tool.override_import}\n" if scenario.decorated else ""
    source = scenario.template.format(imp=imp, deco=deco)
    if tool.kind == "verify":
        source += VERIFY
    path = workdir / "snippet.py"
    path.write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERRIDECHECK_")}
    if tool.kind in ("run", "verify"):
        cmd = [sys.executable, str(path)]
    elif tool.kind == "overridecheck":
        cmd = [sys.executable, "-m", "overridecheck", "--isolated", str(path)]
    elif tool.kind == "mypy":
        base = _mypy()
        if base is None:
            return Outcome(None, "mypy not installed")
        cache = str(workdir / ".mypy_cache")
        # zope.interface ships no type information: its import is not what is being compared.
        cmd = [*base, "--python-version", "3.12", "--ignore-missing-imports"]
        cmd += ["--cache-dir", cache, str(path)]
    else:
        base = _pyright()
        if base is None:
            return Outcome(None, "pyright not installed")
        cmd = [*base, "--pythonpath", sys.executable, "--pythonversion", "3.12", str(path)]
    proc = subprocess.run(
        cmd, cwd=workdir, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    output = (proc.stdout + proc.stderr).replace(str(workdir) + os.sep, "")
    return Outcome(
        proc.returncode != 0, _first_problem(output, tool.kind) if proc.returncode else ""
    )


def cell(scenario: Scenario, outcome: Outcome) -> str:
    if outcome.failed is None:
        return "not run"
    if scenario.typo:
        return "caught" if outcome.failed else "**missed**"
    return "**false positive**" if outcome.failed else "no error (correct)"


def main() -> int:
    results: dict[tuple[str, str], Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="compare-tools-") as tmp:
        for tool in TOOLS:
            for scenario in SCENARIOS:
                work = Path(tmp) / f"{TOOLS.index(tool)}-{SCENARIOS.index(scenario)}"
                work.mkdir()
                results[tool.name, scenario.title] = run_tool(tool, scenario, work)
    print("| Tool | " + " | ".join(s.title for s in SCENARIOS) + " |")
    print("|---" * (len(SCENARIOS) + 1) + "|")
    for tool in TOOLS:
        cells = [cell(s, results[tool.name, s.title]) for s in SCENARIOS]
        print(f"| {tool.name} | " + " | ".join(cells) + " |")
    print()
    for tool in TOOLS:
        for scenario in SCENARIOS:
            outcome = results[tool.name, scenario.title]
            if outcome.detail:
                print(f"- {tool.name} / {scenario.title}: {outcome.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

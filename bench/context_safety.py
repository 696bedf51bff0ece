"""Each file given alone (as pre-commit and editors give it) gets no safer fix than the whole
tree gives it.  (A bench.)

Run:  .venv/bin/python bench/context_safety.py TREE [--paths P ...] [--select ALL] [--limit N]

``overridecheck --no-cache --format json --select ALL`` runs once on ``--paths`` (default
``.``) inside ``TREE``, then once per file with a finding, given alone: the rest of the project
is then context (bases, subclasses and references are resolved over it, nothing there is
reported).  Per finding it compares the code, the suggestion and the fix safety (``safe`` >
``unsafe`` > none).  A finding given alone may be *more conservative* than in the whole run:
a ``def`` of the same old name in a context file is not renamed by that run, so it counts
as a reference (README's "Fixes").  It must never be *safer*, found where the whole run finds
nothing, or missing.

Prints the counts and every difference; exits 1 when a finding is safer, new or missing alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Optional

_RANK = {"safe": 2, "unsafe": 1, None: 0}

Finding = tuple[int, int, str, Optional[str]]  # line, column, code, suggestion


def findings(tree: str, select: str, paths: Sequence[str]) -> dict[str, dict[Finding, object]]:
    cmd = [sys.executable, "-m", "overridecheck", "--no-cache", "--format", "json", "-q"]
    proc = subprocess.run(
        [*cmd, "--select", select, *paths], cwd=tree, capture_output=True, text=True
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"overridecheck exited {proc.returncode}: {proc.stderr.strip()}")
    out: dict[str, dict[Finding, object]] = {}
    for d in json.loads(proc.stdout or "[]"):
        key = (d["line"], d["column"], d["code"], d.get("suggestion"))
        out.setdefault(d["path"], {})[key] = d.get("fix_safety")
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree")
    parser.add_argument("--paths", nargs="+", default=["."])
    parser.add_argument("--select", default="ALL")
    parser.add_argument("--limit", type=int, default=0, help="at most N files (0: all)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    whole = findings(args.tree, args.select, args.paths)
    files = sorted(whole)[: args.limit or None]
    same = conservative = 0
    bad: list[str] = []
    notes: list[str] = []
    for path in files:
        alone = findings(args.tree, args.select, [path]).get(path, {})
        for key in whole[path].keys() | alone.keys():
            line, col, code, suggestion = key
            where = f"`{path}:{line}:{col}` {code} `{suggestion}`"
            if key not in alone:
                bad.append(f"- missing alone: {where}")
            elif key not in whole[path]:
                bad.append(f"- found only alone: {where}")
            elif _RANK[alone[key]] > _RANK[whole[path][key]]:  # type: ignore[index]
                bad.append(f"- safer alone: {where}: {alone[key]} (whole tree: {whole[path][key]})")
            elif alone[key] != whole[path][key]:
                conservative += 1
                notes.append(
                    f"- more conservative alone: {where}: {alone[key] or 'no fix'} "
                    f"(whole tree: {whole[path][key]})"
                )
            else:
                same += 1
    print(f"# Files given alone vs the whole tree: `{args.tree}` (`--select {args.select}`)\n")
    print(
        f"- {len(files)} files with findings, each given alone ({time.perf_counter() - t0:.0f} s)"
    )
    print(f"- findings with the same fix safety: {same}")
    print(f"- more conservative alone: {conservative}")
    print(f"- **safer, new or missing alone: {len(bad)}** (must be 0)\n")
    for line in [*bad, *notes]:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())

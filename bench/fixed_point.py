"""``--fix`` reaches a fixed point in one run, on every project of the corpus.  (A bench.)

Run:  .venv/bin/python bench/fixed_point.py [--tree PATH] [--select ALL] [--safe-only]

Each project (a folder of ``--tree``, default the corpus's ``src``: ``$OC_CORPUS/src``, else
what ``../shared/corpus/get-corpus.sh`` prints, else ``~/.cache/overridecheck-corpus/src``) is
copied to a temporary folder, and
``python -m overridecheck --fix --unsafe-fixes --select ALL --no-cache .`` runs in the copy
twice.  For each run it records the files whose bytes changed; then a third command,
``--diff`` with the same options, must print no diff.  A fixed point holds when the second run
changes no file and the diff is empty.  Every ``.py`` file that ``ast.parse`` accepted before
the first run must still be accepted after it (a fix never breaks the syntax).

Prints a markdown table; exits 1 when a project misses the fixed point or a fix broke a file.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Optional


def digests(root: str) -> dict[str, str]:
    """Every file under ``root`` (``.git`` aside) by relative path: the sha256 of its bytes."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def parses(root: str, rel: str) -> bool:
    try:
        with open(os.path.join(root, rel), "rb") as f:
            ast.parse(f.read())
    except (SyntaxError, ValueError, OSError):
        return False
    return True


def overridecheck(
    copy: str, options: Sequence[str], *extra: str
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "overridecheck", *options, "--no-cache", *extra, "."]
    return subprocess.run(cmd, cwd=copy, capture_output=True, text=True, timeout=1800)


def check_project(src: str, work: str, options: Sequence[str]) -> dict[str, object]:
    copy = os.path.join(work, os.path.basename(src))
    shutil.copytree(src, copy, symlinks=True)
    start = digests(copy)
    good = {p for p in start if p.endswith(".py") and parses(copy, p)}
    t0 = time.perf_counter()
    first = overridecheck(copy, options, "--fix")
    seconds = time.perf_counter() - t0
    after_first = digests(copy)
    second = overridecheck(copy, options, "--fix")
    after_second = digests(copy)
    diff = overridecheck(copy, options, "--diff")
    broken = [p for p in changed(start, after_first) if p in good and not parses(copy, p)]
    crashed = [
        f"{name} exit {proc.returncode}"
        for name, proc in (("run 1", first), ("run 2", second), ("--diff", diff))
        if proc.returncode not in (0, 1) or "Traceback" in proc.stderr
    ]
    diff_lines = [ln for ln in diff.stdout.splitlines() if ln.startswith(("+++", "---"))]
    return {
        "project": os.path.basename(src),
        "run1": changed(start, after_first),
        "run2": changed(after_first, after_second),
        "diff_files": len(diff_lines) // 2,
        "broken": broken,
        "crashed": crashed,
        "seconds": seconds,
        "summary": (first.stdout.strip().splitlines() or [""])[-1],
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", help="folder of projects (default: the corpus's)")
    parser.add_argument("--select", default="ALL")
    parser.add_argument("--safe-only", action="store_true", help="without --unsafe-fixes")
    parser.add_argument("--project", action="append", help="only these projects (repeatable)")
    args = parser.parse_args(argv)
    if args.tree is None:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from twisted_trial_fix import corpus_src  # the benches find the corpus one way

        args.tree = corpus_src()
    if not os.path.isdir(args.tree):
        print(f"no such folder: {args.tree}", file=sys.stderr)
        return 2
    options = ["--select", args.select]
    if not args.safe_only:
        options.append("--unsafe-fixes")
    projects = sorted(
        p
        for p in os.listdir(args.tree)
        if os.path.isdir(os.path.join(args.tree, p)) and (not args.project or p in args.project)
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="oc-fixed-point-") as work:
        for p in projects:
            rows.append(check_project(os.path.join(args.tree, p), work, options))
            shutil.rmtree(os.path.join(work, p))
    print(f"# `--fix {' '.join(options)}` twice on each project of `{args.tree}`\n")
    print(
        "| project | files changed by run 1 | by run 2 | files in `--diff` after | "
        "syntax broken | crashes | run 1 s | run 1 says |"
    )
    print("|---|---|---|---|---|---|---|---|")
    failed = 0
    for r in rows:
        run1, run2, broken, crashed = r["run1"], r["run2"], r["broken"], r["crashed"]
        assert isinstance(run1, list) and isinstance(run2, list)
        assert isinstance(broken, list) and isinstance(crashed, list)
        bad = bool(run2) or bool(r["diff_files"]) or bool(broken) or bool(crashed)
        failed += bad
        print(
            f"| {r['project']} | {len(run1)} | {len(run2)} | {r['diff_files']} | {len(broken)} | "
            f"{', '.join(crashed) or 0} | {r['seconds']:.1f} | {r['summary']} |"
        )
        for path in run2:
            print(f"  - run 2 changed `{path}`")
        for path in broken:
            print(f"  - run 1 broke the syntax of `{path}`")
    total = sum(len(r["run1"]) for r in rows)  # type: ignore[arg-type]
    print(
        f"\n{len(rows) - failed} of {len(rows)} projects at a fixed point after one run "
        f"({total} files changed by the first runs)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

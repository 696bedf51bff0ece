"""Generated inputs that used to blow up: many classes, many methods, deep chains, star cycles.

    python bench/hostile_sizes.py [--quick]

For each input it times a cold ``overridecheck --no-cache --jobs 1`` run (a subprocess, as a
user runs it) and ``ast.parse`` of the same files in the same run, and prints the ratio: a
linear tool keeps the ratio flat as the input doubles.  Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "from twisted.internet.protocol import Protocol\n"


def many_classes(n: int) -> str:
    body = "".join(
        f"class C{i}(Protocol):\n    def connectionMade(self):\n        pass\n"
        f"    def helper{i}(self):\n        pass\n"
        for i in range(n)
    )
    return HEADER + body


def same_typo(n: int) -> str:
    """``n`` classes with the same misspelled hook: ``n`` findings of one name to classify."""
    return HEADER + "".join(
        f"class C{i}(Protocol):\n    def conectionMade(self):\n        pass\n" for i in range(n)
    )


def many_methods(n: int) -> str:
    return (
        HEADER
        + "class C(Protocol):\n"
        + "".join(f"    def m{i}(self):\n        pass\n" for i in range(n))
    )


def chain(n: int) -> str:
    body = "".join(
        f"class C{i}(C{i - 1}):\n    def conectionMade(self):\n        pass\n" for i in range(1, n)
    )
    return HEADER + "class C0(Protocol):\n    pass\n" + body


def reversed_chain(n: int) -> str:
    body = "".join(
        f"class C{i}(C{i + 1}):\n    def conectionMade(self):\n        pass\n" for i in range(n)
    )
    return body + HEADER + f"class C{n}(Protocol):\n    pass\n"


def big_file(megabytes: float) -> str:
    parts = [HEADER]
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        part = (
            f"class Gen{i}(Protocol):\n    '''doc'''\n"
            f"    x{i} = {{'a': [1, 2, 3], 'b': ({i}, 'string value here')}}\n"
            f"    def dataReceived(self, data):\n        return self.transport.write(data)\n"
            f"    def helper_{i}(self, a, b=1, *args, **kw):\n        pass\n"
        )
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)


def star_cycle(n: int) -> dict[str, str]:
    return {
        f"m{i}.py": "".join(f"from m{(i + k) % n} import *\n" for k in (1, 2, 3))
        + f"\n\nclass C{i}(Missing{i}):\n    def setUp(self):\n        pass\n"
        for i in range(n)
    }


def run(folder: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "overridecheck", "--no-cache", "--jobs", "1", "-q", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) or "internal error" in proc.stderr:
        raise SystemExit(f"{folder.name}: exit {proc.returncode}: {proc.stderr.strip()}")
    return elapsed


def floor(folder: Path) -> float:
    start = time.perf_counter()
    for p in sorted(folder.glob("*.py")):
        ast.parse(p.read_bytes())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smaller sizes only")
    args = parser.parse_args()
    cases: list[tuple[str, dict[str, str]]] = []
    sizes = (4000, 8000) if args.quick else (4000, 8000, 16000)
    cases += [(f"{n} classes", {"m.py": many_classes(n)}) for n in sizes]
    cases += [(f"{n} classes with the same typo", {"m.py": same_typo(n)}) for n in sizes]
    methods = (10000,) if args.quick else (10000, 20000)
    cases += [(f"{n} methods in one class", {"m.py": many_methods(n)}) for n in methods]
    cases += [(f"chain of {n} subclasses", {"m.py": chain(n)}) for n in sizes]
    cases += [(f"reversed chain of {n}", {"m.py": reversed_chain(n)}) for n in sizes[:2]]
    cases += [("star-import cycle of 8 files", star_cycle(8))]
    cases += [
        (f"{mb} MB generated file", {"m.py": big_file(mb)})
        for mb in (2.5, 5, 10)[: 2 if args.quick else 3]
    ]
    print("| input | overridecheck s | ast.parse s | ratio |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for k, (label, files) in enumerate(cases):
            folder = Path(tmp) / f"case{k}"
            folder.mkdir()
            for name, text in files.items():
                (folder / name).write_text(text)
            base = floor(folder)
            took = run(folder)
            ratio = f"{took / base:.1f}x" if base > 0.01 else "-"
            print(f"| {label} | {took:.2f} | {base:.2f} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()

"""How much does the runtime ``@override`` cost?  (A benchmark, not a test.)

Run:  .venv/bin/python bench/runtime_speed.py

Prints, in one run:

* microseconds per decorated method at class creation for no decorator,
  ``typing_extensions.override``, ``overrides.overrides`` and ``overridecheck.override``, on
  Twisted ``Protocol`` subclasses with N hooks (class bodies are real ``class`` statements,
  compiled once and executed repeatedly);
* the extra cost of ours over ``typing_extensions.override`` in modules of 10 and 200 classes
  (it must not grow with the size of the module);
* the per-call overhead (zero: the class attribute is the very function that was decorated);
* the import time of ``overridecheck`` from ``python -X importtime``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from typing import Any

from twisted.internet.protocol import Protocol

import overridecheck

PROTOCOL_HOOKS = {
    "connectionMade": "self",
    "dataReceived": "self, data",
    "connectionLost": "self, reason",
    "makeConnection": "self, transport",
    "logPrefix": "self",
}
WIDE_HOOKS = {f"hook{i}": "self, a, b=None" for i in range(20)}

DECORATORS = {
    "none": "",
    "typing_extensions.override": "@te_override",
    "overrides.overrides": "@overrides",
    "overridecheck.override": "@oc_override",
}


class Wide(Protocol):
    """A Protocol subclass with 20 more hooks, for wider classes."""


for _name in WIDE_HOOKS:
    exec(f"def {_name}(self, a, b=None): pass", globals())
    setattr(Wide, _name, globals().pop(_name))


def module_source(decorator: str, base: str, hooks: dict[str, str], classes: int) -> str:
    lines = []
    for c in range(classes):
        lines.append(f"class C{c}({base}):")
        for name, params in hooks.items():
            if decorator:
                lines.append(f"    {decorator}")
            lines.append(f"    def {name}({params}): pass")
    return "\n".join(lines) + "\n"


def namespace() -> dict[str, Any]:
    from overrides import overrides
    from typing_extensions import override as te_override

    return {
        "Protocol": Protocol,
        "Wide": Wide,
        "te_override": te_override,
        "overrides": overrides,
        "oc_override": overridecheck.override,
        "__name__": "bench_module",
    }


def seconds_per_module(source: str, repeat: int = 7, budget: float = 0.2) -> float:
    """Best (minimum) time to execute the compiled module ``source`` once."""
    code = compile(source, "<bench>", "exec")
    ns = namespace()
    exec(code, dict(ns))  # warm up
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            exec(code, dict(ns))
        if time.perf_counter() - start > budget / 10:
            break
        loops *= 2
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(loops):
            exec(code, dict(ns))
        best = min(best, (time.perf_counter() - start) / loops)
    return best


def per_method_us(decorator: str, base: str, hooks: dict[str, str], classes: int) -> float:
    """Microseconds per method at class creation (whole module time / methods)."""
    seconds = seconds_per_module(module_source(decorator, base, hooks, classes))
    return seconds / (classes * len(hooks)) * 1e6


def import_time_us(runs: int = 5) -> int:
    """Cumulative microseconds of ``import overridecheck`` (best of ``runs`` fresh processes)."""
    # Measure with cached bytecode, as after a normal install, even when the environment sets
    # PYTHONDONTWRITEBYTECODE (the cache goes to a temporary directory, not the source tree).
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "overridecheck-bench-pyc")
    best = None
    for _ in range(runs + 1):  # the first run writes the bytecode cache
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import overridecheck"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        for line in run.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*overridecheck$", line)
            if match:
                value = int(match.group(2))
                best = value if best is None else min(best, value)
    if best is None:
        raise RuntimeError("no import-time line for overridecheck")
    return best


def heavy_modules_after_import() -> list[str]:
    code = (
        "import sys, overridecheck\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'libcst', 'twisted', 'zope', 'typing_extensions'}))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return [run.stdout.strip()]


def call_overhead() -> tuple[bool, float, float]:
    ns = namespace()
    exec(module_source("", "Protocol", PROTOCOL_HOOKS, 1), ns)
    plain = ns["C0"]
    ns = namespace()
    exec(module_source("@oc_override", "Protocol", PROTOCOL_HOOKS, 1), ns)
    ours = ns["C0"]
    same_kind = type(ours.__dict__["dataReceived"]) is type(plain.__dict__["dataReceived"])

    def timed(cls: type) -> float:
        obj = cls()
        n = 100_000
        start = time.perf_counter()
        for _ in range(n):
            obj.dataReceived(b"x")
        return (time.perf_counter() - start) / n * 1e9

    best_plain = best_ours = float("inf")
    for _ in range(15):  # interleaved, best of 15
        best_plain = min(best_plain, timed(plain))
        best_ours = min(best_ours, timed(ours))
    return same_kind, best_plain, best_ours


def main() -> None:
    print(f"Python {sys.version.split()[0]}, overridecheck {overridecheck.__version__}")
    print()
    print("Class creation, microseconds per method (best of 7; 50 classes per module)")
    shapes = [
        ("Protocol, 5 hooks", "Protocol", PROTOCOL_HOOKS),
        ("Wide(Protocol), 20 hooks", "Wide", WIDE_HOOKS),
    ]
    header = f"{'decorator':<28}" + "".join(f"{label:>28}" for label, _, _ in shapes)
    print(header)
    results: dict[tuple[str, str], float] = {}
    for name, decorator in DECORATORS.items():
        row = f"{name:<28}"
        for label, base, hooks in shapes:
            value = per_method_us(decorator, base, hooks, 50)
            results[(name, label)] = value
            row += f"{value:>28.2f}"
        print(row)
    for label, _, _ in shapes:
        ours = results[("overridecheck.override", label)]
        te = results[("typing_extensions.override", label)]
        ov = results[("overrides.overrides", label)]
        print(
            f"  {label}: ours - typing_extensions = {ours - te:.2f} us/method;"
            f" overrides.overrides / ours (over no decorator) ="
            f" {(ov - results[('none', label)]) / max(ours - results[('none', label)], 1e-9):.0f}x"
        )
    print()
    print("Module size: extra us per method of ours over typing_extensions (Protocol, 5 hooks)")
    for classes in (10, 200):
        ours = per_method_us("@oc_override", "Protocol", PROTOCOL_HOOKS, classes)
        te = per_method_us("@te_override", "Protocol", PROTOCOL_HOOKS, classes)
        print(
            f"  {classes:>4} classes: ours {ours:.2f}, typing_extensions {te:.2f},"
            f" extra {ours - te:.2f}"
        )
    print()
    same_kind, plain_ns, ours_ns = call_overhead()
    print(
        "Per call: class attribute is a plain function with ours:"
        f" {same_kind}; dataReceived call {plain_ns:.0f} ns undecorated vs {ours_ns:.0f} ns"
        " with @override (0 overhead: same kind of object, no wrapper)"
    )
    print()
    print(
        f"python -X importtime -c 'import overridecheck': {import_time_us()} us cumulative"
        " (bytecode cached; includes typing and re)"
    )
    print(f"heavy modules after `import overridecheck`: {heavy_modules_after_import()[0]}")


if __name__ == "__main__":
    main()

"""How much does the runtime ``@override`` cost?  (A benchmark, not a test.)

Run:  .venv/bin/python bench/runtime_speed.py [--rounds N]

Prints, in one run:

* microseconds per decorated method at class creation for no decorator,
  ``typing_extensions.override``, ``overrides.overrides`` and ``overridecheck.override``, on
  Twisted ``Protocol`` subclasses with N hooks (class bodies are real ``class`` statements,
  compiled once and executed repeatedly);
* the extra cost of ours over ``typing_extensions.override``, in microseconds per decorated
  method, on both paths -- ``class`` statements and ``type(name, bases, ns)`` calls -- in modules
  of 10, 50, 100 and 200 classes (it must stay flat: nothing grows with the module);
* the per-call overhead (zero: the class attribute is the very function that was decorated);
* the import time of ``overridecheck`` from ``python -X importtime``.

Timings are the best of ``--rounds`` rounds (default 30) in which the variants take turns,
each after a ``gc.collect()``: on a shared virtual machine the minimum is the least disturbed
measurement, and taking turns spreads a slow spell over all of them alike.  Twisted is imported,
so zope.interface is loaded, as in any Twisted program.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
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
    "typing_extensions.override": "te_override",
    "overrides.overrides": "overrides",
    "overridecheck.override": "oc_override",
}
MODULE_SIZES = (10, 50, 100, 200)
TARGET_US = 1.0


class Wide(Protocol):
    """A Protocol subclass with 20 more hooks, for wider classes."""


for _name in WIDE_HOOKS:
    exec(f"def {_name}(self, a, b=None): pass", globals())
    setattr(Wide, _name, globals().pop(_name))


def class_source(decorator: str, base: str, hooks: Mapping[str, str], classes: int) -> str:
    """A module of ``classes`` class statements, each defining ``hooks`` under ``decorator``."""
    lines = []
    for c in range(classes):
        lines.append(f"class C{c}({base}):")
        for name, params in hooks.items():
            if decorator:
                lines.append(f"    @{decorator}")
            lines.append(f"    def {name}({params}): pass")
    return "\n".join(lines) + "\n"


def type_source(decorator: str, base: str, hooks: Mapping[str, str], classes: int) -> str:
    """The same classes made by ``type(name, bases, ns)`` calls (functions defined once)."""
    lines = [f"def {name}({params}): pass" for name, params in hooks.items()]
    for c in range(classes):
        items = ", ".join(
            f"{name!r}: {decorator}({name})" if decorator else f"{name!r}: {name}" for name in hooks
        )
        lines.append(f"C{c} = type('C{c}', ({base},), {{{items}}})")
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


def best_seconds(
    sources: Mapping[str, str], rounds: int, budget: float = 0.005
) -> dict[str, float]:
    """Best time to execute each compiled module once; the modules take turns each round."""
    codes = {key: compile(source, f"<bench {key}>", "exec") for key, source in sources.items()}
    ns = namespace()
    loops: dict[str, int] = {}
    for key, code in codes.items():  # warm up, and size the loops to about ``budget`` seconds
        n = 1
        while True:
            start = time.perf_counter()
            for _ in range(n):
                exec(code, dict(ns))
            if time.perf_counter() - start > budget or n >= 1 << 16:
                break
            n *= 2
        loops[key] = n
    best = dict.fromkeys(codes, float("inf"))
    for _ in range(rounds):
        for key, code in codes.items():
            n = loops[key]
            gc.collect()
            start = time.perf_counter()
            for _ in range(n):
                exec(code, dict(ns))
            best[key] = min(best[key], (time.perf_counter() - start) / n)
    return best


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


def heavy_modules_after_import() -> str:
    code = (
        "import sys, overridecheck\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'libcst', 'twisted', 'zope', 'typing_extensions'}))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return run.stdout.strip()


def call_overhead() -> tuple[bool, float, float]:
    ns = namespace()
    exec(class_source("", "Protocol", PROTOCOL_HOOKS, 1), ns)
    plain = ns["C0"]
    ns = namespace()
    exec(class_source("oc_override", "Protocol", PROTOCOL_HOOKS, 1), ns)
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


def per_decorator(rounds: int) -> None:
    print("Class creation, microseconds per method (class statements, 50 classes per module)")
    shapes = [
        ("Protocol, 5 hooks", "Protocol", PROTOCOL_HOOKS),
        ("Wide(Protocol), 20 hooks", "Wide", WIDE_HOOKS),
    ]
    results: dict[tuple[str, str], float] = {}
    fast = {
        f"{name}|{label}": (class_source(decorator, base, hooks, 50), len(hooks))
        for label, base, hooks in shapes
        for name, decorator in DECORATORS.items()
        if name != "overrides.overrides"
    }
    # overrides.overrides is about 1000 times slower: a few rounds suffice.
    slow = {
        f"overrides.overrides|{label}": (class_source("overrides", base, hooks, 50), len(hooks))
        for label, base, hooks in shapes
    }
    for group, group_rounds in ((fast, rounds), (slow, min(rounds, 3))):
        seconds = best_seconds({key: source for key, (source, _) in group.items()}, group_rounds)
        for key, value in seconds.items():
            name, label = key.split("|")
            results[(name, label)] = value / (50 * group[key][1]) * 1e6
    print(f"{'decorator':<28}" + "".join(f"{label:>28}" for label, _, _ in shapes))
    for name in DECORATORS:
        row = "".join(f"{results[(name, label)]:>28.2f}" for label, _, _ in shapes)
        print(f"{name:<28}{row}")
    for label, _, _ in shapes:
        none = results[("none", label)]
        ours = results[("overridecheck.override", label)]
        te = results[("typing_extensions.override", label)]
        ov = results[("overrides.overrides", label)]
        print(
            f"  {label}: ours - typing_extensions = {ours - te:.2f} us/method;"
            f" overrides.overrides / ours (over no decorator) ="
            f" {(ov - none) / max(ours - none, 1e-9):.0f}x"
        )


def module_sizes(rounds: int) -> float:
    """Print the extra cost per path and module size; return the largest."""
    print(
        "Extra us per decorated method of overridecheck.override over"
        " typing_extensions.override (Protocol, 5 hooks)"
    )
    makers = {"class": class_source, "type": type_source}
    sources = {
        (classes, path, decorator): make(decorator, "Protocol", PROTOCOL_HOOKS, classes)
        for classes in MODULE_SIZES
        for path, make in makers.items()
        for decorator in ("te_override", "oc_override")
    }
    # All sizes and paths take turns in every round, so a slow spell hits them all alike.
    keys = {" ".join(map(str, key)): key for key in sources}
    seconds = best_seconds({name: sources[key] for name, key in keys.items()}, rounds)
    us = {}
    for name, value in seconds.items():
        key = keys[name]
        us[key] = value / (key[0] * len(PROTOCOL_HOOKS)) * 1e6  # key[0]: classes per module
    print(
        f"{'classes per module':>18}  {'class statements':>18}  {'type(name, bases, ns)':>22}"
        f"  {'typing_extensions (class / type)':>34}"
    )
    worst = 0.0
    for classes in MODULE_SIZES:
        extra = {
            path: us[(classes, path, "oc_override")] - us[(classes, path, "te_override")]
            for path in makers
        }
        worst = max(worst, *extra.values())
        te_class, te_type = (us[(classes, path, "te_override")] for path in makers)
        baseline = f"{te_class:.2f} / {te_type:.2f}"
        print(f"{classes:>18}  {extra['class']:>18.2f}  {extra['type']:>22.2f}  {baseline:>34}")
    verdict = "met" if worst <= TARGET_US else "NOT met"
    print(f"  largest extra: {worst:.2f} us/method; target <= {TARGET_US:.2f}: {verdict}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=30, help="rounds per timing (default 30)")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, overridecheck {overridecheck.__version__}")
    print()
    per_decorator(args.rounds)
    print()
    module_sizes(args.rounds)
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
    print(f"heavy modules after `import overridecheck`: {heavy_modules_after_import()}")


if __name__ == "__main__":
    main()

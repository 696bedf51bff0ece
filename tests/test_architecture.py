"""Architecture rules checked on the source itself: no import cycles, a runtime without the linter.

The import graph is read statically with ``ast`` (nothing is imported). Every ``import`` and
``from ... import`` counts, including those inside functions (a lazy import that dodges a cycle
at import time is still a cycle in the design), except those under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = "overridecheck"

#: Modules that ``import overridecheck`` and the runtime decorator must never load.
#: ``zope`` and ``typing_extensions`` too: the README promises only the standard library.
FORBIDDEN_AT_RUNTIME = (
    "overridecheck.lint",
    "overridecheck.cli",
    "overridecheck.fixit",
    "libcst",
    "twisted",
    "fixit",
    "zope",
    "typing_extensions",
)

#: Cap on the elementary cycles listed per strongly connected component.
MAX_CYCLES_PER_COMPONENT = 200

Graph = dict[str, set[str]]


# ------------------------------------------------------------------ the graph builder


def _module_name(path: Path, src_root: Path) -> str:
    """``src/pkg/sub/__init__.py`` -> ``pkg.sub``; ``src/pkg/sub/m.py`` -> ``pkg.sub.m``."""
    parts = list(path.relative_to(src_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    """Whether an ``if`` test is ``TYPE_CHECKING`` or ``<something>.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of ``tree`` that can run, at any depth (functions included).

    The body of ``if TYPE_CHECKING:`` (and the ``else`` of ``if not TYPE_CHECKING:``) is
    skipped; the other branch runs and is kept.
    """
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If):
            test = node.test
            stack.append(test)
            if _is_type_checking(test):
                stack.extend(node.orelse)
                continue
            if (
                isinstance(test, ast.UnaryOp)
                and isinstance(test.op, ast.Not)
                and _is_type_checking(test.operand)
            ):
                stack.extend(node.body)
                continue
        stack.extend(ast.iter_child_nodes(node))


def _longest_known(name: str, modules: Collection[str]) -> Optional[str]:
    """The longest prefix of dotted ``name`` (itself included) that is one of ``modules``."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: set[str]
) -> set[str]:
    """The modules of ``modules`` that one import statement in ``module`` imports."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            target = _longest_known(alias.name, modules)
            if target is not None:
                found.add(target)
        return found
    if node.level:
        # Relative: level 1 is the module's own package (the module itself for an __init__).
        base_parts = module.split(".") if is_package else module.split(".")[:-1]
        drop = node.level - 1
        if drop >= len(base_parts):
            return found  # beyond the top-level package: an error at runtime, not our edge
        base_parts = base_parts[: len(base_parts) - drop]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    for alias in node.names:
        submodule = f"{base}.{alias.name}" if base else alias.name
        if alias.name != "*" and submodule in modules:
            found.add(submodule)  # `from pkg import mod`: the module itself
        else:
            target = _longest_known(base, modules)  # `from pkg import name`: the package
            if target is not None:
                found.add(target)
    return found


def build_import_graph(src_root: Path, package: str) -> Graph:
    """The import graph of every module of ``package`` found under ``src_root``.

    Nodes are dotted module names (a package stands for its ``__init__.py``); an edge
    ``a -> b`` means module ``a`` contains a statement, not under ``if TYPE_CHECKING:``,
    that imports ``b``. ``from p import x`` imports ``p.x`` when that is a module, otherwise
    ``p``. Only edges between modules of ``package`` are kept.
    """
    paths = {
        _module_name(path, src_root): path
        for path in sorted((src_root / package).rglob("*.py"))
        if "__pycache__" not in path.parts
    }
    modules = set(paths)
    graph: Graph = {name: set() for name in modules}
    for name, path in paths.items():
        tree = ast.parse(path.read_bytes(), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in _runtime_imports(tree):
            graph[name] |= _targets(node, name, is_package, modules)
    return graph


def strongly_connected_components(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; each component sorted, components in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return sorted(components)


def _elementary_cycles(
    graph: Mapping[str, Iterable[str]], component: list[str], limit: int
) -> list[list[str]]:
    """The elementary cycles within one component, each starting at its smallest module."""
    members = set(component)
    cycles: list[list[str]] = []
    for start in component:  # sorted: a cycle is found once, from its smallest node
        allowed = {m for m in members if m >= start}
        path = [start]
        on_path = {start}
        work: list[Iterator[str]] = [iter(sorted(set(graph[start]) & allowed))]
        while work:
            for succ in work[-1]:
                if succ == start:
                    cycles.append(list(path))
                    if len(cycles) >= limit:
                        return cycles
                elif succ not in on_path:
                    path.append(succ)
                    on_path.add(succ)
                    work.append(iter(sorted(set(graph[succ]) & allowed)))
                    break
            else:
                work.pop()
                on_path.discard(path.pop())
    return cycles


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every import cycle: the elementary cycles of each component of more than one module,
    and each self-import, as module lists (the first module is not repeated at the end)."""
    cycles: list[list[str]] = []
    for component in strongly_connected_components(graph):
        if len(component) > 1 or component[0] in graph[component[0]]:
            cycles.extend(_elementary_cycles(graph, component, MAX_CYCLES_PER_COMPONENT))
    return cycles


def format_cycle(cycle: list[str]) -> str:
    """``["a", "b"]`` -> ``"a -> b -> a"``."""
    return " -> ".join([*cycle, cycle[0]])


def reachable(graph: Mapping[str, Iterable[str]], start: str) -> set[str]:
    """The modules ``start`` imports directly or indirectly (``start`` included)."""
    seen = {start}
    todo = [start]
    while todo:
        for succ in graph[todo.pop()]:
            if succ not in seen:
                seen.add(succ)
                todo.append(succ)
    return seen


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN_AT_RUNTIME)


# ------------------------------------------------------------------ the rules


def test_no_import_cycles() -> None:
    graph = build_import_graph(SRC, PACKAGE)
    assert "overridecheck.lint.engine" in graph  # the builder saw the package
    components = [
        c for c in strongly_connected_components(graph) if len(c) > 1 or c[0] in graph[c[0]]
    ]
    if components:
        lines = [f"{len(components)} import cycle component(s):"]
        for component in components:
            lines.append(f"  component: {', '.join(component)}")
            for cycle in _elementary_cycles(graph, component, MAX_CYCLES_PER_COMPONENT):
                lines.append(f"    {format_cycle(cycle)}")
        pytest.fail("\n".join(lines), pytrace=False)


def test_runtime_does_not_import_linter() -> None:
    code = textwrap.dedent(
        """\
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import overridecheck
        from overridecheck import OverrideError, check_class, override

        class Base:
            def greet(self, name):
                return name

        class Child(Base):
            @override
            def greet(self, name):
                return name.upper()

        class Unmarked(Base):
            def gret(self, name):  # a near miss: check_class loads the audit tables
                return name

        assert Child().greet("a") == "A"
        assert check_class(Child) == []
        assert [e.name for e in check_class(Unmarked)] == ["gret"]
        try:
            class Typo(Base):
                @override
                def gret(self, name):
                    return name
        except (OverrideError, RuntimeError) as error:
            assert "greet" in str(error.__cause__ or error)
        else:
            raise AssertionError("no OverrideError")
        print(json.dumps(sorted(sys.modules)))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(SRC)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout)
    assert "overridecheck._runtime" in loaded
    assert [m for m in loaded if _forbidden(m)] == []

    graph = build_import_graph(SRC, PACKAGE)
    assert "overridecheck._runtime" in reachable(graph, PACKAGE)
    assert sorted(m for m in reachable(graph, PACKAGE) if _forbidden(m)) == []


# ------------------------------------------------------------------ the builder itself


def _write(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_graph_builder_finds_lazy_cycle_and_skips_type_checking(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": """\
                import typing
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from pkg.c import C  # type-only back edge: no cycle with c
                if typing.TYPE_CHECKING:
                    from . import c
                else:
                    import json  # the runtime branch counts (outside pkg: no edge)


                def lazy():
                    from . import b  # inside a function: still an edge

                    return b
                """,
            "pkg/b.py": "import pkg.a\n",
            "pkg/c.py": "from pkg import a\n\n\nclass C:\n    pass\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/d.py": "from ..c import C\nfrom pkg.sub import VALUE\nimport os\n",
        },
    )
    graph = build_import_graph(tmp_path, "pkg")
    assert graph == {
        "pkg": set(),
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.a"},
        "pkg.c": {"pkg.a"},
        "pkg.sub": set(),
        "pkg.sub.d": {"pkg.c", "pkg.sub"},
    }
    assert [format_cycle(c) for c in find_cycles(graph)] == ["pkg.a -> pkg.b -> pkg.a"]


def test_graph_builder_reports_package_init_cycles_and_self_imports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.m import helper\nVALUE = 1\n",
            "pkg/m.py": "from pkg import VALUE\n\n\ndef helper():\n    return VALUE\n",
            "pkg/s.py": "def f():\n    from pkg import s\n",
        },
    )
    graph = build_import_graph(tmp_path, "pkg")
    assert [format_cycle(c) for c in find_cycles(graph)] == [
        "pkg -> pkg.m -> pkg",
        "pkg.s -> pkg.s",
    ]


def test_cycle_listing_covers_every_elementary_cycle() -> None:
    graph = {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected_components(graph) == [["a", "b", "c"], ["d"]]
    assert sorted(format_cycle(c) for c in find_cycles(graph)) == [
        "a -> b -> a",
        "a -> b -> c -> a",
        "a -> c -> a",
    ]


def test_records_filled_at_once_behave_as_frozen_dataclasses() -> None:
    # The summaries' records get a faster __init__: same signature and defaults as the one
    # dataclasses writes, and still frozen, comparable, hashable and picklable.
    import dataclasses
    import inspect
    import pickle

    from overridecheck.lint import model

    for cls in (model.FunctionSummary, model.ClassSummary, model.ImportTarget, model.Binding):
        plain = dataclasses.make_dataclass(
            cls.__name__,
            [
                (f.name, f.type, dataclasses.field(default=f.default))
                for f in dataclasses.fields(cls)
            ],
            frozen=True,
        )

        def shape(init: object) -> list[tuple[str, object, object]]:
            params = inspect.signature(init).parameters.values()  # type: ignore[arg-type]
            return [(p.name, p.default, p.kind) for p in params]

        assert shape(cls.__init__) == shape(plain.__init__)
    target = model.ImportTarget("pkg", name="Base")
    assert target == model.ImportTarget("pkg", "Base") and hash(target) == hash(
        model.ImportTarget(module="pkg", name="Base")
    )
    assert model.Binding("import").line == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.name = "Other"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(target)) == target

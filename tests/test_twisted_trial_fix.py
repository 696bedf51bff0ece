"""The pure helpers of bench/twisted_trial_fix.py (the bench itself runs Twisted's suite three
times: not for CI)."""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from conftest import write_tree

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # it imports its sibling seeded_typos
    try:
        spec = importlib.util.spec_from_file_location(
            "twisted_trial_fix", BENCH / "twisted_trial_fix.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_src_dir_of_accepts_a_checkout_its_src_or_the_package(
    bench: ModuleType, tmp_path: Path
) -> None:
    pkg = tmp_path / "Twisted" / "src" / "twisted"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    src = str(pkg.parent)
    assert bench.src_dir_of(str(tmp_path / "Twisted")) == src
    assert bench.src_dir_of(src) == src
    assert bench.src_dir_of(str(pkg)) == src
    assert bench.src_dir_of(str(tmp_path)) is None


def _body(source: str) -> list[ast.stmt]:
    fn = ast.parse(source).body[0]
    assert isinstance(fn, ast.FunctionDef)
    return fn.body


@pytest.mark.parametrize(
    ("source", "trivial"),
    [
        ("def f(self):\n    pass\n", True),
        ("def f(self):\n    '''Override me.'''\n", True),
        ("def f(self):\n    ...\n", True),
        ("def f(self):\n    return None\n", True),
        ("def f(self):\n    raise NotImplementedError()\n", True),
        ("def f(self):\n    raise NotImplementedError\n", True),
        ("def f(self):\n    return 1\n", False),
        ("def f(self):\n    self.x = 1\n", False),
        ("def f(self):\n    raise ValueError()\n", False),
    ],
)
def test_trivial_body(bench: ModuleType, source: str, trivial: bool) -> None:
    assert bench.trivial_body(_body(source)) is trivial


def test_class_scope_names_are_the_class_body_s_own(bench: ModuleType) -> None:
    cls = ast.parse(
        "class Page(Resource):\n"
        "    def render_GET(self, request, x=DEFAULT):\n"
        "        return render_POST\n"  # inside a method: the class scope is not seen
        "    render_HEAD = render_GET\n"
        "    @helper.wraps\n"
        "    def other(self):\n"
        "        pass\n"
    ).body[0]
    assert isinstance(cls, ast.ClassDef)
    assert bench.class_scope_names(cls) == {"DEFAULT", "render_GET", "helper"}


def test_outcomes_counts_and_comparison(bench: ModuleType) -> None:
    lines = [
        json.dumps(["a.T.test_1", "passed", 0.1]),
        json.dumps(["a.T.test_2", "failed", 0.2]),
        json.dumps(["a.T.test_2", "error", 0.2]),  # a failure, then a dirty reactor
        json.dumps(["a.T.test_3", "skipped"]),  # no duration: older lines
        "",
    ]
    got = bench.collect_outcomes(lines)
    assert got == {
        "a.T.test_1": ("passed",),
        "a.T.test_2": ("error", "failed"),
        "a.T.test_3": ("skipped",),
    }
    assert bench.tally(got) == Counter({"passed": 1, "error": 1, "skipped": 1})
    after = {**got, "a.T.test_1": ("error",), "a.T.test_4": ("passed",)}
    del after["a.T.test_3"]
    diffs = bench.compare(got, after)
    assert diffs == [
        ("a.T.test_1", ("passed",), ("error",)),
        ("a.T.test_3", ("skipped",), ()),
        ("a.T.test_4", (), ("passed",)),
    ]
    assert bench.transitions(diffs) == Counter(
        {"passed -> error": 1, "skipped -> absent": 1, "absent -> passed": 1}
    )
    assert bench.slow_tests(lines, 0.15) == [("a.T.test_2", 0.2)]


def test_a_difference_counts_when_the_reruns_confirm_it(bench: ModuleType) -> None:
    ok, err = ("passed",), ("error",)
    assert bench.confirmed([ok, ok, ok], [err, err, ok])
    assert not bench.confirmed([ok, ok, ok], [ok, ok, ok])  # a first-run flake
    assert not bench.confirmed([ok, err, ok], [ok, ok, err])
    assert bench.most_common([]) == ()


DIFF = """\
diff --git a/src/twisted/web/x.py b/src/twisted/web/x.py
index 1..2 100644
--- a/src/twisted/web/x.py
+++ b/src/twisted/web/x.py
@@ -3 +3 @@ class Page(Resource):
-    def render_gte(self, request):
+    def render_GET(self, request):
@@ -10,0 +11 @@ class Page(Resource):
+from typing_extensions import override
diff --git a/src/twisted/y.py b/src/twisted/y.py
--- a/src/twisted/y.py
+++ b/src/twisted/y.py
@@ -7 +7 @@
-    persistanceVersion = 2
+    persistenceVersion = 2
"""


def test_changed_lines(bench: ModuleType) -> None:
    x, y = "src/twisted/web/x.py", "src/twisted/y.py"
    assert bench.changed_lines(DIFF) == [
        (x, 3, "    def render_gte(self, request):", "    def render_GET(self, request):"),
        (x, 10, "", "from typing_extensions import override"),  # added after line 10
        (y, 7, "    persistanceVersion = 2", "    persistenceVersion = 2"),
    ]


def _seed(bench: ModuleType, rel: str, line: int, method: str, typo: str) -> object:
    site = bench.Site(
        rel=rel,
        cls="Page",
        method=method,
        line=line,
        group="render",
        provider="",
        class_key=("m", "Page"),
        mro_keys=frozenset({("m", "Page")}),
        taken=frozenset(),
    )
    return bench.Seed(site, "transposition", typo)


def test_seed_status_and_edit_classes(bench: ModuleType) -> None:
    rel = "src/twisted/web/x.py"
    seed = _seed(bench, rel, 2, "render_GET", "render_GTE")
    pristine = "class Page(Resource):\n    def render_GET(self, request):\n        pass\n"
    seeded = pristine.replace("render_GET", "render_GTE")
    assert bench.seed_status(seed, pristine, pristine) == "reverted"
    assert bench.seed_status(seed, pristine, seeded) == "seeded"
    other = pristine.replace("render_GET", "render_PUT")
    assert bench.seed_status(seed, pristine, other) == "renamed otherwise"

    revert = (rel, 2, "    def render_GTE(self, request):", "    def render_GET(self, request):")
    upstream = ("src/twisted/y.py", 7, "    persistanceVersion = 2", "    persistenceVersion = 2")
    stray = ("src/twisted/z.py", 1, "a", "b")
    reverts, base, others = bench.classify_edits(
        [revert, upstream, stray], [seed], {seed: "reverted"}, [upstream]
    )
    assert (reverts, base, others) == ([revert], [upstream], [stray])
    # a seed renamed to something else is no revert
    assert bench.classify_edits([revert], [seed], {seed: "renamed otherwise"}, [])[2] == [revert]
    # from the baseline, only the seeds left as seeded may differ
    diff = (
        f"--- a/{rel}\n+++ b/{rel}\n@@ -2 +2 @@\n"
        "-    def render_GET(self, request):\n+    def render_GTE(self, request):\n"
    )
    assert bench.stray_edits(diff, [seed], {seed: "seeded"}) == []
    assert len(bench.stray_edits(diff, [seed], {seed: "reverted"})) == 1


def test_seeds_are_deterministic_mixed_and_unrelated(bench: ModuleType) -> None:
    def site(i: int, method: str, group: str, related_to: int = -1) -> object:
        key = ("m", f"C{i}")
        mro = {key} | ({("m", f"C{related_to}")} if related_to >= 0 else set())
        return bench.Site(
            rel=f"src/twisted/web/f{i}.py",
            cls=f"C{i}",
            method=method,
            line=10,
            group=group,
            provider="",
            class_key=key,
            mro_keys=frozenset(mro),
            taken=frozenset({method, "setUp"}),
        )

    sites = [
        *(site(i, "dataReceived", "protocol") for i in range(6)),
        *(site(10 + i, "setUp", "test") for i in range(6)),
        site(20, "render_GET", "render"),
        site(21, "lineReceived", "protocol", related_to=0),  # a subclass of C0
    ]
    words = frozenset({"dataRecieved"})  # already in the tree: never a typo to seed
    rejected: Counter[str] = Counter()
    groups = ("test", "protocol", "render")
    seeds = bench.choose_seeds(sites, 12, 7, words, groups, rejected)
    again = bench.choose_seeds(sites, 12, 7, words, groups, Counter())
    assert [(s.site.cls, s.typo) for s in seeds] == [(s.site.cls, s.typo) for s in again]
    assert len(seeds) == 12
    assert all(s.typo != s.site.method and s.typo != "dataRecieved" for s in seeds)
    assert len({s.kind for s in seeds}) >= 6  # the least used kind first
    assert Counter(s.site.group for s in seeds)["render"] == 1
    classes = {s.site.cls for s in seeds}
    assert not {"C0", "C21"} <= classes  # related by inheritance: not both


def test_a_site_whose_fix_a_subclass_makes_unsafe_is_not_seeded(
    bench: ModuleType, tmp_path: Path
) -> None:
    from overridecheck.lint.modules import ModuleFinder
    from overridecheck.lint.resolve import Resolver

    base_source = (
        "class Proto:\n"
        "    def connectionLost(self, reason): pass\n"
        "    def dataReceived(self, data): pass\n"
        "class Mixin:\n"
        "    def connectionMade(self): pass\n"
        "class Wrapper(Proto):\n"
        "    def connectionLost(self, reason): pass\n"
        "    def dataReceived(self, data): pass\n"
        "    def connectionMade(self): pass\n"
    )
    sub_source = (
        "from pkg.base import Wrapper, Mixin\n"
        "class Sub(Wrapper):\n"
        "    def connectionLost(self, reason):\n"
        "        super().connectionLost(reason)\n"
        "class Other(Wrapper, Mixin): pass\n"
    )
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/base.py": base_source, "pkg/sub.py": sub_source}
    )
    summaries = bench._summaries(str(tmp_path))
    resolver = Resolver(ModuleFinder([str(tmp_path)]), {s.module: s for s in summaries}, None)
    index = bench.subclass_index(resolver, summaries)
    base = next(s for s in summaries if s.module == "pkg.base")
    wrapper = next(c for c in resolver.classes(base) if c.name == "Wrapper")
    subs = index[bench._key(wrapper)]
    assert sorted(c.name for c in subs) == ["Other", "Sub"]
    # `Sub.connectionLost`'s super() would reach another method
    assert "defines the name" in bench.subclass_reason(wrapper, "connectionLost", subs)
    # `Other` gets `connectionMade` from `Mixin` once `Wrapper`'s is misspelt
    assert "another base" in bench.subclass_reason(wrapper, "connectionMade", subs)
    assert bench.subclass_reason(wrapper, "dataReceived", subs) is None


def test_the_reporter_plugin_compiles(bench: ModuleType, tmp_path: Path) -> None:
    bench.write_reporter(str(tmp_path))
    for path in (tmp_path / "oc_bench_trial_reporter.py", tmp_path / "twisted" / "plugins"):
        for f in [path] if path.is_file() else sorted(path.glob("*.py")):
            compile(f.read_text(encoding="utf-8"), str(f), "exec")
    assert not (tmp_path / "twisted" / "plugins" / "__init__.py").exists()  # a drop-in

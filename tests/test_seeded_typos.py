"""Seeded typos (bench/seeded_typos.py) on a committed fixture project and a corpus sample.

Every real override of a Twisted hook in ``tests/fixtures/seeded`` is renamed to realistic
typos (deletion, transposition, doubled letter, wrong case, snake_case, ``ie``/``ei``); the
linter must report >= 95% of them and suggest the original name first >= 95% of the time,
including classes whose Twisted base is reached through another module of the project.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from overridecheck.lint.engine import check_files

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "seeded"
BENCH = HERE.parent / "bench" / "seeded_typos.py"
SEED = 20240601
CORPUS_PROJECTS = ("klein", "treq")
# The corpus sample is small (a few misses move it by points): a regression floor, while the
# 95% acceptance is measured on the whole corpus by `python bench/seeded_typos.py`.
CORPUS_FLOOR = 0.90


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("seeded_typos", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and process pools look it up by name
    spec.loader.exec_module(module)
    return module


st = _load_bench()


def _rates(outcomes: list[Any]) -> tuple[float, float, int]:
    counted = [o for o in outcomes if o.mutation.kind in st.KINDS]
    n = len(counted)
    assert n > 0
    return (
        sum(o.detected for o in counted) / n,
        sum(o.first_ok for o in counted) / n,
        n,
    )


def _details(outcomes: list[Any]) -> str:
    lines: list[str] = []
    st.report(outcomes, lines)
    lines.extend(b for b in st.misses(outcomes) if "[info]" not in b)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def fixture_run() -> tuple[list[Any], Any]:
    files = st.py_files(str(FIXTURE))
    outcomes, scan, _, _ = st.evaluate(
        [("fixture", str(FIXTURE), files)], sites=None, seed=SEED, jobs=1
    )
    return outcomes, scan


def test_typo_generator_kinds() -> None:
    import random

    got = st.typos("dataReceived", random.Random(0))
    assert got["case-first"] == "DataReceived"
    assert got["all-lower"] == "datareceived"
    assert got["snake_case"] == "data_received"
    assert got["ie/ei"] == "dataReceievd" or got["ie/ei"] == "dataRecieved"
    assert len(got["deletion"]) == len("dataReceived") - 1
    assert len(got["doubled"]) == len("dataReceived") + 1
    assert sorted(got["transposition"].lower()) == sorted("datareceived")
    assert st.typos("_doRead", random.Random(0))["case-first"] == "_DoRead"


def test_fixture_sites_cover_cross_module_bases(fixture_run: tuple[list[Any], Any]) -> None:
    _, scan = fixture_run
    assert not scan.excluded, scan.excluded
    via = {(s.cls, s.method) for s in scan.sites if s.via_module}
    # relative import, `__init__` re-export, `import pkg.mod` attribute, two hops, subpackage
    assert ("Echo", "dataReceived") in via
    assert ("Chat", "lineLengthExceeded") in via
    assert ("Worker", "stopService") in via
    assert ("LoudEcho", "connectionMade") in via
    assert ("Prompt", "lineReceived") in via
    direct = {(s.cls, s.method) for s in scan.sites if not s.via_module}
    assert ("BaseProto", "connectionMade") in direct
    assert ("Producer", "resumeProducing") in direct  # a Twisted interface
    assert len(scan.sites) >= 25


def test_fixture_recall_and_first_suggestion(fixture_run: tuple[list[Any], Any]) -> None:
    outcomes, _ = fixture_run
    recall, first, n = _rates(outcomes)
    assert n >= 150
    assert recall >= st.THRESHOLD and first >= st.THRESHOLD, _details(outcomes)
    via = [o for o in outcomes if o.mutation.site.via_module]
    via_recall, via_first, _ = _rates(via)
    assert via_recall >= st.THRESHOLD and via_first >= st.THRESHOLD, _details(via)


def test_linting_one_file_resolves_bases_in_sibling_modules(tmp_path: Path) -> None:
    """Only the mutated file is linted; its base in another module is found on the path."""
    copy = tmp_path / "seeded"
    shutil.copytree(FIXTURE, copy)
    impl = copy / "seededpkg" / "impl.py"
    text = impl.read_text()
    impl.write_text(text.replace("def lineLengthExceeded", "def lineLenghtExceeded"))
    result = check_files([str(impl)])
    line = text[: text.index("def lineLengthExceeded")].count("\n") + 1
    found = [d for d in result.diagnostics if d.line == line]
    assert [d.code for d in found] == ["OC101"], result.diagnostics
    assert found[0].suggestion == "lineLengthExceeded"


def _corpus() -> Path:
    env = os.environ.get("OC_CORPUS")
    base = Path(env) if env else Path.home() / ".cache" / "overridecheck-corpus"
    return base / "src"


def test_corpus_sample() -> None:
    corpus = _corpus()
    present = [p for p in CORPUS_PROJECTS if (corpus / p).is_dir()]
    if not present:
        pytest.skip(
            f"corpus not downloaded at {corpus} (run `bash /work/shared/corpus/get-corpus.sh`)"
        )
    projects = [p for p in st.corpus_projects(str(corpus)) if p[0] in present]
    outcomes, scan, _, n_sites = st.evaluate(projects, sites=10, seed=SEED, jobs=1)
    assert n_sites == 10, scan.excluded
    recall, first, _ = _rates(outcomes)
    assert recall >= CORPUS_FLOOR and first >= CORPUS_FLOOR, _details(outcomes)

"""`[tool.overridecheck]`: discovery, validation and rule selection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_tree

from overridecheck.lint.config import (
    ConfigError,
    Layer,
    PerFileIgnores,
    find_config,
    load_config,
    resolve_selection,
)

KNOWN = ["OC101", "OC102", "OC103"]
DEFAULTS = {"OC101": True, "OC102": False, "OC103": True}


def test_find_nearest_with_table(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.overridecheck]\nselect = ['OC101']\n",
            "sub/pyproject.toml": "[project]\nname = 'x'\n",  # no table: keep walking up
            "sub/deeper/a.py": "",
        },
    )
    assert find_config(str(tmp_path / "sub" / "deeper")) == str(tmp_path / "pyproject.toml")
    assert find_config(str(tmp_path / "sub" / "missing" / "x.py")) == str(
        tmp_path / "pyproject.toml"
    )


def test_load_all_keys(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.overridecheck]\n"
                "select = ['oc1']\n"
                "extend-select = ['OC102']\n"
                "ignore = ['OC103']\n"
                "exclude = ['gen/']\n"
                "extend-exclude = ['legacy']\n"
                "python = 'venv/bin/python'\n"
                "[tool.overridecheck.per-file-ignores]\n"
                "'tests/*' = ['OC101']\n"
            )
        },
    )
    cfg = load_config(str(tmp_path / "pyproject.toml"), KNOWN)
    assert cfg.select == ("OC1",)
    assert cfg.extend_select == ("OC102",)
    assert cfg.ignore == ("OC103",)
    assert cfg.exclude == ("gen/",)
    assert cfg.extend_exclude == ("legacy",)
    assert cfg.per_file_ignores == (("tests/*", ("OC101",)),)
    assert cfg.python == os.path.join(str(tmp_path), "venv/bin/python")
    assert cfg.root == str(tmp_path)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("select = 'OC101'", "`select` must be a list of strings"),
        ("ignore = [1]", "`ignore` must be a list of strings"),
        (
            "selct = ['OC101']",
            "unknown key `selct` in `[tool.overridecheck]`; did you mean `select`?",
        ),
        ("frobnicate = 1", "unknown key `frobnicate` in `[tool.overridecheck]` (keys: select, "),
        ("select = 'OC101'", "(got str 'OC101')"),
        ("select = ['OC999']", "unknown rule selector `OC999` in `select`"),
        ("per-file-ignores = ['x']", "`per-file-ignores` must be a table"),
        ("per-file-ignores = {'a.py' = ['XX1']}", "unknown rule selector `XX1`"),
        ("python = 3", "`python` must be a non-empty string"),
    ],
)
def test_invalid_config(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.overridecheck]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(path), KNOWN)
    assert expected in str(info.value)
    assert str(info.value).startswith(f"{path}: ")


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.overridecheck]\nselect = [\n\nignore = ]\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(path), KNOWN)
    assert info.value.line is not None
    assert str(info.value).startswith(f"{path}:{info.value.line}: invalid TOML")


def test_no_table_gives_empty_config(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n")
    cfg = load_config(str(path), KNOWN)
    assert cfg.select is None and cfg.ignore == () and cfg.path == str(path)


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([], {"OC101", "OC103"}),
        ([Layer(select=["OC102"])], {"OC102"}),
        ([Layer(extend_select=["OC102"])], {"OC101", "OC102", "OC103"}),
        ([Layer(ignore=["OC1"])], set()),
        ([Layer(select=["ALL"], ignore=["OC103"])], {"OC101", "OC102"}),
        # the more specific selector wins inside a layer
        ([Layer(select=["OC101"], ignore=["OC1"])], {"OC101"}),
        ([Layer(select=["OC1"], ignore=["OC101"])], {"OC102", "OC103"}),
        # a later layer (the command line) overrides an earlier one (the config)
        ([Layer(ignore=["OC101"]), Layer(extend_select=["OC101"])], {"OC101", "OC103"}),
        ([Layer(select=["OC102"]), Layer(select=["OC103"])], {"OC103"}),
        ([Layer(select=["OC102"]), Layer(ignore=["OC102"])], set()),
    ],
)
def test_resolve_selection(layers: list[Layer], expected: set[str]) -> None:
    assert resolve_selection(layers, DEFAULTS) == expected


def test_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pfi = PerFileIgnores(str(tmp_path), [("tests/", ["OC101"]), ("__init__.py", ["OC1"])])
    assert pfi.ignored("tests/test_a.py", "OC101")
    assert not pfi.ignored("tests/test_a.py", "OC102")
    assert pfi.ignored("pkg/sub/__init__.py", "OC103")
    assert not pfi.ignored("pkg/tests.py", "OC101")
    assert pfi.ignored(str(tmp_path / "tests" / "x.py"), "OC101")
    assert not PerFileIgnores(str(tmp_path), [])

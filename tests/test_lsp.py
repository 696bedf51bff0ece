"""`overridecheck server` end to end: a real LSP client (pytest-lsp) over stdio."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Optional

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

PROTO = (
    "from twisted.internet.protocol import Protocol\n"
    "\n"
    "\n"
    "class Echo(Protocol):\n"
    "    def conectionMade(self):\n"
    "        pass\n"
)
BASE = "class Base:\n    def process_item(self, item):\n        pass\n"
CHILD = (
    "from base import Base\n\n\nclass Child(Base):\n    def process_item(self, item):\n"
    "        pass\n"
)
QUIET = "import unittest\n\n\nclass T(unittest.TestCase):\n    def setup(self):\n        pass\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.overridecheck]\n")
    (tmp_path / "base.py").write_text(BASE)
    (tmp_path / "child.py").write_text(CHILD)
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    (quiet / "pyproject.toml").write_text('[tool.overridecheck]\nignore = ["OC101"]\n')
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "overridecheck", "server"])
)
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(project)),
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _until(
    client: LanguageClient, uri: str, done: Callable[[list[types.Diagnostic]], bool]
) -> list[types.Diagnostic]:
    """Wait (a few seconds at most) until the diagnostics published for ``uri`` satisfy
    ``done``."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            got = client.diagnostics.get(uri)
            if got is not None and done(list(got)):
                return list(got)
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), timeout=20)


def _open(client: LanguageClient, path: Path, text: str) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=text
            )
        )
    )
    return uri


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.asyncio
async def test_diagnostics_code_actions_and_changes(client: LanguageClient, project: Path) -> None:
    uri = _open(client, project / "proto.py", PROTO)  # not on disk: the unsaved text
    found = await _until(client, uri, lambda ds: len(ds) > 0)
    (d,) = found
    assert d.code == "OC101" and d.source == "overridecheck"
    assert "`Echo.conectionMade` overrides nothing; did you mean `connectionMade`" in d.message
    assert "overridecheck rule OC101" in d.message
    assert d.range == types.Range(
        start=types.Position(line=4, character=8), end=types.Position(line=4, character=21)
    )

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    assert set(by_title) == {
        "Rename to `connectionMade` (safe fix)",
        "Ignore OC101 on this line (# noqa: OC101)",
    }
    rename = by_title["Rename to `connectionMade` (safe fix)"]
    assert rename.is_preferred and rename.kind == types.CodeActionKind.QuickFix
    assert rename.edit is not None and rename.edit.changes is not None
    (edit,) = rename.edit.changes[uri]
    assert edit.new_text == "connectionMade" and edit.range == d.range
    noqa = by_title["Ignore OC101 on this line (# noqa: OC101)"]
    assert noqa.edit is not None and noqa.edit.changes is not None
    (comment,) = noqa.edit.changes[uri]
    assert comment.new_text == "  # noqa: OC101"
    assert comment.range.start == types.Position(line=4, character=28)

    _change(client, uri, 2, PROTO.replace("conectionMade", "connectionMade"))
    assert await _until(client, uri, lambda ds: ds == []) == []
    _change(client, uri, 3, PROTO.replace("(self):", "(self):  # noqa: OC101"))
    await _until(client, uri, lambda ds: ds == [])
    _change(client, uri, 4, PROTO.replace("conectionMade", "dataRecieved"))
    (d,) = await _until(client, uri, lambda ds: len(ds) == 1)
    assert "did you mean `dataReceived`" in d.message


@pytest.mark.asyncio
async def test_a_base_class_changed_in_another_open_document(
    client: LanguageClient, project: Path
) -> None:
    child = _open(client, project / "child.py", CHILD)
    base = _open(client, project / "base.py", BASE)
    await _until(client, child, lambda ds: ds == [])
    # the base's unsaved rename makes the child's method a near miss of it
    _change(client, base, 2, BASE.replace("process_item", "proces_item"))
    (d,) = await _until(client, child, lambda ds: len(ds) == 1)
    assert d.code == "OC101" and "did you mean `proces_item`" in d.message
    _change(client, base, 3, BASE)
    await _until(client, child, lambda ds: ds == [])


@pytest.mark.asyncio
async def test_the_nearest_config_applies(client: LanguageClient, project: Path) -> None:
    loud = _open(client, project / "loud.py", QUIET)
    quiet = _open(client, project / "quiet" / "t.py", QUIET)
    (d,) = await _until(client, loud, lambda ds: len(ds) == 1)
    assert "did you mean `setUp`" in d.message
    # `ignore = ["OC101"]` in quiet/pyproject.toml
    assert await _until(client, quiet, lambda ds: True) == []


@pytest.mark.asyncio
async def test_an_unsafe_rename_is_labelled(client: LanguageClient, project: Path) -> None:
    text = (
        "from twisted.protocols.basic import LineReceiver\n\n\n"
        "class Chat(LineReceiver):\n    def sendLien(self, line):\n        pass\n"
    )
    uri = _open(client, project / "chat.py", text)
    (d,) = await _until(client, uri, lambda ds: len(ds) == 1)
    assert "(unsafe fix available)" in d.message
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    assert actions is not None
    (rename,) = [a for a in actions if isinstance(a, types.CodeAction) and "Rename" in a.title]
    assert rename.title == "Rename to `sendLine` (unsafe fix)" and not rename.is_preferred


@pytest.mark.asyncio
async def test_save_checks_again_with_the_project_on_disk(
    client: LanguageClient, project: Path
) -> None:
    child = _open(client, project / "child.py", CHILD)
    await _until(client, child, lambda ds: ds == [])
    (project / "base.py").write_text(BASE.replace("process_item", "proces_item"))  # not open
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=child))
    )
    (d,) = await _until(client, child, lambda ds: len(ds) == 1)
    assert "did you mean `proces_item`" in d.message


@pytest.mark.asyncio
async def test_a_burst_of_edits_costs_one_check(client: LanguageClient, project: Path) -> None:
    """Edits in quick succession (keystrokes) are checked once, after they pause: the
    diagnostics published after the burst are those of its last version only."""
    uri = _open(client, project / "burst.py", PROTO)
    await _until(client, uri, lambda ds: len(ds) == 1)
    for version, name in enumerate(["dataR", "dataRe", "dataRec", "dataReci", "dataRecieved"], 2):
        _change(client, uri, version, PROTO.replace("conectionMade", name))
    versions: list[Optional[int]] = []

    async def collect() -> None:
        while not versions or versions[-1] != 6:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if params.uri == uri:
                versions.append(params.version)

    await asyncio.wait_for(collect(), timeout=20)
    assert versions == [6]
    (d,) = client.diagnostics[uri]
    assert "did you mean `dataReceived`" in d.message
    # a code action asked for at once sees the last text, not the one before the edits
    _change(client, uri, 7, PROTO.replace("conectionMade", "connectionLsot"))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = {a.title for a in actions or [] if isinstance(a, types.CodeAction)}
    assert "Rename to `connectionLost` (safe fix)" in titles, titles
    assert not any("dataReceived" in t for t in titles), titles


@pytest.mark.asyncio
async def test_a_syntax_error_is_shown_where_it_is(client: LanguageClient, project: Path) -> None:
    """A document that does not parse gets one error at the bad line (not silence, nor the
    findings of its last good text); once it parses, its findings come back."""
    uri = _open(client, project / "broken.py", PROTO)
    await _until(client, uri, lambda ds: len(ds) == 1)
    _change(client, uri, 2, PROTO.replace("    def conectionMade(self):", "    def oops(self:"))
    (d,) = await _until(client, uri, lambda ds: any("syntax error" in x.message for x in ds))
    assert d.severity == types.DiagnosticSeverity.Error and d.source == "overridecheck"
    assert d.range.start.line == 4 and "The file was not checked." in d.message
    _change(client, uri, 3, PROTO)
    (d,) = await _until(client, uri, lambda ds: len(ds) == 1 and ds[0].code == "OC101")
    assert d.severity == types.DiagnosticSeverity.Warning

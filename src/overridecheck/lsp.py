"""``overridecheck server``: the linter as a language server (LSP over stdio, on pygls).

Install with ``pip install 'overridecheck[lsp]'``.  What it does:

* diagnostics for every open Python document, on open, change and save, from the unsaved
  text: each has its rule code and a second line naming ``overridecheck rule CODE``; a
  document that cannot be checked (a syntax error) gets one error at its line instead;
* every open document is checked again when any open document changes (or is saved or
  closed), so renaming a method of a base class in one editor updates its subclasses' files;
  the open documents are checked together, with the rest of their project as context (as the
  command line does for files given one by one, with the unsaved text of the open ones);
* code actions: the engine's rename fixes, labelled safe or unsafe (the same fixes as
  ``--fix`` and ``--fix --unsafe-fixes``), and a ``# noqa: CODE`` quick fix;
* ``[tool.overridecheck]`` of the nearest ``pyproject.toml`` is read as by the command line
  (rule selection, per-file ignores, the environment, OC107's import), once per document
  check (an edited config applies at the next check).

pygls and lsprotocol are imported only by this module.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from overridecheck._version import __version__
from overridecheck.lint.config import Config, ConfigError, Layer, PerFileIgnores, resolve_selection
from overridecheck.lint.model import Diagnostic, FileError, Fix
from overridecheck.lint.run import (
    RunOptions,
    _environment,
    _excluder,
    _load_config,
    context_files,
    context_root,
)

__all__ = ["SOURCE", "OverridecheckServer", "code_actions", "error_to_lsp", "main", "to_lsp"]

SOURCE = "overridecheck"
_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.I)


def _rules() -> dict[str, bool]:
    from overridecheck.lint.rules import RULES

    return {code: info.default for code, info in RULES.items()}


def _range(doc: TextDocument, d: Diagnostic) -> types.Range:
    """The finding's place (1-based lines, 1-based columns in characters) in client units."""
    return doc.range_to_client_units(
        ServerTextRange(
            ServerTextPosition(d.line - 1, d.column - 1),
            ServerTextPosition(d.end_line - 1, d.end_column - 1),
        )
    )


def to_lsp(doc: TextDocument, d: Diagnostic) -> types.Diagnostic:
    """An engine finding as an LSP diagnostic: its code, and where its rule is documented."""
    fix = ""
    if isinstance(d.fix, Fix):
        fix = f" ({'safe' if d.fix.safe else 'unsafe'} fix available)"
    return types.Diagnostic(
        range=_range(doc, d),
        message=f"{d.message}\nSee `overridecheck rule {d.code}`{fix}.",
        severity=types.DiagnosticSeverity.Warning,
        code=d.code,
        source=SOURCE,
        data={"code": d.code, "line": d.line, "column": d.column},
    )


def error_to_lsp(doc: TextDocument, e: FileError) -> types.Diagnostic:
    """A file error (a syntax error, say) as an LSP error on its line, or on the first."""
    line = max(0, (e.line or 1) - 1)
    text = doc.lines[line].rstrip("\r\n") if line < len(doc.lines) else ""
    start = min(len(text), max(0, (e.column or 1) - 1))
    end = len(text) if start < len(text) else start
    return types.Diagnostic(
        range=doc.range_to_client_units(
            ServerTextRange(
                start=ServerTextPosition(line, start), end=ServerTextPosition(line, end)
            )
        ),
        message=e.message if e.checked else f"{e.message}\nThe file was not checked.",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def _noqa_edit(doc: TextDocument, d: Diagnostic) -> types.TextEdit:
    """Add ``# noqa: CODE`` at the end of the finding's line, or the code to its ``# noqa:``."""
    line = doc.lines[d.line - 1].rstrip("\r\n") if d.line - 1 < len(doc.lines) else ""
    found = _NOQA.search(line)
    if found is not None:
        at, text = found.end("codes"), f", {d.code}"
    else:
        at, text = len(line), f"  # noqa: {d.code}"
    pos = doc.position_to_client_units(ServerTextPosition(d.line - 1, at))
    return types.TextEdit(range=types.Range(start=pos, end=pos), new_text=text)


def _edits(doc: TextDocument, fix: Fix) -> list[types.TextEdit]:
    return [
        types.TextEdit(
            range=doc.range_to_client_units(
                ServerTextRange(
                    ServerTextPosition(e.line - 1, e.column - 1),
                    ServerTextPosition(e.end_line - 1, e.end_column - 1),
                )
            ),
            new_text=e.text,
        )
        for e in fix.edits
    ]


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def code_actions(
    doc: TextDocument, found: Sequence[Diagnostic], wanted: types.Range
) -> list[types.CodeAction]:
    """The fixes of the findings in ``wanted``: the rename (safe or unsafe, as ``--fix`` says)
    and a ``# noqa`` comment."""
    out: list[types.CodeAction] = []
    for d in found:
        lsp = to_lsp(doc, d)
        if not _overlaps(lsp.range, wanted):
            continue
        if isinstance(d.fix, Fix):
            safety = "safe" if d.fix.safe else "unsafe"
            out.append(
                types.CodeAction(
                    title=f"{d.fix.title} ({safety} fix)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    is_preferred=d.fix.safe,
                    edit=types.WorkspaceEdit(changes={doc.uri: _edits(doc, d.fix)}),
                )
            )
        out.append(
            types.CodeAction(
                title=f"Ignore {d.code} on this line (# noqa: {d.code})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[lsp],
                edit=types.WorkspaceEdit(changes={doc.uri: [_noqa_edit(doc, d)]}),
            )
        )
    return out


@dataclass
class _Group:
    """The open documents of one project: one config, one engine run."""

    config: Config
    root: str
    docs: list[TextDocument]


#: Seconds without an edit before the documents are checked again: a burst of keystrokes
#: costs one check, not one each (each check blocks the server while it runs).
DEBOUNCE = 0.3


class OverridecheckServer(LanguageServer):
    """Keeps the latest findings of each open document (for its code actions)."""

    def __init__(self) -> None:
        super().__init__("overridecheck", __version__)
        self.found: dict[str, list[Diagnostic]] = {}
        #: the project's files by (root, config): found again on open, save and close, not
        #: at every change
        self.context: dict[tuple[str, Optional[str]], list[str]] = {}
        self._pending: Optional[asyncio.TimerHandle] = None  # the check an edit scheduled

    def check_soon(self) -> None:
        """Check again once the edits pause for `DEBOUNCE` seconds."""
        if self._pending is not None:
            self._pending.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not serving (called directly): now
            self._pending = None
            self.check_all()
            return
        self._pending = loop.call_later(DEBOUNCE, self._check_pending)

    def _check_pending(self) -> None:
        self._pending = None
        self.check_all()

    def check_now(self) -> None:
        """Check at once, instead of any check an edit scheduled."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self.check_all()

    def flush(self) -> None:
        """Run the check an edit scheduled, if any, now: code actions must see the text as
        it is, not as it was before the last edits."""
        if self._pending is not None:
            self.check_now()

    def _log(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def _open_documents(self) -> list[TextDocument]:
        docs: list[TextDocument] = []
        for doc in list(self.workspace.text_documents.values()):
            if doc.uri.startswith("file:") and (doc.path.endswith((".py", ".pyi"))):
                docs.append(doc)
        return docs

    def _groups(self, docs: Sequence[TextDocument], known: Sequence[str]) -> list[_Group]:
        groups: dict[tuple[Optional[str], str], _Group] = {}
        for doc in docs:
            config = _load_config(RunOptions(), [doc.path], known)
            root = context_root([doc.path], config)
            key = (config.path, root)
            groups.setdefault(key, _Group(config, root, [])).docs.append(doc)
        return list(groups.values())

    def check_all(self) -> None:
        """Check every open document again and publish the findings of each."""
        rules = _rules()
        docs = self._open_documents()
        published: set[str] = set()
        try:
            groups = self._groups(docs, sorted(rules))
        except ConfigError as exc:
            self._log(f"overridecheck: {exc}", types.MessageType.Error)
            groups = []
        for group in groups:
            try:
                found, errors = self._check(group, rules)
            except (ConfigError, OSError) as exc:
                self._log(f"overridecheck: {exc}", types.MessageType.Error)
                continue
            for doc in group.docs:
                where = os.path.normcase(os.path.abspath(doc.path))
                mine = found.get(where, [])
                self.found[doc.uri] = mine
                self._publish(doc, mine, errors.get(where, ()))
                published.add(doc.uri)
        for uri in list(self.found):
            if uri not in published:
                del self.found[uri]

    def _publish(
        self, doc: TextDocument, found: Sequence[Diagnostic], errors: Sequence[FileError] = ()
    ) -> None:
        diagnostics = [error_to_lsp(doc, e) for e in errors]
        diagnostics += [to_lsp(doc, d) for d in found]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=doc.uri, version=doc.version, diagnostics=diagnostics
            )
        )

    def _check(
        self, group: _Group, rules: dict[str, bool]
    ) -> tuple[dict[str, list[Diagnostic]], dict[str, list[FileError]]]:
        """Run the engine on the group's documents, the rest of the project as context: the
        findings and the file errors (a syntax error) of each, by normalised path."""
        from overridecheck.lint.cache import default_cache_dir
        from overridecheck.lint.engine import check_files
        from overridecheck.lint.rules.missing_override_decorator import ENV, IMPORT_SOURCES

        config = group.config
        options = RunOptions()
        paths = [os.path.abspath(d.path) for d in group.docs]
        err = io.StringIO()
        environment = _environment(options, config, paths, err)
        for line in err.getvalue().splitlines():
            self._log(line)
        selection = resolve_selection(
            [Layer(config.select, config.extend_select, config.ignore)], rules
        )
        if not selection:
            return {}, {}
        key = (group.root, config.path)
        context = self.context.get(key)
        if context is None:
            context = self.context[key] = context_files(paths, config, _excluder(options, config))
        source = config.override_import or os.environ.get(ENV) or IMPORT_SOURCES[0]
        if source not in IMPORT_SOURCES:
            source = IMPORT_SOURCES[0]
        result = check_files(
            paths,
            search_path=environment.path,
            select=selection,
            cache_dir=default_cache_dir(config.path),
            override_import=source,
            context=context,
            texts={p: d.source.encode("utf-8") for p, d in zip(paths, group.docs)},
        )
        ignores = PerFileIgnores(config.root, config.per_file_ignores)
        out: dict[str, list[Diagnostic]] = {}
        for d in result.diagnostics:
            if d.code in selection and not (ignores and ignores.ignored(d.path, d.code)):
                out.setdefault(os.path.normcase(os.path.abspath(d.path)), []).append(d)
        errors: dict[str, list[FileError]] = {}
        for e in result.errors:
            errors.setdefault(os.path.normcase(os.path.abspath(e.path)), []).append(e)
        return out, errors


def make_server() -> OverridecheckServer:
    """The server with its features registered."""
    server = OverridecheckServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: OverridecheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.context.clear()
        ls.check_now()

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: OverridecheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.check_soon()

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: OverridecheckServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.context.clear()
        ls.check_now()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: OverridecheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )
        ls.context.clear()
        ls.check_now()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(
        ls: OverridecheckServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        ls.flush()
        uri = params.text_document.uri
        found = ls.found.get(uri)
        if not found:
            return []
        return code_actions(ls.workspace.get_text_document(uri), found, params.range)

    return server


def main() -> int:
    """``overridecheck server``: serve over stdio until the client says exit."""
    make_server().start_io()
    return 0

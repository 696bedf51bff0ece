"""The suggestion engine against ../shared/reference/twisted-hooks.md section 4."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from overridecheck._suggest import Role, is_ambiguous, max_distance, osa_distance, rank, suggest

HOOKS = [
    "connectionMade", "connectionLost", "dataReceived", "makeConnection", "logPrefix",
    "lineReceived", "rawDataReceived", "lineLengthExceeded", "clientConnectionFailed",
    "clientConnectionLost", "startedConnecting", "processEnded", "processExited",
    "outReceived", "errReceived", "render_GET", "render_POST", "render_PUT", "render_HEAD",
    "render_PATCH", "setUp", "tearDown", "signedOn", "privmsg", "eofReceived", "extReceived",
    "startFactory", "stopFactory", "getChild", "putChild", "noticed", "notice", "pong", "ping",
    "joined", "join", "luserMe", "luserOp", "__init__", "__repr__", "irc_PRIVMSG", "ftp_RETR",
]  # fmt: skip

# (typo, intended): every misspelling listed in section 4 of twisted-hooks.md.
MISSPELLINGS = [
    ("conectionMade", "connectionMade"), ("connection_made", "connectionMade"),
    ("connectionmade", "connectionMade"), ("ConnectionMade", "connectionMade"),
    ("data_received", "dataReceived"), ("dataRecieved", "dataReceived"),
    ("dataReceive", "dataReceived"), ("DataReceived", "dataReceived"),
    ("datareceived", "dataReceived"), ("connectionLose", "connectionLost"),
    ("conectionLost", "connectionLost"), ("connection_lost", "connectionLost"),
    ("lineRecieved", "lineReceived"), ("LineRecieved", "lineReceived"),
    ("clientConnectionFail", "clientConnectionFailed"),
    ("clientConnectionFailure", "clientConnectionFailed"),
    ("client_connection_failed", "clientConnectionFailed"), ("processEnd", "processEnded"),
    ("render_get", "render_GET"), ("render_post", "render_POST"),
    ("irc_privmsg", "irc_PRIVMSG"), ("ftp_retr", "ftp_RETR"), ("setup", "setUp"),
    ("teardown", "tearDown"), ("tearDwon", "tearDown"), ("signedon", "signedOn"),
    ("privMsg", "privmsg"), ("eof_received", "eofReceived"), ("__init_", "__init__"),
    ("_init__", "__init__"), ("__inti__", "__init__"), ("outRecieved", "outReceived"),
    ("ocnnectionMade", "connectionMade"), ("onnectionMade", "connectionMade"),
    ("dataErceived", "dataReceived"),
    ("process_ended", "processEnded"),
]  # fmt: skip


@pytest.mark.parametrize(("typo", "intended"), MISSPELLINGS)
def test_misspelling_suggests_intended_name_first(typo: str, intended: str) -> None:
    assert suggest(typo, HOOKS)[0] == intended


# Real names that are near each other: each is its own name, never a typo of the other.
TRAPS = [
    ("eofReceived", "extReceived"), ("luserMe", "luserOp"), ("render_GET", "render_PUT"),
    ("render_POST", "render_PUT"), ("noticed", "notice"), ("pong", "ping"), ("joined", "join"),
    ("getChild", "putChild"), ("startFactory", "stopFactory"),
    ("processEnded", "processExited"), ("outReceived", "errReceived"),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), TRAPS)
def test_trap_pairs_are_exact_names_not_typos(a: str, b: str) -> None:
    # A name that exists is never reported; rank() of an exact candidate skips itself.
    assert a not in suggest(a, HOOKS)
    assert b not in suggest(b, HOOKS)
    assert suggest(a, [a, b]) == [] or suggest(a, [a, b]) == [b]


def test_start_stop_pairs_are_not_near_misses() -> None:
    # Distance 3 pairs stay apart: startFactory is never offered for stopFactory.
    assert suggest("stopFactory", ["startFactory"]) == []
    assert suggest("stopProtocol", ["startProtocol"]) == []
    assert suggest("stopService", ["startService"]) == []


def test_private_helper_is_not_a_typo_of_the_public_hook() -> None:
    assert suggest("_dataReceived", HOOKS) == []
    assert suggest("_connectionMade", HOOKS) == []


def test_unrelated_names_get_no_suggestion() -> None:
    assert suggest("connectionClosed", HOOKS) == []  # distance 4: too far to guess
    assert suggest("render", ["renderer"]) == []
    assert suggest("getChildren", HOOKS) == []
    assert suggest("x", ["y"]) == []


def test_ranking_is_deterministic_and_exact_variants_first() -> None:
    assert suggest("dataReceivedd", ["dataReceived", "rawDataReceived"]) == ["dataReceived"]
    assert suggest("Setup", ["setUp", "setup_"]) == ["setUp", "setup_"] or suggest(
        "Setup", ["setUp"]
    ) == ["setUp"]
    assert rank("x_y", ["xy", "XY"]) == rank("x_y", ["XY", "xy"])


def test_ambiguity() -> None:
    assert is_ambiguous(rank("render_PAT", ["render_PUT", "render_PATCH"])) is False
    assert is_ambiguous(rank("fooBarr", ["fooBar", "fooBarrr"])) is True
    assert is_ambiguous(rank("conectionMade", ["connectionMade"])) is False


def _osa_reference(a: str, b: str) -> int:
    """The textbook optimal-string-alignment table, whole (no affix trimming, no limit)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


_WORDS = st.text(alphabet="abcA_", max_size=9)


@given(_WORDS, _WORDS, st.sampled_from([0, 1, 2, 3, 1 << 30]))
def test_osa_distance_matches_the_whole_table(a: str, b: str, limit: int) -> None:
    # the common prefix and suffix are trimmed before the table is made; the limit cuts short
    exact = _osa_reference(a, b)
    got = osa_distance(a, b, limit)
    assert got == exact if exact <= limit else got > limit


def test_osa_distance() -> None:
    assert osa_distance("ca", "ac") == 1
    assert osa_distance("eofReceived", "extReceived") == 2
    assert osa_distance("connectionMade", "connectionLost") == 4
    assert osa_distance("abc", "abcdef", 1) == 2  # capped at limit + 1
    assert osa_distance("", "abc") == 3


def test_max_distance_grows_with_length() -> None:
    assert [max_distance(n) for n in (3, 4, 8, 16)] == [1, 1, 2, 3]


@pytest.mark.parametrize(
    ("name", "candidate"),
    [
        ("getName", "setName"), ("setContent", "getContent"), ("calc", "call"),
        ("closed", "close"), ("successResult", "successResultOf"),
        ("on_disconnect", "disconnect"), ("inConnectionLost", "connectionLost"),
        ("handle_INT", "handle_END"), ("do_EHLO", "do_HELO"), ("sendLong", "sendLine"),
        ("gotRootObject", "getRootObject"), ("setupService", "stopService"),
        ("assertNotUnequal", "assertNotEqual"), ("test_gets", "test_get"),
        ("test_timeout", "getTimeout"), ("_add", "__add__"), ("_call", "__call__"),
        ("endMessage", "sendMessage"), ("_aRecords", "_cbRecords"), ("do_EHLO", "do_HELO"),
        ("end", "send"), ("ender", "render"), ("estTopic", "setTopic"),
    ],
)  # fmt: skip
def test_different_names_seen_in_real_code_are_not_typos(name: str, candidate: str) -> None:
    # Each pair was a false positive on the corpus (twisted, buildbot, scrapy, autobahn).
    assert suggest(name, [candidate]) == []


# -- roles: hooks and concrete base methods (issue 12) -----------------------------------------

HOOK_SLIPS = [
    ("setUo", "setUp"), ("serUp", "setUp"), ("setYp", "setUp"), ("swtUp", "setUp"),
    ("tearFown", "tearDown"), ("logOrefix", "logPrefix"), ("buildOrotocol", "buildProtocol"),
    ("connectiobMade", "connectionMade"), ("getVhild", "getChild"),
    ("datagramTeceived", "datagramReceived"), ("startServicr", "startService"),
    ("postIptions", "postOptions"), ("vonnectionMade", "connectionMade"),
]  # fmt: skip


@pytest.mark.parametrize(("typo", "intended"), HOOK_SLIPS)
def test_keyboard_slips_of_a_hook_are_typos(typo: str, intended: str) -> None:
    role = Role(hooks=frozenset({intended}))
    assert suggest(typo, [intended], role=role) == [intended]


@pytest.mark.parametrize(
    ("typo", "intended"),
    [("setUo", "setUp"), ("swtUp", "setUp"), ("tearFown", "tearDown"), ("getVhild", "getChild")],
)
def test_keyboard_slips_need_a_hook(typo: str, intended: str) -> None:
    """Without knowing the candidate is a hook, a short word's substitution or a new first
    letter makes another word (`get`/`set`, `got`/`get`)."""
    assert suggest(typo, [intended]) == []


def test_keyboard_slips_are_neighbouring_keys_only() -> None:
    hooks = Role(hooks=frozenset({"setUp", "setName", "getChild"}))
    assert suggest("setUm", ["setUp"], role=hooks) == []  # m is far from p
    assert suggest("getName", ["setName"], role=hooks) == []  # g is far from s
    assert suggest("putChild", ["getChild"], role=hooks) == []  # two letters differ


NEW_METHODS = [
    ("sendLines", "sendLine"), ("buildProtocols", "buildProtocol"),
    ("resetTimeouts", "resetTimeout"), ("getConnectors", "getConnector"),
    ("get_error_code", "get_error_codes"), ("parse_known_ui_args", "parse_known_args"),
    ("add_tls_websocket_service", "add_non_tls_websocket_service"), ("get_status", "get_state"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "base"), NEW_METHODS)
def test_new_method_beside_a_concrete_base_method_is_not_a_typo(name: str, base: str) -> None:
    # A concrete default (even a documented hook with one, like buildProtocol) is no typo
    # target for a name with another inflection, another word or two slips in a word.
    assert suggest(name, [base], role=Role(concrete=frozenset({base}))) == []
    both = Role(hooks=frozenset({base}), concrete=frozenset({base}))
    assert suggest(name, [base], role=both) == []


def test_whole_word_inserted_mid_name_is_another_name_for_any_candidate() -> None:
    assert suggest("parse_known_ui_args", ["parse_known_args"]) == []
    hook = Role(hooks=frozenset({"add_non_tls_websocket_service"}))
    assert suggest("add_tls_websocket_service", ["add_non_tls_websocket_service"], role=hook) == []


def test_concrete_keeps_single_slips() -> None:
    """One slip per word is still a typo of a concrete method: the seeded kinds stay."""
    concrete = Role(concrete=frozenset({"sendLine", "makeConnection"}))
    assert suggest("sendLien", ["sendLine"], role=concrete) == ["sendLine"]
    assert suggest("send_line", ["sendLine"], role=concrete) == ["sendLine"]
    assert suggest("makeConnectoin", ["makeConnection"], role=concrete) == ["makeConnection"]
    assert suggest("makeConnecton", ["makeConnection"], role=concrete) == ["makeConnection"]


def test_inflection_of_a_hook_stays_a_typo() -> None:
    hooks = Role(hooks=frozenset({"clientConnectionFailed", "processEnded"}))
    assert suggest("clientConnectionFail", ["clientConnectionFailed"], role=hooks)
    assert suggest("processEnd", ["processEnded"], role=hooks) == ["processEnded"]


def test_dual_naming_is_the_hierarchy_spelling_names_both_ways() -> None:
    """One function for the linter and the mypy plugin: `on_welcome` beside `onWelcome` is
    deliberate where the hierarchy also has `onJoin` and `on_join`, and not otherwise."""
    from overridecheck._suggest import dual_naming

    assert dual_naming(["onJoin", "on_join", "onWelcome"], "on_welcome", "onWelcome")
    assert not dual_naming(["onJoin", "onWelcome"], "on_welcome", "onWelcome")
    # another relation between two spellings says nothing about this one
    assert not dual_naming(
        ["dcc_SEND", "dccSend", "connectionMade"], "connection_made", "connectionMade"
    )
    assert not dual_naming(["__init__", "__Init__"], "on_x", "onX")

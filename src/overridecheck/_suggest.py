"""The one suggestion engine: "did you mean `connectionMade`?".

Shared by the runtime decorator and the linter, so both always agree.  Pure functions over
strings; imports nothing outside the standard library.

How a typed name is compared with a candidate (a name a base class or interface provides):

* Both are split into leading underscores, a *core* and trailing underscores.  The core is
  lower-cased with its inner underscores removed ("norm"), so ``connection_made``,
  ``connectionmade`` and ``ConnectionMade`` all equal ``connectionMade`` (distance 0, an
  *exact variant*).
* Leading underscores are significant (``_dataReceived`` is a private helper, not a typo of
  ``dataReceived``), except for dunders, where ``__init_``/``_init__`` are typos of ``__init__``.
* Otherwise the optimal-string-alignment (restricted Damerau-Levenshtein) distance between the
  norms must not exceed a bound that grows with the shorter norm (:func:`max_distance`), and
  the difference must look like a typo (:func:`_plausible_typo`).

What looks like a typo depends on what the caller knows of the candidate (:class:`Role`):

* a *hook* (an interface member, a stub or a method documented to be overridden, a framework
  callback such as ``setUp``) is called by name, so a near miss of it is most likely a slip:
  besides the usual typos, one keyboard-adjacent substitution in a short word (``setUo``,
  ``swtUp``) and a keyboard-adjacent first letter when the rest of the word is intact
  (``tearFown``, ``getVhild``) count;
* a *concrete* base method does real work, so a name differing from it by an inflection
  (``sendLines``, ``resetTimeouts``) or by more than one slip in a word (``get_status``/
  ``get_state``) is a new method beside it;
* a name differing from any candidate by a whole word (``successResultOf``,
  ``parse_known_ui_args``/``parse_known_args``) is another name.

With no role given, a candidate is neither: the usual typos only.

Ranking is deterministic: exact variants first, then by norm distance, then by case-sensitive
distance of the full names, then alphabetically.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "NO_ROLE",
    "Candidates",
    "Match",
    "Role",
    "dual_naming",
    "is_ambiguous",
    "max_distance",
    "norm",
    "osa_distance",
    "rank",
    "suggest",
    "variant_key",
]


class Match(NamedTuple):
    """A candidate that is a near miss of the typed name, with its ranking key."""

    name: str
    exact_variant: bool
    distance: int
    raw_distance: int

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (0 if self.exact_variant else 1, self.distance, self.raw_distance, self.name)


class Role(NamedTuple):
    """What the caller knows of the candidates: which are hooks, which are concrete methods
    (a name may be both: ``buildProtocol`` is an interface member with a real default)."""

    hooks: Container[str] = frozenset()
    concrete: Container[str] = frozenset()


NO_ROLE = Role()

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, frozenset[str]]:
    """Letters next to each other on a QWERTY keyboard (same row, and the staggered rows)."""
    out: dict[str, set[str]] = {}
    for r, row in enumerate(_KEYBOARD_ROWS):
        for i, c in enumerate(row):
            near = out.setdefault(c, set())
            near.update(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
            if r > 0:  # the row above is shifted left by about half a key
                above = _KEYBOARD_ROWS[r - 1]
                near.update(above[j] for j in (i, i + 1) if j < len(above))
            if r + 1 < len(_KEYBOARD_ROWS):
                below = _KEYBOARD_ROWS[r + 1]
                near.update(below[j] for j in (i - 1, i) if 0 <= j < len(below))
    return {c: frozenset(n) for c, n in out.items()}


_NEAR = _neighbours()


def keyboard_adjacent(a: str, b: str) -> bool:
    """Whether two letters are neighbours on a QWERTY keyboard (case ignored)."""
    return b.lower() in _NEAR.get(a.lower(), frozenset())


def _keyboard_slip(typed: str, intended: str) -> bool:
    """The same word but for one letter replaced by a neighbouring key: ``uo``/``up``."""
    if len(typed) != len(intended):
        return False
    diff = [(a, b) for a, b in zip(typed, intended) if a != b]
    return len(diff) == 1 and keyboard_adjacent(*diff[0])


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_INFLECTIONS = ("s", "d", "ed", "er", "ing", "es")


def words(name: str) -> list[str]:
    """Lower-cased words of a camelCase/snake_case name: ``lineRecieved`` -> line, recieved."""
    return [w.lower() for w in _WORD.findall(name)]


def _word_typo(typed: str, intended: str, hook: bool = False, concrete: bool = False) -> bool:
    """Whether one word of a name is a plausible typo of the intended word.

    Words of 3 letters or fewer allow a swapped, doubled, missing or extra letter but no
    substitution (`got`/`get` are different words); 4-5 letters allow one edit of any kind
    (`Lose`/`Lost`); longer words up to three, or one when the candidate is a concrete method
    (`status`/`state`: another word).  A hook's word also allows one keyboard slip, and a
    keyboard slip of its first letter when at least three letters follow intact.
    """
    if hook and len(intended) >= 4 and _keyboard_slip(typed[:1], intended[:1]):
        if typed[1:] == intended[1:]:
            return True
    if typed[0] != intended[0]:
        if hook and len(intended) <= 3 and _keyboard_slip(typed, intended):
            return True
        return _initial_slip(typed, intended)
    if sorted(typed) == sorted(intended) or _doubled(typed, intended):
        return True
    longest = max(len(typed), len(intended))
    if longest <= 3:
        if hook and _keyboard_slip(typed, intended):
            return True
        return abs(len(typed) - len(intended)) == 1 and osa_distance(typed, intended, 1) <= 1
    bound = 1 if longest <= 5 or concrete else 3
    return osa_distance(typed, intended, bound) <= bound


def _initial_slip(typed: str, intended: str) -> bool:
    """The first two letters swapped (`ocnnection`) or, in a long word, the first one dropped
    (`onnection`).  Other changes of a word's first letter make another word (`get`/`set`,
    `send`/`end`)."""
    if len(intended) >= 4 and typed[:2] == intended[1::-1] and typed[2:] == intended[2:]:
        return True
    return len(intended) >= 7 and typed == intended[1:]


def _doubled(x: str, y: str) -> bool:
    """One is the other with one letter doubled: ``emitt``/``emit``, ``sepUp``/``seppUp``."""
    long, short = (x, y) if len(x) > len(y) else (y, x)
    if len(long) != len(short) + 1:
        return False
    for i in range(1, len(long)):
        if long[i] == long[i - 1] and long[:i] + long[i + 1 :] == short:
            return True
    return False


def _inflected(x: str, y: str) -> bool:
    """``close``/``closed``, ``end``/``ended``: one word is the other plus an inflection."""
    long, short = (x, y) if len(x) > len(y) else (y, x)
    return long.startswith(short) and long[len(short) :] in _INFLECTIONS


def _subsequence(short: list[str], long: list[str]) -> bool:
    """Whether ``long`` is ``short`` with whole words added (anywhere, not only at an end)."""
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def _plausible_typo(
    name: str, candidate: str, core: str, c_core: str, hook: bool = False, concrete: bool = False
) -> bool:
    """Whether a near miss that is not an exact variant looks like a typo of ``candidate``.

    Real typos keep the first letter of each word and do not add or drop whole words:
    ``getName``/``setName``, ``successResult``/``successResultOf``, ``on_disconnect``/
    ``disconnect``, ``parse_known_ui_args``/``parse_known_args`` and ``handle_INT``/
    ``handle_END`` are different names, not typos.  Short words tolerate no substitution
    (:func:`_word_typo`), but for a ``hook`` a keyboard slip; an inflected word is a typo
    inside a longer name (``processEnd``) but a different word on its own (``close``/
    ``closed``) or beside a ``concrete`` method (``sendLines``); test methods are new names by
    convention.
    """
    if core.startswith("test") or c_core.startswith("test"):
        return False
    if len(c_core) <= 4:
        # Short names: a swapped, doubled, missing or extra letter (`rnu`, `emitt`, `sto`),
        # never a different word (`calc`/`call`) unless a hook's key slipped (`stsrt`).
        if hook and _keyboard_slip(core, c_core):
            return True
        if core[0] != c_core[0]:
            return False
        if sorted(core) == sorted(c_core) or _doubled(core, c_core):
            return True
        return abs(len(core) - len(c_core)) == 1 and osa_distance(core, c_core, 1) <= 1
    raw = _WORD.findall(candidate)
    a, b = words(name), [w.lower() for w in raw]
    if not a or not b:
        return False
    if len(a) == len(b):
        for x, y, r in zip(a, b, raw):
            if x == y:
                continue
            if _inflected(x, y) and not _doubled(x, y):
                if concrete:
                    return False  # `sendLines` beside `sendLine`: a new method
                continue
            if not _word_typo(x, y, hook, concrete) or (
                x[0] != y[0] and len(r) > 1 and r.isupper()
            ):
                return False  # upper-case words are commands: `do_EHLO` is not `do_HELO`
        return not (len(a) == 1 and _inflected(core, c_core) and not _doubled(core, c_core))
    if a[0][0] != b[0][0] and not _initial_slip(a[0], b[0]):
        return False
    long_w, short_w = (a, b) if len(a) > len(b) else (b, a)
    # A whole word added or dropped: `successResult`/`successResultOf`, `parse_known_ui_args`.
    return not _subsequence(short_w, long_w)


@lru_cache(maxsize=65536)
def _split(name: str) -> tuple[int, int, str]:
    """Return (leading underscores, trailing underscores, norm of the core)."""
    stripped = name.lstrip("_")
    lead = len(name) - len(stripped)
    core = stripped.rstrip("_")
    return lead, len(stripped) - len(core), core.replace("_", "").lower()


def variant_key(name: str) -> tuple[int, str]:
    """Names with equal keys are exact variants of each other (``on_join``, ``onJoin``)."""
    lead, _, core = _split(name)
    return lead, core


def _shape(name: str) -> tuple[bool, bool, bool, bool]:
    """How a name is spelled: snake_case, all lower case, an upper-case run, capitalised."""
    core = name.strip("_")
    letters = [c for c in core if c.isalpha()]
    return (
        "_" in core,
        all(c.islower() for c in letters),
        any(a.isupper() and b.isupper() for a, b in zip(core, core[1:])),
        bool(core) and core[0].isupper(),
    )


def dual_naming(names: Iterable[str], typed: str, intended: str) -> bool:
    """Whether a hierarchy whose members are ``names`` itself spells other names the way
    ``typed`` relates to ``intended``.

    Autobahn's sessions define both `onJoin` and `on_join`, so `on_welcome` beside
    `onWelcome` is deliberate; IRCClient's `dcc_SEND`/`dccSend` says nothing about
    `connection_made`.
    """
    relation = (_shape(typed), _shape(intended))
    seen: dict[tuple[int, str], str] = {}
    for name in names:
        if name.startswith("__"):
            continue
        other = seen.setdefault(variant_key(name), name)
        if other != name and relation in (
            (_shape(name), _shape(other)),
            (_shape(other), _shape(name)),
        ):
            return True
    return False


def norm(name: str) -> str:
    """Lower-case ``name`` and drop its underscores: ``connection_made`` -> ``connectionmade``."""
    return name.replace("_", "").lower()


def max_distance(length: int) -> int:
    """Largest norm distance accepted for a candidate whose norm has ``length`` characters."""
    if length <= 7:
        return 1
    if length <= 15:
        return 2
    return 3


@lru_cache(maxsize=65536)
def osa_distance(a: str, b: str, limit: int = 1 << 30) -> int:
    """Optimal-string-alignment distance between ``a`` and ``b``.

    Insertions, deletions, substitutions and transpositions of adjacent characters each cost 1.
    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    # A common prefix and suffix never take part in an optimal alignment: drop them
    # (`connectionMade`/`conectionMade` compares `n`/``), so the table is small.
    short = min(la, lb)
    start = 0
    while start < short and a[start] == b[start]:
        start += 1
    trim = 0
    while trim < short - start and a[la - 1 - trim] == b[lb - 1 - trim]:
        trim += 1
    if start or trim:
        a, b = a[start : la - trim], b[start : lb - trim]
        la, lb = len(a), len(b)
    if la == 0 or lb == 0:
        return max(la, lb)
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ca = a[i - 1]
        row_min = i
        for j in range(1, lb + 1):
            cb = b[j - 1]
            cost = 0 if ca == cb else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < row_min:
                row_min = v
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[lb]


def _compare(name: str, candidate: str, role: Role = NO_ROLE) -> Match | None:
    if name == candidate:
        return None
    lead, trail, core = _split(name)
    c_lead, c_trail, c_core = _split(candidate)
    if not core or not c_core:
        return None
    if c_lead >= 2 and c_trail >= 2:
        # `__init_`, `_init__`, `__init___` are typos of `__init__`; `init`, `_add` are not.
        if lead == 0 or trail == 0 or lead + trail < 3:
            return None
    elif lead != c_lead or (lead >= 2 and trail >= 2):
        return None
    bound = max_distance(min(len(core), len(c_core)))
    if core == c_core:
        return Match(candidate, True, 0, osa_distance(name, candidate))
    dist = osa_distance(core, c_core, bound)
    if dist > bound:
        return None
    hook, concrete = candidate in role.hooks, candidate in role.concrete
    if not _plausible_typo(name, candidate, core, c_core, hook, concrete):
        return None
    return Match(candidate, False, dist, osa_distance(name, candidate))


def _is_dunder(lead: int, trail: int) -> bool:
    return lead >= 2 and trail >= 2


class Candidates:
    """Candidate names indexed for repeated ranking.

    Equivalent to comparing with every candidate, but only looks at those that can match: a
    non-dunder candidate needs the same leading underscores and the same first letter of the
    core, or the first two swapped, or the first dropped (exact variants share the whole core;
    other typos keep the first letter), and dunder candidates only match names with
    underscores on both sides.
    """

    __slots__ = ("_by_first", "_by_head", "_by_tail", "_dunders")

    def __init__(self, names: Iterable[str]) -> None:
        self._by_first: dict[tuple[int, str], list[str]] = {}
        self._by_head: dict[tuple[int, str], list[str]] = {}  # first two letters
        self._by_tail: dict[tuple[int, str], list[str]] = {}  # second and third letters
        self._dunders: list[str] = []
        for name in dict.fromkeys(names):
            lead, trail, core = _split(name)
            if not core:
                continue
            if _is_dunder(lead, trail):
                self._dunders.append(name)
                continue
            self._by_first.setdefault((lead, core[0]), []).append(name)
            if len(core) >= 4:
                self._by_head.setdefault((lead, core[:2]), []).append(name)
                self._by_tail.setdefault((lead, core[1:3]), []).append(name)

    def rank(self, name: str, role: Role = NO_ROLE) -> list[Match]:
        """All near misses of ``name``, best first (deterministic); ``role`` says which
        candidates are hooks and which concrete methods (see the module's documentation)."""
        lead, trail, core = _split(name)
        if not core:
            return []
        pool: list[str] = []
        if not _is_dunder(lead, trail):
            pool.extend(self._by_first.get((lead, core[0]), ()))
            # A slip of the first letter: swapped with the second, dropped, or (a hook's)
            # another key.
            if len(core) >= 2:
                pool.extend(self._by_head.get((lead, core[1] + core[0]), ()))
                pool.extend(self._by_tail.get((lead, core[:2]), ()))
                if len(core) >= 3 and role.hooks:
                    pool.extend(self._by_tail.get((lead, core[1:3]), ()))
                pool = list(dict.fromkeys(pool))
        if lead and trail and lead + trail >= 3:
            pool.extend(self._dunders)
        matches = [m for c in pool if (m := _compare(name, c, role)) is not None]
        return sorted(matches, key=lambda m: m.key)


def rank(name: str, candidates: Iterable[str], role: Role = NO_ROLE) -> list[Match]:
    """All near misses of ``name`` among ``candidates``, best first (deterministic)."""
    return Candidates(candidates).rank(name, role)


def suggest(
    name: str, candidates: Iterable[str], *, limit: int = 3, role: Role = NO_ROLE
) -> list[str]:
    """The names ``name`` was probably meant to be, best first (at most ``limit``)."""
    return [m.name for m in rank(name, candidates, role)[:limit]]


def is_ambiguous(matches: list[Match]) -> bool:
    """True when the two best matches are equally close, so no single fix can be chosen."""
    if len(matches) < 2:
        return False
    a, b = matches[0], matches[1]
    return (a.exact_variant, a.distance, a.raw_distance) == (
        b.exact_variant,
        b.distance,
        b.raw_distance,
    )

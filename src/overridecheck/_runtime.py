"""The runtime ``@override``: checked at class creation, zero cost per call.

How it works
------------

``override(f)`` marks ``f`` (``f.__override__ = True``, PEP 698, also on the innermost function
reachable through ``__func__``/``fget``/``__wrapped__``) and returns ``f`` itself.  When it is
called from a class body (the usual case, whatever the order of the other decorators), it also
records ``f`` in one hidden ``_ClassChecks`` object that it stores in the class namespace under
``__overridecheck__``.  ``type.__new__`` calls that object's ``__set_name__`` once the class
exists; it deletes itself from the class and checks every recorded method:

* the name must be defined by a class of the MRO (``object`` included) or by a zope.interface
  interface the class implements (interface inheritance included), and
* the method must accept the arguments the base method (or interface method) is called with.

Called anywhere else (e.g. to build a ``type(name, bases, ns)`` namespace), ``override`` returns a
small ``_Override`` wrapper whose ``__set_name__`` puts the original back and runs the same check.

A name found nowhere raises at once, unless a class decorator follows the class statement: such
a decorator (``@implementer(IProtocol)``) runs after ``__set_name__`` and may still declare an
interface providing the name.  Whether one follows is read, only for such a name, from the frame
running the class statement (see ``_decorated``).  For a decorated class the name then raises at
once only when zope.interface is not imported or when it is a near miss of a name already
provided; otherwise it is recorded as *pending* and verified when interfaces are declared on the
class (see ``implementer`` and ``_Listener``) or by ``check_class``.

Cost: on the common path (a plain function found in the MRO, same positional parameters) the
work per method is a few attribute reads; the class body's frame is cached between the
``override`` calls of one body, so only the first call looks up the namespace.

The messages of the errors (with their ``path:line``) and the names never checked
(``_NOT_HOOKS``) are in ``_messages``, which ``_audit`` shares without importing this module.

Only the standard library is imported; zope.interface is used when something else already
imported it (no class can declare interfaces otherwise).
"""

from __future__ import annotations

import sys
import weakref
from types import CodeType, FrameType, FunctionType, ModuleType
from typing import Any, Callable, Optional, TypeVar

from overridecheck._errors import OverrideError
from overridecheck._messages import (
    _CHECKS_KEY,
    _MISSING,
    _NOT_HOOKS,
    _innermost,
    _missing_error,
    _signature_error,
    _written,
)
from overridecheck._names import CONSTRUCTORS, INTERFACE_SELF, SPECIAL_METHODS
from overridecheck._signature import Params, incompatibility
from overridecheck._suggest import Role, rank

__all__ = ["check_class", "implementer", "override"]

_F = TypeVar("_F")
_T = TypeVar("_T")

_CO_NEWLOCALS = 0x0002
_CO_VARARGS = 0x0004
_CO_VARKEYWORDS = 0x0008
_UNWRAP = ("__func__", "fget", "fset", "fdel", "__wrapped__")

# Special method names of the data model: defining one is never a typo of another
# (``__int__`` is not a misspelt ``__init__``); shared with the linter.
KNOWN_DUNDERS = SPECIAL_METHODS


# --------------------------------------------------------------------------- the decorator

_getframe = sys._getframe
_new = object.__new__

# (class body frame, append method of its _ClassChecks entries, the _ClassChecks) of the latest
# ``override`` call in a class body, so the next call from the same body skips the namespace
# lookup.  One tuple, read and replaced whole (safe with threads); the frame is held only until
# that class is created.
_NO_BODY: tuple[object, Any, Any] = (_MISSING, None, None)
_last: tuple[object, Any, Any] = _NO_BODY


def override(arg: _F, /) -> _F:
    """Mark ``arg`` as an override (PEP 698) and check it when its class is created.

    Raises :class:`OverrideError` at class creation when nothing in the class's bases or
    interfaces defines the name, or when the method cannot accept the arguments its base is
    called with.  The class attribute stays the very object that was decorated.
    """
    global _last
    if type(arg) is FunctionType:  # the common case, kept cheap
        arg.__override__ = True  # type: ignore[attr-defined]
        if "__wrapped__" in arg.__dict__:
            _mark(arg.__dict__["__wrapped__"])
    else:
        _mark(arg)
    try:
        frame = _getframe(1)
    except (AttributeError, ValueError):  # pragma: no cover - no frame introspection
        return _wrap(arg)
    last = _last
    if last[0] is frame:  # the same class body as the previous call
        last[1](arg)
        return arg
    code = frame.f_code
    if not code.co_flags & _CO_NEWLOCALS:
        ns = frame.f_locals
        if ns is not frame.f_globals and "__qualname__" in ns:  # a class body
            checks = ns.get(_CHECKS_KEY)
            if checks is None or type(checks) is not _ClassChecks:
                checks = _new(_ClassChecks)
                checks.code = code
                checks.entries = []
                try:
                    ns[_CHECKS_KEY] = checks
                except Exception:  # an exotic namespace: fall back to the wrapper
                    body_wrapper: _BodyOverride = _new(_BodyOverride)
                    body_wrapper.__wrapped__ = arg
                    body_wrapper.code = code
                    return body_wrapper  # type: ignore[return-value]
            checks.entries.append(arg)
            _last = (frame, checks.entries.append, checks)
            return arg
    wrapper: _Override = _new(_Override)  # for type(name, bases, ns): no __init__ here
    wrapper.__wrapped__ = arg
    return wrapper  # type: ignore[return-value]


def _wrap(arg: _F) -> _F:
    wrapper: _Override = _new(_Override)
    wrapper.__wrapped__ = arg
    return wrapper  # type: ignore[return-value]


def _mark(obj: object) -> None:
    """Set ``__override__ = True`` on ``obj`` and on what it wraps, ignoring failures."""
    for _ in range(8):
        try:
            obj.__override__ = True  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            pass
        nxt = None
        for attr in ("__func__", "fget", "__wrapped__"):
            nxt = getattr(obj, attr, None)
            if nxt is not None:
                break
        if nxt is None:
            return
        obj = nxt


class _ClassChecks:
    """Hidden class attribute collecting a class body's ``@override`` methods.

    ``code`` is the class body's code object: it tells, only when a name is not found,
    whether a class decorator follows the class statement (see :func:`_decorated`).
    """

    __slots__ = ("code", "entries")
    code: CodeType
    entries: list[object]

    def __set_name__(self, owner: type, key: str) -> None:
        global _last
        if _last[2] is self:
            _last = _NO_BODY  # release the class body's frame
        try:
            delattr(owner, key)
        except (AttributeError, TypeError):  # pragma: no cover - exotic metaclass
            pass
        namespace = owner.__dict__
        get = namespace.get
        mro = owner.__mro__
        function = FunctionType
        others: Optional[list[object]] = None
        for obj in self.entries:
            # The fast path: a plain function, the class attribute under its own name.
            if type(obj) is function:
                name = obj.__name__
                if get(name) is obj:
                    for klass in mro:
                        if klass is owner:
                            continue
                        base_dict = klass.__dict__
                        if name in base_dict:
                            base = base_dict[name]
                            if type(base) is function:
                                oc = obj.__code__  # type: ignore[union-attr]
                                bc = base.__code__
                                if (
                                    oc.co_argcount == bc.co_argcount
                                    and not oc.co_kwonlyargcount
                                    and not bc.co_kwonlyargcount
                                ):
                                    break  # the fast path of _call_problem, inlined
                            _check_found(owner, name, obj, base)
                            break
                    else:
                        _check_missing(owner, name, obj, self.code)
                    continue
            if others is None:
                others = []
            others.append(obj)
        if others is not None:
            self._check_others(owner, others)

    def _check_others(self, owner: type, others: list[object]) -> None:
        """Entries wrapped by another decorator, or stored under another name (rare)."""
        namespace = owner.__dict__
        done: set[str] = set()
        for obj in others:
            name = _attr_name(namespace, obj)
            if name is None or name in done:
                continue
            done.add(name)
            value = namespace[name]
            for klass in owner.__mro__[1:]:
                base_dict = klass.__dict__
                if name in base_dict:
                    _check_found(owner, name, value, base_dict[name])
                    break
            else:
                _check_missing(owner, name, value, self.code)


class _Override:
    """What ``override`` returns outside a class body, e.g. to build the namespace of
    ``type(name, bases, ns)``: when put in a class, it puts the original back and checks it.

    Nothing can decorate a class that a call is creating, so a name not found raises.
    """

    __slots__ = ("__wrapped__",)
    __override__ = True
    __wrapped__: Any

    def __set_name__(self, owner: type, name: str) -> None:
        wrapped = self.__wrapped__
        setattr(owner, name, wrapped)
        for klass in owner.__mro__:
            if klass is owner:
                continue
            base_dict = klass.__dict__
            if name in base_dict:
                base = base_dict[name]
                if type(wrapped) is FunctionType and type(base) is FunctionType:
                    oc = wrapped.__code__
                    bc = base.__code__
                    if (
                        oc.co_argcount == bc.co_argcount
                        and not oc.co_kwonlyargcount
                        and not bc.co_kwonlyargcount
                    ):
                        return  # the fast path of _call_problem, inlined
                _check_found(owner, name, wrapped, base)
                return
        _check_missing(owner, name, wrapped, self._body())

    def _body(self) -> Optional[CodeType]:
        return None

    # Used only if the wrapper never reaches a class namespace directly.
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__wrapped__(*args, **kwargs)

    def __get__(self, obj: object, objtype: Optional[type] = None) -> Any:
        get = getattr(type(self.__wrapped__), "__get__", None)
        return self.__wrapped__ if get is None else get(self.__wrapped__, obj, objtype)


class _BodyOverride(_Override):
    """The wrapper used in a class body whose namespace refused the hidden attribute: ``code``
    (the class body's code object) tells whether a class decorator follows."""

    __slots__ = ("code",)
    code: CodeType

    def _body(self) -> Optional[CodeType]:
        return self.code


def _reaches(value: object, target: object) -> bool:
    """Whether ``target`` is ``value`` or wrapped by it (staticmethod, property, wraps...)."""
    todo = [value]
    for _ in range(32):
        if not todo:
            return False
        x = todo.pop()
        if x is target:
            return True
        for attr in _UNWRAP:
            try:
                nxt = getattr(x, attr, None)
            except Exception:
                nxt = None
            if nxt is not None:
                todo.append(nxt)
    return False


def _attr_name(namespace: Any, obj: object) -> Optional[str]:
    """The attribute name under which ``obj`` (or something wrapping it) ended up."""
    hint = getattr(_innermost(obj), "__name__", None)
    if isinstance(hint, str):
        value = namespace.get(hint, _MISSING)
        if value is obj or (value is not _MISSING and _reaches(value, obj)):
            return hint
    for key, value in namespace.items():
        if key not in _NOT_HOOKS and _reaches(value, obj):
            return str(key)
    if isinstance(hint, str) and hint in namespace:  # hidden by a decorator without @wraps
        return hint
    return None


# --------------------------------------------------------------------------- the check


def _check_found(owner: type, name: str, value: object, base: object) -> None:
    """Raise OverrideError if ``value`` cannot be called like ``base``, the first definition
    of ``name`` in the MRO after ``owner`` (a constructor's signature may differ freely, as
    OC103 has it)."""
    problem = None if name in CONSTRUCTORS else _call_problem(value, base)
    if problem is not None:
        source = next(k for k in owner.__mro__[1:] if name in k.__dict__)
        raise _signature_error(owner, name, value, source.__name__, problem)


def _check_missing(owner: type, name: str, value: object, code: Optional[CodeType]) -> None:
    """``name`` is in no class of the MRO after ``owner``: look in the declared interfaces.

    Raises OverrideError unless an interface declares ``name`` (with a compatible method), or
    the name may still come from a class decorator (see :func:`_may_wait`): then it is pending.
    """
    zi = sys.modules.get("zope.interface")
    spec = _spec(zi, owner, create=False)
    if spec is not None:
        found = _iface_lookup(spec, name)
        if found is not None:
            problem = _iface_problem(value, found[0])
            if problem is not None:
                raise _signature_error(owner, name, value, found[1], problem)
            return
    provided = _provided(owner, spec)
    suggestions = [m.name for m in rank(_written(owner, name), provided, _marked(provided))[:3]]
    if zi is None or suggestions or not _decorated(code):
        raise _missing_error(owner, name, value, suggestions, provided, marked=True)
    _add_pending(owner, name)


def _decorated(code: Optional[CodeType]) -> bool:
    """Whether a class decorator follows the class statement whose body is ``code``.

    Called while that class is being created (from ``__set_name__``), so the frame running
    the class statement is on the stack: the one whose code holds ``code`` as a constant.
    Its current line is the line of the ``class`` keyword, while ``code.co_firstlineno`` is the
    line of the first decorator when there is one (Python 3.8+).  ``code`` is None for
    ``type(name, bases, ns)``: nothing can decorate a class that is being created by a call.
    When the statement's frame is not found, a decorator is assumed (the name waits).
    """
    if code is None:
        return False
    frame: Optional[FrameType] = _getframe(1)
    for _ in range(64):
        if frame is None:
            break
        if any(const is code for const in frame.f_code.co_consts):
            return frame.f_lineno != code.co_firstlineno
        frame = frame.f_back
    return True


def _spec(zi: Optional[ModuleType], cls: type, *, create: bool) -> Any:
    """zope's ``implementedBy(cls)``, or None (no zope, or nothing declared and not ``create``)."""
    if zi is None:
        return None
    if not create and not any("__implemented__" in k.__dict__ for k in cls.__mro__):
        return None
    try:
        return zi.implementedBy(cls)
    except Exception:
        return None


def _iface_lookup(spec: Any, name: str) -> Optional[tuple[Any, str]]:
    """(attribute description, interface name) of the first interface defining ``name``."""
    try:
        for iface in spec.__iro__:
            attr = iface.direct(name)
            if attr is not None:
                return attr, str(iface.__name__)
    except Exception:
        return None
    return None


def _provided(cls: type, spec: Any, *, exclude: Any = ()) -> dict[str, str]:
    """Every name the bases or interfaces of ``cls`` provide -> where it comes from.

    The first class of the MRO that defines a name wins over any interface.
    """
    provided: dict[str, str] = {}
    for klass in cls.__mro__[1:]:
        for key in klass.__dict__:
            if key not in provided and key not in _NOT_HOOKS and key not in exclude:
                provided[key] = klass.__name__
    if spec is not None:
        try:
            for iface in spec.__iro__:
                for key in iface.names():
                    if key not in provided and key not in exclude:
                        provided[key] = str(iface.__name__)
        except Exception:
            pass
    return provided


def _marked(provided: dict[str, str]) -> Role:
    """A method marked ``@override`` is meant to override something: every provided name is
    taken for a hook (keyboard slips count; inflections are typos too)."""
    return Role(hooks=provided)


def _trivial_code() -> tuple[frozenset[bytes], frozenset[tuple[bytes, tuple[str, ...]]]]:
    """The bytecode of the stub bodies the linter calls trivial, as this interpreter makes it:
    ``pass``, a docstring, ``...``, a bare ``return``; and ``raise NotImplementedError``."""

    def p(self: object) -> None:
        pass

    def d(self: object) -> None:
        """Doc."""

    def e(self: object) -> None: ...

    def r(self: object) -> None:
        return

    def n(self: object) -> None:
        raise NotImplementedError

    def c(self: object) -> None:
        raise NotImplementedError()

    plain = frozenset(f.__code__.co_code for f in (p, d, e, r))
    raising = frozenset((f.__code__.co_code, f.__code__.co_names) for f in (n, c))
    return plain, raising


_PLAIN_STUBS, _RAISING_STUBS = _trivial_code()


def _is_stub(func: FunctionType) -> bool:
    """Whether a function's body is a stub (see :func:`_trivial_code`)."""
    code = func.__code__
    return code.co_code in _PLAIN_STUBS or (code.co_code, code.co_names) in _RAISING_STUBS


def _roles(cls: type, spec: Any, candidates: dict[str, str]) -> Role:
    """What the linter's OC101 knows from summaries, read from the live classes: hooks are
    interface members, stubs, methods documented to be overridden and a framework's
    callbacks (``FRAMEWORK_HOOKS``); concrete methods are the other plain functions."""
    # the shared tables, loaded by check_class only (as the audit's are)
    from overridecheck._conventions_data import FRAMEWORK_HOOKS, OVERRIDABLE

    hooks: set[str] = set()
    concrete: set[str] = set()
    seen: set[str] = set()
    for klass in cls.__mro__[1:]:
        listed = FRAMEWORK_HOOKS.get((klass.__module__, klass.__qualname__), frozenset())
        hooks.update(n for n in listed if n in candidates)
        for key, value in klass.__dict__.items():
            if key in seen or key not in candidates:
                continue
            seen.add(key)
            if type(value) is not FunctionType:
                continue
            stub = _is_stub(value)
            doc = value.__doc__
            if stub or (isinstance(doc, str) and OVERRIDABLE.search(doc) is not None):
                hooks.add(key)
            if not stub and not key.startswith("__"):
                concrete.add(key)
    if spec is not None:
        try:
            for iface in spec.__iro__:
                hooks.update(k for k in iface.names() if k in candidates)
        except Exception:
            pass
    return Role(frozenset(hooks), frozenset(concrete))


# --------------------------------------------------------------------------- signatures


def _call_problem(override: object, base: object) -> Optional[str]:
    """Why ``override`` cannot be called like ``base`` (both class attributes), or None."""
    if type(override) is FunctionType and type(base) is FunctionType:
        oc, bc = override.__code__, base.__code__
        if (
            oc.co_argcount == bc.co_argcount
            and not oc.co_kwonlyargcount
            and not bc.co_kwonlyargcount
        ):
            return None  # accepts exactly the base's positional arguments
    mine = _attr_params(override)
    theirs = _attr_params(base)
    if mine is None or theirs is None:
        return None
    return incompatibility(mine, theirs)


def _iface_problem(override: object, attr: Any) -> Optional[str]:
    mine = _attr_params(override)
    if mine is None:
        return None
    try:
        info = attr.getSignatureInfo()
        positional, required = tuple(info["positional"]), tuple(info["required"])
        if positional[:1] == (INTERFACE_SELF,):
            # Declared with `self` (legacy, OC108): implementations are called without it.
            # `self` is required unless every positional parameter is optional.
            positional, required = positional[1:], required[1:]
        theirs = Params(
            positional=len(positional),
            required=len(required),
            varargs=bool(info["varargs"]),
            varkw=bool(info["kwargs"]),
        )
    except Exception:  # an Attribute, not a Method
        return None
    return incompatibility(mine, theirs)


def _attr_params(value: object) -> Optional[Params]:
    """How a class attribute is called through an instance, or None when unknown."""
    if isinstance(value, FunctionType):
        return _code_params(value, bound=True)
    if isinstance(value, (staticmethod, classmethod)):
        func = value.__func__
        if isinstance(func, FunctionType):
            return _code_params(func, bound=isinstance(value, classmethod))
    return None


def _code_params(func: FunctionType, *, bound: bool) -> Optional[Params]:
    code = func.__code__
    count = code.co_argcount
    required = count - len(func.__defaults__ or ())
    kwonly = tuple(code.co_varnames[count : count + code.co_kwonlyargcount])
    kwdefaults = func.__kwdefaults__ or {}
    varargs = bool(code.co_flags & _CO_VARARGS)
    if bound:
        if count:
            count -= 1
            required = max(required - 1, 0)
        elif not varargs:
            return None  # cannot even take self: not our business
    return Params(
        positional=count,
        required=required,
        varargs=varargs,
        kwonly_required=tuple(n for n in kwonly if n not in kwdefaults),
        varkw=bool(code.co_flags & _CO_VARKEYWORDS),
        kwonly=kwonly,
    )


# --------------------------------------------------------------------------- pending names


class _Pending:
    """@override names of one class not found at creation; may come from interfaces later."""

    __slots__ = ("listener", "names")

    def __init__(self, names: list[str], listener: Optional[_Listener]) -> None:
        self.names = names
        self.listener = listener


# Keyed weakly by class; values hold only strings and a listener with a weak reference back.
_PENDING: weakref.WeakKeyDictionary[type, _Pending] = weakref.WeakKeyDictionary()


class _Listener:
    """Subscribed to the class's zope declaration; told when interfaces are declared on it.

    zope calls ``changed`` from ``classImplements`` (so from ``@implementer``).  When the change
    is a declaration on this very class and the class has no subclasses yet (i.e. right after
    its creation), near misses raise from there; otherwise names are only resolved quietly.
    """

    __slots__ = ("__weakref__", "owner")

    def __init__(self, owner: type) -> None:
        self.owner = weakref.ref(owner)

    def changed(self, originally_changed: object) -> None:
        owner = self.owner()
        if owner is None:
            return
        direct = originally_changed is owner.__dict__.get("__implemented__")
        loud = direct and not type.__subclasses__(owner)
        _resolve(owner, raise_near_misses=loud, raise_all=False)


def _add_pending(owner: type, name: str) -> None:
    record = _PENDING.get(owner)
    if record is None:
        listener: Optional[_Listener] = None
        spec = _spec(sys.modules.get("zope.interface"), owner, create=True)
        if spec is not None:
            listener = _Listener(owner)
            try:
                spec.subscribe(listener)
            except Exception:  # pragma: no cover
                listener = None
        record = _PENDING[owner] = _Pending([], listener)
    if name not in record.names:
        record.names.append(name)


def _resolve(owner: type, *, raise_near_misses: bool, raise_all: bool) -> None:
    """Re-check the pending names of ``owner``; forget those now provided."""
    record = _PENDING.get(owner)
    if record is None:
        return
    spec = _spec(sys.modules.get("zope.interface"), owner, create=False)
    resolved: set[str] = set()
    try:
        for name in record.names:
            value = owner.__dict__.get(name, _MISSING)
            if value is _MISSING:
                resolved.add(name)  # deleted since
                continue
            found = _iface_lookup(spec, name) if spec is not None else None
            if found is None and any(name in k.__dict__ for k in owner.__mro__[1:]):
                resolved.add(name)  # a base gained it
                continue
            if found is not None:
                resolved.add(name)
                problem = _iface_problem(value, found[0])
                if problem is not None and (raise_near_misses or raise_all):
                    raise _signature_error(owner, name, value, found[1], problem)
                continue
            if raise_near_misses or raise_all:
                provided = _provided(owner, spec)
                written = _written(owner, name)
                suggestions = [m.name for m in rank(written, provided, _marked(provided))[:3]]
                if suggestions or raise_all:
                    raise _missing_error(owner, name, value, suggestions, provided, marked=True)
    finally:
        remaining = [n for n in record.names if n not in resolved]
        if remaining:
            record.names[:] = remaining
        else:
            _PENDING.pop(owner, None)


def pending(cls: type) -> list[str]:
    """The @override names of ``cls`` waiting for an interface declaration (for tests)."""
    record = _PENDING.get(cls)
    return list(record.names) if record is not None else []


def implementer(*interfaces: Any) -> Callable[[_T], _T]:
    """``zope.interface.implementer`` that also verifies the class's pending @override names.

    Declares the interfaces, then raises :class:`OverrideError` for every ``@override`` method
    of the class that neither its bases nor its interfaces (now declared) define.  With several
    interfaces, pass them all to one ``implementer(...)`` call (or make it the outermost
    decorator): names another, later decorator would provide are reported.
    """
    import importlib

    declare = importlib.import_module("zope.interface").implementer(*interfaces)

    def apply(ob: _T) -> _T:
        result: _T = declare(ob)
        if isinstance(result, type):
            _resolve(result, raise_near_misses=True, raise_all=True)
        return result

    return apply


# --------------------------------------------------------------------------- audit


def _is_marked(value: object) -> bool:
    todo = [value]
    for _ in range(32):
        if not todo:
            return False
        x = todo.pop()
        try:
            if getattr(x, "__override__", False) is True:
                return True
            todo.extend(n for a in _UNWRAP if (n := getattr(x, a, None)) is not None)
        except Exception:
            pass
    return False


def _is_method(value: object) -> bool:
    if isinstance(value, type):
        return False
    return isinstance(value, (staticmethod, classmethod, property)) or callable(value)


def check_class(cls: type) -> list[OverrideError]:
    """Audit ``cls`` (decorated or not); return its problems as OverrideError instances.

    Reports, in definition order:

    * methods marked ``@override`` (by this package or ``typing_extensions``) whose name no base
      or interface defines -- including names left *pending* at class creation -- and those
      that cannot be called like the method they override;
    * unmarked methods whose name is a near miss of a name a base or interface provides and
      that the class does not define itself (``conectionMade`` next to ``connectionMade``).
      Names a base defines are never reported, nor valid special method names (``__int__``);
    * what the linter's OC104 and OC106 report, from the same tables: handlers a framework
      dispatches by prefix (``render_get`` on a ``Resource``), misspelt test prefixes
      (``tset_login``), ``remote_`` methods no ``callRemote`` reaches, and class attributes
      that near-miss one a base or interface defines (``isleaf``).

    Nothing is raised; the caller decides (``raise errors[0]``, print, assert empty...).
    """
    from overridecheck import _audit  # the OC104/OC106 tables: loaded on first use only

    zi = sys.modules.get("zope.interface")
    spec = _spec(zi, cls, create=False)
    own = cls.__dict__
    provided = _provided(cls, spec)
    candidates: Optional[dict[str, str]] = None
    role = Role()
    findings: dict[str, OverrideError] = {}
    for key, value in list(own.items()):
        name = str(key)
        if name in _NOT_HOOKS:
            continue
        if _is_marked(value):
            base = next((k for k in cls.__mro__[1:] if name in k.__dict__), None)
            if base is not None:
                problem = (
                    None if name in CONSTRUCTORS else _call_problem(value, base.__dict__[name])
                )
                if problem is not None:
                    findings[name] = _signature_error(cls, name, value, base.__name__, problem)
                continue
            found = _iface_lookup(spec, name) if spec is not None else None
            if found is not None:
                problem = _iface_problem(value, found[0])
                if problem is not None:
                    findings[name] = _signature_error(cls, name, value, found[1], problem)
                continue
            written = _written(cls, name)
            suggestions = [m.name for m in rank(written, provided, _marked(provided))[:3]]
            findings[name] = _missing_error(cls, name, value, suggestions, provided, marked=True)
            continue
        if name in provided or _written(cls, name) in KNOWN_DUNDERS or not _is_method(value):
            continue
        if candidates is None:
            candidates = _provided(cls, spec, exclude=own)
            role = _roles(cls, spec, candidates)
        suggestions = [m.name for m in rank(_written(cls, name), candidates, role)[:3]]
        if suggestions:
            findings[name] = _missing_error(cls, name, value, suggestions, candidates, marked=False)
    inherited = {k for klass in cls.__mro__[1:] for k in klass.__dict__}
    findings.update(_audit.handler_findings(cls, own, inherited, skip=findings))
    findings.update(_audit.attribute_findings(cls, own, inherited, spec, skip=findings))
    order = {name: index for index, name in enumerate(own)}
    return [findings[name] for name in sorted(findings, key=order.__getitem__)]

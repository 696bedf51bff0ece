"""Names the runtime decorator and the linter agree on: special methods, override decorators,
constructors, the ``self`` of legacy interface members.  Pure data (no imports), so the
runtime can use it cheaply.
"""

from __future__ import annotations

__all__ = [
    "CONSTRUCTORS",
    "INTERFACE_SELF",
    "OVERRIDE_DECORATORS",
    "OVERRIDE_IMPORT_SOURCES",
    "SPECIAL_METHODS",
]

# Where OC107's fix may import `override` from, the default first.
OVERRIDE_IMPORT_SOURCES = ("typing_extensions", "typing", "overridecheck")

# Fully qualified names of decorators that mark an override (PEP 698 and the `overrides` package).
OVERRIDE_DECORATORS = frozenset(
    {
        "overridecheck.override",
        "overridecheck._runtime.override",
        "typing.override",
        "typing_extensions.override",
        "overrides.override",
        "overrides.overrides",
        "overrides.overrides.overrides",
        "overrides.overrides.override",
    }
)

# The data model's special method names and the other dunders Python, the standard library and
# common frameworks look up (attrs, pydantic, zope, SQLAlchemy...): defining one is never a typo
# of another (``__int__`` is not a misspelt ``__init__``), and a near miss of one is.
SPECIAL_METHODS = frozenset(
    """
    __abs__ __abstractmethods__ __add__ __aenter__ __aexit__ __aiter__ __all__ __and__ __anext__
    __annotations__ __attrs_post_init__ __attrs_pre_init__ __await__ __bool__ __buffer__
    __bytes__ __call__ __ceil__ __class__ __class_getitem__ __clause_element__ __cmp__
    __coerce__ __complex__ __conform__ __contains__ __copy__ __dataclass_fields__ __deepcopy__
    __del__ __delattr__ __delete__ __delitem__ __delslice__ __dict__ __dir__ __div__ __divmod__
    __doc__ __enter__ __eq__ __exit__ __final__ __float__ __floor__ __floordiv__ __format__
    __fspath__ __ge__ __get__ __get_validators__ __getattr__ __getattribute__ __getitem__
    __getnewargs__ __getnewargs_ex__ __getslice__ __getstate__ __gt__ __hash__ __hex__ __html__
    __iadd__ __iand__ __idiv__ __ifloordiv__ __ilshift__ __imatmul__ __imod__ __implemented__
    __imul__ __index__ __init__ __init_subclass__ __init_weakref__ __instancecheck__ __int__
    __invert__ __ior__ __ipow__ __irshift__ __isub__ __iter__ __itruediv__ __ixor__ __json__
    __le__ __len__ __length_hint__ __long__ __lshift__ __lt__ __match_args__ __matmul__
    __missing__ __mod__ __module__ __mro_entries__ __mul__ __name__ __ne__ __neg__ __new__
    __next__ __nonzero__ __oct__ __or__ __orig_bases__ __override__ __parameters__ __pos__
    __post_init__ __pow__ __prepare__ __providedBy__ __provides__ __qualname__ __radd__ __rand__
    __rdiv__ __rdivmod__ __reduce__ __reduce_ex__ __release_buffer__ __replace__ __repr__
    __reversed__ __rfloordiv__ __rich_repr__ __rlshift__ __rmatmul__ __rmod__ __rmul__ __ror__
    __round__ __rpow__ __rrshift__ __rshift__ __rsub__ __rtruediv__ __rxor__ __set__
    __set_name__ __set_state__ __setattr__ __setitem__ __setslice__ __setstate__ __signature__
    __sizeof__ __slots__ __str__ __sub__ __subclasscheck__ __subclasses__ __subclasshook__
    __text_signature__ __truediv__ __trunc__ __unicode__ __weakref__ __wrapped__ __xor__
    """.split()
)

# Constructors are called by whoever knows the subclass: their signatures may differ freely.
CONSTRUCTORS = frozenset({"__init__", "__new__", "__init_subclass__", "__class_getitem__"})

# zope.interface methods are declared without `self`; legacy interfaces declare it anyway. A first
# parameter of an interface method with exactly this name is taken as implicit (as mypy-zope
# does: it reports only `self`); `cls` or any other name is a real parameter.
INTERFACE_SELF = "self"

"""The one place where pipeline components are registered, under versioned names.

A component is a pure function ``(work, resources) -> work``: it reads the
fields of the immutable :class:`~nlp_service.work.Work` it declares in
``requires`` and returns a copy with the fields in ``assigns`` filled. It keeps
no per-call state, so one pipeline serves many threads. The pipeline checks at
build time that every component's inputs are produced by an earlier one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from nlp_service.work import Resources, Work

ComponentFn = Callable[[Work, Resources], Work]
# the names a component may require or assign: the fields of Work
WORK_FIELDS = frozenset(f.name for f in dataclasses.fields(Work))


@dataclass(frozen=True)
class Component:
    """A registered pipeline component."""

    name: str  # versioned, e.g. "repeats.v1"
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    fn: ComponentFn


_REGISTRY: dict[str, Component] = {}


def register(name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()) -> Callable[
    [ComponentFn], ComponentFn
]:
    """Register a component function under ``name`` (which must carry a version)."""
    if "." not in name or not name.rsplit(".", 1)[1].startswith("v"):
        raise ValueError(f"component name {name!r} needs a version suffix such as '.v1'")
    unknown = [f for f in (*requires, *assigns) if f not in WORK_FIELDS]
    if unknown:
        raise ValueError(f"component {name!r} names {unknown}, which are no fields of Work")

    def decorate(fn: ComponentFn) -> ComponentFn:
        if name in _REGISTRY:
            raise ValueError(f"component {name!r} is registered twice")
        _REGISTRY[name] = Component(name, requires, assigns, fn)
        return fn

    return decorate


def get(name: str) -> Component:
    """The component registered under ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"no component {name!r}; registered: {known}") from None


def registered() -> tuple[str, ...]:
    """Names of all registered components."""
    return tuple(sorted(_REGISTRY))

"""Packages whose names are loaded from their modules on first use (PEP 562), so a command imports only
what it needs.

A name may be both a function of the package and a submodule of it (`bilingual_registry.review`, the
function `review()` and the package below it): importing the submodule makes Python set it on the
package, which must not hide the function.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Callable


def lazy_names(package: str, home: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Make the package load each name of `home` (name -> its submodule) on first use; returns the
    module's `__getattr__` and `__dir__`."""
    module = sys.modules[package]

    class _Package(types.ModuleType):
        def __setattr__(self, name: str, value) -> None:
            if isinstance(value, types.ModuleType) and home.get(name) == name:
                value = getattr(value, name)  # the submodule of a function's name: the function stays
            super().__setattr__(name, value)

    module.__class__ = _Package

    def __getattr__(name: str):
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{home[name]}", package), name)
        module.__dict__[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*module.__dict__, *home})

    return __getattr__, __dir__

"""The review's checks, one module per family; importing this package registers them all.

The order here is the order a field's findings are listed in.
"""
from . import (  # noqa: F401
    completeness, truncation, numbers, lists, brackets, glossary_terms, names, places, spelling, leftovers,
    contacts, consistency,
)

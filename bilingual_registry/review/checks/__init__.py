"""The review's checks, one module per family; importing this package registers them all."""
from . import brackets, completeness, consistency, names, truncation  # noqa: F401

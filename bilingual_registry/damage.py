"""The old import path of the record generator, now `bilingual_registry.synth`."""
from .synth import *  # noqa: F401,F403

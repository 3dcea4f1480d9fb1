from .glossary.tbx import *  # noqa: F401,F403 - old import path, kept for one release

"""`python -m bilingual_registry.cli`: the `bireg` command."""
import sys

from . import main

sys.exit(main())

"""`python -m bilingual_registry`: the `bireg` command."""
import sys

from .cli import main

sys.exit(main())

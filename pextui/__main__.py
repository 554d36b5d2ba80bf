"""`python -m pextui` is the `pextui` command."""

import sys

from pextui.cli import main

sys.exit(main())

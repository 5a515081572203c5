"""`python -m insight ...`: see insight.cli."""

import sys

from insight.cli import main

sys.exit(main())

"""`python -m services.client.cli` is the `aisec` command."""

import sys

from services.client.cli import main

sys.exit(main())

"""``python -m examkit_app``: the examkit command."""

import sys

from examkit_app import main

sys.exit(main())

"""`python -m yeonpyo`: the `yeonpyo` command."""

from .cli import main

raise SystemExit(main())

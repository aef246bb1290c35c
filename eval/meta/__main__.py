"""`python -m eval.meta`: see `eval.meta.cli`."""

from eval.meta.cli import main

raise SystemExit(main())

"""`python -m cli …` is the `cchc` command."""
import sys

from cli.main import main

sys.exit(main())

"""python -m hermit"""

from hermit.cli import main

main()

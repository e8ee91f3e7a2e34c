"""`python -m prcli` runs the same entry point as the `prcli` script."""

from prcli.cli.main import main

main()

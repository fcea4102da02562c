"""Run the command line as `python -m newsparse`."""

from newsparse.cli import run

run()

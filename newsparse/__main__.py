"""Run the command line as `python -m newsparse`."""

from newsparse.commands import run

run()

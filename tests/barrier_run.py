"""Run prcli in a process that starts now but begins its command only when released.

    python barrier_run.py READY_FILE BARRIER_FILE prcli-arguments...

Imports prcli first (the slow part), creates READY_FILE, waits for BARRIER_FILE, then runs the
command. A test starts N of these, waits for N ready files, creates the barrier: the N commands
then truly run at once (not one after another as process start-up would stagger them).
"""

import sys
import time
from pathlib import Path

import prcli.cli.app
import prcli.ids
import prcli.importing
import prcli.validation  # noqa: F401
from prcli.cli.main import main

ready, barrier = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
deadline = time.monotonic() + 60
while not barrier.exists():
    if time.monotonic() > deadline:
        sys.exit("barrier never released")
    time.sleep(0.002)
sys.argv = ["prcli", *sys.argv[3:]]
main()

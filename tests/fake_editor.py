"""A stand-in for $EDITOR in tests. Instructions come from FAKE_EDITOR_* variables:

REPLACE=text (write exactly this), SUBSTITUTE=old=>new, APPEND=text, FAIL=status (exit with it),
LOG=path (append the edited file's name to it, to count editor runs),
RACE=path::old=>new (change another file meanwhile, as a second process would),
GATHER=path::count (append a line to path, then wait until it has `count` lines: N concurrent
editors all hold their copy before any of them saves), HANG=seconds (after saving, stay open that
long, as `code --wait` does until its tab is closed).
"""

import os
import sys
from pathlib import Path

path = Path(sys.argv[-1])
if os.environ.get("FAKE_EDITOR_LOG"):
    with open(os.environ["FAKE_EDITOR_LOG"], "a", encoding="utf-8") as log:
        log.write(path.name + "\n")
if os.environ.get("FAKE_EDITOR_FAIL"):
    sys.exit(int(os.environ["FAKE_EDITOR_FAIL"]))
if os.environ.get("FAKE_EDITOR_RACE"):
    target, change = os.environ["FAKE_EDITOR_RACE"].split("::", 1)
    old, new = change.split("=>", 1)
    other = Path(target)
    other.write_text(other.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
if os.environ.get("FAKE_EDITOR_GATHER"):
    import time

    gather, count = os.environ["FAKE_EDITOR_GATHER"].split("::", 1)
    with open(gather, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(Path(gather).read_text(encoding="utf-8").splitlines()) >= int(count):
            break
        time.sleep(0.005)
text = path.read_text(encoding="utf-8")
if "FAKE_EDITOR_REPLACE" in os.environ:
    text = os.environ["FAKE_EDITOR_REPLACE"]
if "FAKE_EDITOR_SUBSTITUTE" in os.environ:
    old, new = os.environ["FAKE_EDITOR_SUBSTITUTE"].split("=>", 1)
    text = text.replace(old, new)
if "FAKE_EDITOR_APPEND" in os.environ:
    text += os.environ["FAKE_EDITOR_APPEND"]
path.write_text(text, encoding="utf-8", newline="\n")
if os.environ.get("FAKE_EDITOR_HANG"):
    import time

    try:
        time.sleep(float(os.environ["FAKE_EDITOR_HANG"]))
    except KeyboardInterrupt:  # Ctrl-C reaches the editor too; it stops quietly
        sys.exit(130)

"""Screenshots of the newsroom site for the README, taken in headless Chromium.

    .venv/bin/python docs/screenshots.py

Builds the sample repository's site in a temporary copy (one release retracted, to show the
notice), serves it on 127.0.0.1, and saves phone-sized screenshots as small palette PNGs in docs/.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PRCLI = str(Path(sys.executable).with_name("prcli"))
NOW = "2026-11-27T12:00:00+04:00"
SHOTS = {
    "site-index-az.png": "az/index.html",
    "site-release-ru.png": "releases/2021-10-15-regionalnye-rukovoditeli-grazhdanskoi-zashchity-vstretilis-v.html",
    "site-retracted-en.png": "releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html",
    "site-search-az.png": "az/search.html?q=susa",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="prcli-shots-") as temp:
        repo = Path(temp) / "sample"
        repo.mkdir()
        shutil.copy(ROOT / "prcli.toml", repo / "prcli.toml")
        shutil.copytree(ROOT / "releases", repo / "releases")
        env = dict(os.environ, PRCLI_NOW=NOW, PRCLI_REPO=str(repo))
        reason = "Issued in error: the seasonal forecast was revised the same day."
        subprocess.run(
            [PRCLI, "retract", "2021-11-02-statement", "--reason", reason], env=env, check=True
        )
        subprocess.run(
            [PRCLI, "export", "-f", "html", "-o", str(repo / "site")], env=env, check=True
        )
        handler = functools.partial(_Quiet, directory=str(repo / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            for name, page in SHOTS.items():
                target = HERE / name
                subprocess.run(
                    [
                        chromium,
                        "--headless",
                        "--no-sandbox",
                        "--hide-scrollbars",
                        "--virtual-time-budget=15000",
                        "--window-size=400,860",
                        f"--screenshot={target}",
                        base + page,
                    ],
                    check=True,
                    capture_output=True,
                )
                with Image.open(target) as image:
                    small = image.convert("RGB").quantize(colors=48, dither=Image.Dither.NONE)
                small.save(target, optimize=True)
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KiB")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()

"""Renditions and press kits: the cost of the first export (every picture rendered) against a
re-export (renditions from the cache in .prcli/renditions/), with whole prcli processes.

    .venv/bin/python benchmarks/media.py [--releases 10] [--photos 3] [--runs 3]

Builds a throwaway repository in a temporary folder: published releases, each with photos of
4000 x 3000 pixels (a 12-megapixel camera) attached through `prcli attach`, then times
`export --format kit` and `export --format html` cold (cache removed before each run) and warm.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRCLI = str(Path(sys.executable).with_name("prcli"))


def photo(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for step in range(40):  # some detail, so the JPEG is not trivially small
        x = (seed * 97 + step * 131) % 3900
        y = (seed * 53 + step * 71) % 2900
        draw.rectangle((x, y, x + 100, y + 80), fill=((step * 37) % 255, (seed * 11) % 255, 90))
    image.save(path, "JPEG", quality=90)


def run(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([PRCLI, *args], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--releases", type=int, default=10)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "press"
        subprocess.run(
            [PRCLI, "init", str(root), "--no-input", "--org", "Bench"],
            check=True,
            capture_output=True,
        )
        ids = []
        for number in range(options.releases):
            result = subprocess.run(
                [PRCLI, "new", f"Release number {number}", "--no-input", "--no-edit",
                 "--category", "Events", "--date", "2026-11-0" + str(1 + number % 9)],
                cwd=root, check=True, capture_output=True, text=True,
            )  # fmt: skip
            release_id = Path(result.stdout.strip()).stem
            ids.append(release_id)
            for index in range(options.photos):
                source = Path(temp) / f"photo-{number}-{index}.jpg"
                photo(source, number * 10 + index)
                subprocess.run(
                    [PRCLI, "attach", release_id, str(source), "--caption", "c", "--credit", "c",
                     "--alt", "a"],
                    cwd=root, check=True, capture_output=True,
                )  # fmt: skip
        cache = root / ".prcli" / "renditions"
        pictures = options.releases * options.photos
        print(f"{options.releases} releases x {options.photos} photos of 4000 x 3000 ({pictures})")
        for fmt in ("kit", "html"):
            cold, warm = [], []
            for attempt in range(options.runs):
                shutil.rmtree(cache, ignore_errors=True)
                out = Path(temp) / f"{fmt}-cold-{attempt}"
                cold.append(
                    run(root, "export", "--format", fmt, "--include-unpublished", "-o", f"{out}/")
                )
                out = Path(temp) / f"{fmt}-warm-{attempt}"
                warm.append(
                    run(root, "export", "--format", fmt, "--include-unpublished", "-o", f"{out}/")
                )
            c, w = statistics.median(cold), statistics.median(warm)
            print(
                f"export --format {fmt:4}  cold {c:6.2f} s ({c / pictures * 1000:4.0f} ms a picture)"
                f"  warm {w:6.2f} s  ratio {c / w:4.1f} x"
            )


if __name__ == "__main__":
    main()

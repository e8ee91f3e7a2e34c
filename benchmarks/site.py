"""The newsroom site against Hugo, on the same releases in the same run.

    .venv/bin/python benchmarks/site.py                 # 10,000 releases, 3 runs each
    .venv/bin/python benchmarks/site.py --size 1000 --runs 5
    .venv/bin/python benchmarks/site.py --only incremental   # full, unchanged, one edit only

Measured, as whole processes (wall time, median of --runs):

- prcli full: `prcli export --format html -o SITE` into an empty folder with no render cache: every
  page, feed, sitemap and the Pagefind search bundles;
- prcli no search: the same with `[site] search = false` (what Hugo's minimal theme builds);
- prcli unchanged: the same export again, nothing changed;
- prcli one edit: the same export after one release's body was edited;
- hugo: `hugo` building the same release files (contentDir = the corpus's releases/) with a minimal
  theme: a page per release and paged lists, into an empty folder;
- hugo + pagefind: the same, then Pagefind (the same binary prcli uses) indexing Hugo's output,
  which is how a Hugo site gets a static search: the like-for-like figure for `prcli full`.

The corpus comes from generate.py (benchmarks/corpus-N/, git-ignored). Each figure is given as
wall time and as CPU time (user + system of the process and everything it waited for: render
workers, Pagefind); the load average is printed before and after. The machine is shared: wall
times taken while others load it are pessimistic for both sides, CPU times much less so.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRCLI = str(Path(sys.executable).with_name("prcli"))
NOW = "2026-11-27T12:00:00+04:00"

HUGO_CONFIG = """baseURL = "https://press.example.org/"
contentDir = "{content}"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[pagination]
pagerSize = 20
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!DOCTYPE html><html lang="{{ .Site.LanguageCode }}"><head>'
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
    '<title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
    '<p>{{ .Params.category }} {{ .Date.Format "2 January 2006" }}</p>{{ .Content }}</article>'
    "{{ end }}",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>'
    '{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
    '{{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}',
}
HUGO_LAYOUTS["index.html"] = HUGO_LAYOUTS["_default/list.html"]


CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, name: str = "") -> float:
    """Wall time of a whole process; its CPU time (user + system) goes to CPU[name]."""
    environment = dict(os.environ, PRCLI_NOW=NOW)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()[-2000:]}")
    if name:
        CPU.setdefault(name, []).append(_children_cpu() - cpu)
    return elapsed


def hugo_site(corpus: Path, root: Path) -> Path:
    site = root / "hugo"
    for name, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (site / "hugo.toml").write_text(HUGO_CONFIG.format(content=corpus / "releases"))
    return site


def fresh_export(corpus: Path, out: Path, name: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(corpus / ".prcli" / "site", ignore_errors=True)
    return timed([PRCLI, "export", "--format", "html", "-o", str(out)], corpus, name)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=["all", "incremental"],
        default="all",
        help="incremental: the first export and the re-exports (unchanged, one edit) only, "
        "without the export without search and Hugo",
    )
    arguments = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import generate

    corpus = HERE / f"corpus-{arguments.size}"
    if not (corpus / "prcli.toml").exists():
        generate(arguments.size, corpus)
    everything = arguments.only == "all"
    hugo = shutil.which("hugo") if everything else None
    config = corpus / "prcli.toml"
    original = config.read_text()
    edited = sorted((corpus / "releases").rglob("*.md"))[len(original) % 97]
    edited_text = edited.read_text()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="prcli-site-bench-") as temp:
        root = Path(temp)
        out = root / "site"
        timed([PRCLI, "list", "--format", "ids"], corpus)  # warm the index cache and page cache
        load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        try:
            for run in range(arguments.runs):
                results.setdefault("prcli full", []).append(fresh_export(corpus, out, "prcli full"))
                results.setdefault("prcli unchanged", []).append(
                    timed(
                        [PRCLI, "export", "--format", "html", "-o", str(out)],
                        corpus,
                        "prcli unchanged",
                    )
                )
                edited.write_text(edited_text.replace("\n\n", f"\n\nEdit {run}.\n\n", 1))
                results.setdefault("prcli one edit", []).append(
                    timed(
                        [PRCLI, "export", "--format", "html", "-o", str(out)],
                        corpus,
                        "prcli one edit",
                    )
                )
                edited.write_text(edited_text)
                if everything:
                    config.write_text(original + "\n[site]\nsearch = false\n")
                    results.setdefault("prcli no search", []).append(
                        fresh_export(corpus, out, "prcli no search")
                    )
                    config.write_text(original)
                if hugo:
                    site = hugo_site(corpus, root)
                    shutil.rmtree(root / "public", ignore_errors=True)
                    results.setdefault("hugo", []).append(
                        timed([hugo, "--quiet", "-d", str(root / "public")], site, "hugo")
                    )
                    pagefind = [sys.executable, "-m", "pagefind", "--site", str(root / "public")]
                    indexing = timed(pagefind, site, "pagefind")
                    results.setdefault("hugo + pagefind", []).append(results["hugo"][-1] + indexing)
                    CPU.setdefault("hugo + pagefind", []).append(
                        CPU["hugo"][-1] + CPU["pagefind"][-1]
                    )
                print(
                    f"run {run + 1}: "
                    + ", ".join(
                        f"{k} {v[-1]:.2f}s ({CPU[k][-1]:.2f}s CPU)" for k, v in results.items()
                    ),
                    flush=True,
                )
            pages = sum(1 for _ in out.rglob("*.html"))
        finally:
            edited.write_text(edited_text)
            config.write_text(original)
            shutil.rmtree(corpus / ".prcli" / "site", ignore_errors=True)
    medians = {name: statistics.median(times) for name, times in results.items()}
    cpu = {name: statistics.median(times) for name, times in CPU.items()}
    print(f"\n{arguments.size} releases, median of {arguments.runs} runs:")
    print(f"  {'':16} {'wall':>9} {'CPU':>9}")
    for name, value in medians.items():
        print(f"  {name:16} {value:7.2f} s {cpu[name]:7.2f} s")
    if "pagefind" in cpu:
        print(f"  {'(pagefind alone)':16} {'':9} {cpu['pagefind']:7.2f} s")
    print(f"  site files (no search): {pages} html pages")
    print(
        f"  load average before {load_before}, after {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"  {'ratio':29} {'wall':>5} {'CPU':>6}")

    def ratio(label: str, a: str, b: str, unit: str = "") -> None:
        print(f"  {label:29} {medians[a] / medians[b]:5.2f}{unit} {cpu[a] / cpu[b]:5.2f}{unit}")

    if "hugo" in medians:
        ratio("prcli full / hugo", "prcli full", "hugo")
        ratio("prcli no search / hugo", "prcli no search", "hugo")
        ratio("prcli full / hugo + pagefind", "prcli full", "hugo + pagefind")
    ratio("prcli full / one edit", "prcli full", "prcli one edit", " x")
    ratio("prcli full / unchanged", "prcli full", "prcli unchanged", " x")


if __name__ == "__main__":
    main()

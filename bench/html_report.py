"""The HTML report on a large run: its size, how fast it opens in headless Chromium, and a picture.

Builds `codesieve report`'s file for each run of a store (every candidate graded; the execution
cache next to the store makes a rebuild quick), then opens it from file:// in the system Chromium
`--loads` times: the time until the page's script has shown the run view, and the time to open
the problem with the largest embedded detail (inflating and rendering it). With `--screenshot`
it also saves a picture of one problem's view (docs/report.png in the README).

    python bench/html_report.py runs/sstar_accuracy.sqlite [--run humaneval+] [--screenshot docs/report.png]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import _results

from codesieve.report.browser import console_errors, headless_chromium, wait_for
from codesieve.report.html import write_html
from codesieve.report.html_data import pack, store_reports
from codesieve.runs import RunFiles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--run", default="", help="runs whose key starts with this (default: all)")
    ap.add_argument("--loads", type=int, default=5, help="page loads to time (median reported)")
    ap.add_argument("--screenshot", type=Path, default=None, help="save a picture of one problem's view here")
    ap.add_argument("--problem", default="", help="the problem to picture (default: the first S* picked wrong)")
    args = ap.parse_args()

    rows, data = [], {"runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        for report in store_reports(args.store, args.run, cache=RunFiles.beside(args.store).exec_cache):
            out = Path(tmp) / "report.html"
            start = time.perf_counter()
            write_html(out, [report])
            render_s = time.perf_counter() - start
            summary = report.summary
            largest = max(report.details, key=lambda pid: len(pack(report.details[pid])))
            load_ms, open_ms = measure(out, largest, args.loads)
            result = {"run": summary["key"], "problems": len(summary["problems"]), "bytes": out.stat().st_size,
                      "render_s": render_s, "load_ms": load_ms, "open_largest_ms": open_ms, "largest": largest}
            data["runs"].append(result)
            rows.append([summary["key"], result["problems"], f"{result['bytes'] / 1e6:.2f}",
                         f"{statistics.median(load_ms):.0f}", f"{statistics.median(open_ms):.0f}", largest])
            if args.screenshot and not data.get("screenshot"):
                data["screenshot"] = picture(out, report, args.problem, args.screenshot)
    _results.write("html_report", data,
                   ["run", "problems", "file MB", "page ready ms (median)", "largest problem opened ms",
                    "largest problem"],
                   rows, notes=f"Page ready: navigation start to the run view shown by the page's script, file:// in "
                               f"headless Chromium, median of {args.loads} loads; a problem is opened by its link "
                               "(its embedded detail inflated and rendered).")
    print(_results.RESULTS / "html_report.md")


def measure(page: Path, problem: str, loads: int) -> tuple[list[float], list[float]]:
    """Per load: ms until the page's script was done, and ms to open `problem` after that."""
    ready, opened = [], []
    with headless_chromium() as driver:
        for _ in range(loads):
            driver.get("about:blank")  # else a second get of the same file only changes its hash
            driver.get(page.as_uri() + "#runs")
            wait_for(driver, "body[data-ready-ms]", timeout=30)
            ready.append(float(driver.execute_script("return document.body.dataset.readyMs")))
            opened.append(driver.execute_async_script(OPEN, problem))
            errors = console_errors(driver)
            if errors:
                raise SystemExit(f"console errors on {page}: {errors}")
    return ready, opened


OPEN = """
const [id, done] = arguments;
const start = performance.now();
location.hash = "#problem/0/sstar/" + id;
const poll = () => {
  const title = document.querySelector("#problem h2");
  if (title && title.textContent.startsWith(id) && document.querySelector("#problem [data-testid=verdict]"))
    done(performance.now() - start);
  else setTimeout(poll, 5);
};
poll();
"""


def picture(page: Path, report, problem: str, out: Path) -> str:
    """Save a screenshot of `problem`'s S* view (default: the first problem S* picked wrong)."""
    rows = report.summary["problems"]
    problem = problem or next((r["id"] for r in rows if not r["passed"].get("sstar", True)
                               and r["oracle"].get("sstar")), rows[0]["id"])
    with headless_chromium(1400, 900) as driver:
        driver.get(page.as_uri() + "#problem/0/sstar/" + problem)
        wait_for(driver, "[data-testid=verdict]")
        time.sleep(0.5)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    shrink(out)
    return problem


def shrink(png: Path) -> None:
    """Fewer colours, same picture: a report screenshot is mostly flat colour and text."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


if __name__ == "__main__":
    main()

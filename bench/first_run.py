"""The README's main command as a new user runs it: how soon the first problem is solved, how long
the whole run takes.

Runs `codesieve run` (no arguments: S*, the first 5 HumanEval problems, the embedded
Qwen2.5-Coder-0.5B) in a fresh empty directory with an empty model cache, so nothing comes from an
earlier run's store and the weights are assembled from their pip parts as on a new machine, and
reads the line the command prints as each problem finishes. Times are wall clock from the
moment the command starts (model loading included) to the first problem the line reports solved
and to the command's exit.

    python bench/first_run.py [--pause /work/bg/x.pid ...] [--repeat 2] [--variant="--no-ngram-draft"]

Run it on a quiet machine: llama.cpp slows down sharply when another process takes a core. The
1-minute load average before the run is recorded. `--pause PIDFILE` stops the process named in
each file (SIGSTOP) for the run and continues it afterwards, always, and at the latest after
`--max-pause` seconds even if the run has not finished. `--variant ARGS` also times the command
with those arguments added, after the plain command, for comparison; the top-level results are
always the plain command's (its last repeat).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import _results

from codesieve.report.files import command_line, machine
from codesieve.runs import PROBLEM_LINE

COMMAND = ["codesieve", "run"]


def measure(timeout_s: float, extra: list[str]) -> dict:
    """One run of the command in a fresh directory: per-problem finish times, outcome, total time."""
    exe = Path(sys.executable).with_name("codesieve")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="codesieve-first-run-") as cwd:
        start = time.monotonic()
        # an empty model cache too: the weights are assembled from their pip parts, as on a new machine
        env = {**os.environ, "COLUMNS": "100", "CODESIEVE_CACHE": os.path.join(cwd, "cache")}
        proc = subprocess.Popen([str(exe), *COMMAND[1:], *extra], cwd=cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        finished: list[dict] = []
        stderr: list[str] = []

        def read_stderr() -> None:
            for line in proc.stderr:
                stderr.append(line)
                m = PROBLEM_LINE.match(line)
                if m:
                    finished.append({"problem": m["problem"], "s": round(time.monotonic() - start, 1),
                                     "solved": " passed" in f" {m['outcome']}", "of": int(m["total"])})

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        # not communicate(): it would read stderr too, taking lines from the reader
        timer = threading.Timer(timeout_s, proc.kill)
        timer.start()
        stdout = proc.stdout.read()
        proc.wait()
        total = time.monotonic() - start
        timer.cancel()
        reader.join()
        if total >= timeout_s:
            raise SystemExit(f"codesieve run took more than {timeout_s:.0f} s; stopped")
    if proc.returncode != 0:
        raise SystemExit(f"codesieve run failed ({proc.returncode}):\n{''.join(stderr[-20:])}")
    solved = [f["s"] for f in finished if f["solved"]]
    return {"command": " ".join([*COMMAND, *extra]), "first_solved_s": solved[0] if solved else None,
            "total_s": round(total, 1), "stderr": stderr,
            "problems": max((f["of"] for f in finished), default=0), "solved": len(solved), "load_average_before": load_before,
            "load_average_after": os.getloadavg()[0], "finished": finished, "table": stdout}


class Paused:
    """SIGSTOP the processes named in `pidfiles` while inside; SIGCONT on exit or after `max_s`."""

    def __init__(self, pidfiles: list[Path], max_s: float) -> None:
        self.pids = [int(p.read_text().split()[0]) for p in pidfiles if p.exists()]
        self.timer = threading.Timer(max_s, self.resume)

    def __enter__(self) -> "Paused":
        for pid in self.pids:
            os.kill(pid, signal.SIGSTOP)
        self.timer.start()
        return self

    def resume(self) -> None:
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        self.resume()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pause", type=Path, action="append", default=[], metavar="PIDFILE",
                        help="stop this process (pid in the file) during each run")
    parser.add_argument("--max-pause", type=float, default=290.0, help="continue paused processes after this")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the results of the last are kept, all listed")
    parser.add_argument("--variant", action="append", default=[], metavar="ARGS",
                        help="also time the command with these arguments added (e.g. --variant=--no-ngram-draft)")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    runs = []
    for extra in [[]] * args.repeat + [v.split() for v in args.variant]:
        with Paused(args.pause, args.max_pause):
            runs.append(measure(args.timeout, extra))
        print(json.dumps({k: v for k, v in runs[-1].items() if k not in ("table", "finished", "stderr")}), flush=True)
    last = [r for r in runs if r["command"] == " ".join(COMMAND)][-1]
    data = {"first_solved_s": last["first_solved_s"], "total_s": last["total_s"], "problems": last["problems"],
            "load_average_before": last["load_average_before"], "command": " ".join(COMMAND),
            "solved": last["solved"], "finished": last["finished"], "stderr": last["stderr"], "load_average_after": last["load_average_after"],
            "runs": [{k: r[k] for k in ("command", "first_solved_s", "total_s", "solved", "load_average_before")}
                     for r in runs],
            "paused": [str(p) for p in args.pause], "bench_command": command_line(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine()}
    _results.RESULTS.mkdir(parents=True, exist_ok=True)
    (_results.RESULTS / "first_run.json").write_text(json.dumps(data, indent=2) + "\n")
    lines = ["# first_run", "", f"Command measured: `{data['command']}` (the README's main command), in a fresh "
             f"directory.  ", f"Produced by: `{data['bench_command']}`  ",
             f"Date: {data['date']}, {data['machine']['cores']} cores, Python {data['machine']['python']}", "",
             "| run | command | first problem solved (s) | all done (s) | solved | load average before |",
             "|---|---|---|---|---|---|"]
    for n, r in enumerate(runs, 1):
        lines.append(f"| {n} | `{r['command']}` | {r['first_solved_s']} | {r['total_s']} | "
                     f"{r['solved']}/{last['problems']} | {r['load_average_before']:.2f} |")
    lines += ["", f"Problems as they finished (`{data['command']}`, last run): " +
              ", ".join(f"{f['problem']} at {f['s']} s ({'solved' if f['solved'] else 'not solved'})"
                        for f in last["finished"]) + ".",
              "", "Its final table:", "", "```", last["table"].rstrip(), "```"]
    if args.pause:
        lines += ["", "Paused during each run (SIGSTOP, then SIGCONT): " + ", ".join(data["paused"]) + "."]
    (_results.RESULTS / "first_run.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

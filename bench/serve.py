"""`codesieve serve` as a client meets it: HumanEval+ problems sent as plain chat prompts, all at
once, through the official openai client; latency per request, errors, and how many picks pass
the hidden tests, beside zero-shot through the same server.

Each prompt is the problem's own text (signature and docstring) in a ```python block: the server
reads its tests from the docstring's examples, as it would any user's prompt; no extension field
is sent, except `strategy: zero-shot` for the zero-shot pass. Latency is from sending a request to
its answer, queueing included. The picks are graded afterwards on the problems' hidden tests.

    python bench/serve.py                                  # 20 problems, embedded 0.5B, N=8
    python bench/serve.py --problems 2 --model smollm2-135m -n 2 --max-tokens 64 --results /tmp/check
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openai

import _results

from codesieve.execution import Executor
from codesieve.execution.job import Job
from codesieve.problems import load_benchmark
from codesieve.report.files import write_results
from codesieve.types import Problem

PROMPT = "Complete the following Python function.\n\n```python\n{code}```"


# How long a request may take, queue included, on the server and in the client. All requests are
# sent at once, so the last waits for every one before it: on 2 cores loaded by other work, an hour
# timed out 15 of 20 S* requests (6 December), which measured the limit, not the server.
WAIT_S = 6 * 3600


def start_server(args: argparse.Namespace, store: Path) -> tuple[subprocess.Popen, str]:
    """`codesieve serve` on a free loopback port; its base URL once it listens."""
    command = [str(Path(sys.executable).with_name("codesieve")), "serve", "--port", "0", "--model", args.model,
               "-n", str(args.n), "--max-tokens", str(args.max_tokens), "--concurrency", str(args.concurrency),
               "--queue", str(2 * args.problems), "--timeout", str(WAIT_S), "--store", str(store)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None
    for line in server.stdout:
        if m := re.search(r"Uvicorn running on (\S+)", line):
            # keep reading its log, so that a full pipe never blocks it
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            return server, m[1] + "/v1"
    raise SystemExit(f"codesieve serve exited ({server.wait()}) before serving")


def ask_all(url: str, model: str, problems: list[Problem], extension: dict | None) -> list[dict]:
    """Every problem's request at once; per request its latency and program (None on an error)."""
    client = openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=WAIT_S)

    def one(problem: Problem) -> dict:
        start = time.monotonic()
        try:
            answer = client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": PROMPT.format(code=problem.prompt)}],
                extra_body={"codesieve": extension} if extension else None)
        except openai.APIError as exc:
            return {"problem": problem.id, "latency_s": time.monotonic() - start, "program": None, "error": str(exc)}
        content = answer.choices[0].message.content or ""
        return {"problem": problem.id, "latency_s": time.monotonic() - start,
                "program": re.fullmatch(r"```python\n(.*)\n```", content, re.DOTALL)[1],
                "tests_from": answer.model_extra["codesieve"]["tests"]["from"], "tokens": answer.usage.total_tokens}

    with ThreadPoolExecutor(len(problems)) as pool:
        return list(pool.map(one, problems))


def grade(executor: Executor, problems: list[Problem], answers: list[dict]) -> list[bool]:
    """Whether each answer's program passes its problem's hidden tests (an error passes nothing)."""
    jobs = [(i, Job.for_problem(p, a["program"], p.hidden_tests)) for i, (p, a) in enumerate(zip(problems, answers))
            if a["program"] is not None]
    passed = [False] * len(problems)
    for (i, _), result in zip(jobs, executor.run([job for _, job in jobs])):
        passed[i] = result.passed
    return passed


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", type=int, default=20, help="first K HumanEval+ problems (default 20)")
    parser.add_argument("--model", default="qwen2.5-coder-0.5b", help="embedded model (default qwen2.5-coder-0.5b)")
    parser.add_argument("-n", type=int, default=8, help="samples per request (default 8, the server's default)")
    parser.add_argument("--max-tokens", type=int, default=512, help="tokens per program answer (default 512)")
    parser.add_argument("--concurrency", type=int, default=2, help="requests the server runs at once (default 2)")
    parser.add_argument("--results", type=Path, default=_results.RESULTS, help="where serve.json/.md go")
    args = parser.parse_args()

    with Executor() as executor:
        problems = load_benchmark("humaneval+", limit=args.problems, executor=executor)
        load_before = os.getloadavg()[1]
        with tempfile.TemporaryDirectory(prefix="codesieve-serve-bench-") as tmp:
            server, url = start_server(args, Path(tmp) / "serve.sqlite")
            try:
                started = time.monotonic()
                selected = ask_all(url, args.model, problems, None)
                selected_wall = time.monotonic() - started
                zero_shot = ask_all(url, args.model, problems, {"strategy": "zero-shot"})
            finally:
                server.terminate()
                server.wait(60)
        selected_passed, zero_passed = grade(executor, problems, selected), grade(executor, problems, zero_shot)

    latencies = [a["latency_s"] for a in selected]
    data = {
        "requests": len(selected), "concurrency": args.concurrency,
        "p50_s": round(percentile(latencies, 50), 1), "p95_s": round(percentile(latencies, 95), 1),
        "wall_s": round(selected_wall, 1), "errors": sum(a["program"] is None for a in selected),
        "selected_passes_hidden": sum(selected_passed), "zero_shot_passes_hidden": sum(zero_passed),
        "zero_shot_errors": sum(a["program"] is None for a in zero_shot),
        "prompts_with_examples_read": sum(a.get("tests_from") == "prompt" for a in selected),
        # other work on the machine lengthens every latency: the 5-minute load averages say how busy it was
        "load_average_5min": {"before": round(load_before, 2), "after": round(os.getloadavg()[1], 2)},
        "model": args.model, "n": args.n, "max_tokens": args.max_tokens, "strategy": "sstar", "benchmark": "humaneval+",
        "per_problem": [{"problem": p.id, "latency_s": round(a["latency_s"], 1), "tests_from": a.get("tests_from"),
                         "selected_passes_hidden": s, "zero_shot_passes_hidden": z, "error": a.get("error")}
                        for p, a, s, z in zip(problems, selected, selected_passed, zero_passed)],
    }
    rows = [["S* (sstar) through codesieve serve", f"{sum(selected_passed)}/{len(problems)}", data["p50_s"],
             data["p95_s"], data["errors"]],
            ["zero-shot through the same server", f"{sum(zero_passed)}/{len(problems)}", "", "",
             data["zero_shot_errors"]]]
    notes = (f"{len(problems)} HumanEval+ problems sent at once as plain chat prompts (their docstring examples "
             f"are the only tests), {args.model}, N={args.n}, server concurrency {args.concurrency}; latency "
             "includes the queue. Picks graded afterwards on the hidden tests. 5-minute load average "
             f"{data['load_average_5min']['before']} before, {data['load_average_5min']['after']} after (2 cores): "
             "latencies are this machine's at that load.")
    out = write_results(args.results, "serve", data, ["", "passes hidden", "p50 s", "p95 s", "errors"], rows, notes)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

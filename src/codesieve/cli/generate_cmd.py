"""`codesieve generate`: sample programs for a benchmark into a samples JSONL for `codesieve eval`.

Samples go through the completion store next to `--store`, so an interrupted run, started again,
generates only what is missing. Rows are `{"task_id", "completion"}` for continuation tasks
(HumanEval), `{"task_id", "solution"}` otherwise, plus the raw answer, mean logprob and tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from codesieve.cli._options import (BENCHMARK_CHOICES, api_key_for, benchmark, benchmark_help, check_data, count,
                                    non_negative, positive_int, probability)
from codesieve.cli.run_cmd import add_model_options

SAMPLING_TEMPERATURE = 0.8  # with -n above 1 (the Codex paper's setting for pass@k with k > 1)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="sample N programs per problem into a samples JSONL")
    p.add_argument("--benchmark", type=benchmark, choices=BENCHMARK_CHOICES, required=True, metavar="NAME",
                   help=benchmark_help())
    p.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.add_argument("--limit", type=count, default=0, help="first K problems (default 0 = all)")
    p.add_argument("-n", type=positive_int, default=1, help="samples per problem (default 1)")
    p.add_argument("--temperature", type=non_negative, default=None,
                   help=f"sampling temperature (default: 0, greedy, for -n 1; {SAMPLING_TEMPERATURE} for more "
                        "samples, which at 0 would all be the same program)")
    p.add_argument("--top-p", type=probability, default=1.0, help="nucleus sampling, in (0, 1] (default 1.0)")
    p.add_argument("-o", "--output", type=Path, required=True, help="samples JSONL to write")
    add_model_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from codesieve.execution import Executor
    from codesieve.jsonl import write_objects
    from codesieve.problems import load_benchmark

    check_data(args.benchmark, args.data)
    api_key_for(args.base_url, args.api_key)
    console = Console(stderr=True)
    if args.temperature is None:
        args.temperature = SAMPLING_TEMPERATURE if args.n > 1 else 0.0
    elif args.temperature == 0 and args.n > 1:
        console.print(f"[yellow]warning: {args.n} samples at temperature 0 are {args.n} copies of one program, "
                      f"so pass@k above 1 means nothing; leave --temperature out to sample at "
                      f"{SAMPLING_TEMPERATURE}[/yellow]")
    with console.status(f"loading {args.benchmark}"), Executor(args.workers, backend=args.executor) as executor:
        problems = load_benchmark(args.benchmark, data=args.data, limit=args.limit or None, executor=executor)
    rows = asyncio.run(_generate(args, problems, console))
    write_objects(args.output, rows)
    console.print(f"wrote {len(rows)} samples of {len(problems)} problems to {args.output} "
                  f"(temperature {args.temperature:g}, top-p {args.top_p:g})")
    return 0


async def _generate(args: argparse.Namespace, problems: list, console) -> list[dict]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from codesieve.generate.sample import SampleConfig, sample, sample_row
    from codesieve.llm import DEFAULT_MODEL, open_llm
    from codesieve.runs import RunFiles

    config = SampleConfig(n=args.n, temperature=args.temperature, top_p=args.top_p, max_tokens=args.max_tokens,
                          seed=args.seed)
    completions = RunFiles.beside(args.store).completions
    rows: dict[str, list[dict]] = {}
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.fields[info]}"), console=console)
    task = progress.add_task("problems", total=len(problems), info="")
    start, tokens, samples = time.monotonic(), 0, 0

    def done(problem, candidates, outs) -> None:
        nonlocal tokens, samples
        rows[problem.id] = [sample_row(problem, c, o) for c, o in zip(candidates, outs)]
        samples += len(outs)
        tokens += sum(o.completion_tokens for o in outs if not o.cached)
        rate = tokens / max(1e-9, time.monotonic() - start)
        progress.update(task, advance=1, info=f"{samples} samples | {rate:.1f} tok/s")

    async with open_llm(args.model or DEFAULT_MODEL, base_url=args.base_url, api_key=api_key_for(args.base_url, args.api_key),
                        store=completions, replay=args.replay, parallel=args.parallel,
                        ngram_draft=args.ngram_draft,
                        ngram_draft_tokens=args.draft_tokens) as llm:
        with progress:
            await sample(llm, problems, config, on_problem=done)
    return [row for p in problems for row in rows.get(p.id, [])]

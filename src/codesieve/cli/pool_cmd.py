"""`codesieve pool build`: sample many programs per problem and label each on the hidden tests, into
a candidate pool for `codesieve orm` and `codesieve pareto` (see `codesieve.verify.pool_build`)."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

from codesieve.cli._options import (BENCHMARK_CHOICES, benchmark, benchmark_help, count, positive, positive_int,
                                    probability)
from codesieve.cli.run_cmd import add_model_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pool", help="build a labelled candidate pool (for orm and pareto)")
    actions = p.add_subparsers(dest="pool_action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="sample N programs per problem, label each by the hidden tests, write a pool",
        description="Sample N programs per problem and label each by the hidden tests. Resumable: the pool is "
                    "rewritten after every chunk of problems, and started again with the same settings it skips "
                    "the problems the file already holds.")
    build.add_argument("--benchmark", type=benchmark, choices=BENCHMARK_CHOICES, required=True, metavar="NAME",
                       help=benchmark_help())
    build.add_argument("-o", "--output", type=Path, required=True, help="pool file to write (.jsonl.gz)")
    build.add_argument("-n", type=positive_int, default=16, help="samples per problem (default 16)")
    build.add_argument("--sample", type=positive_int, default=None, metavar="COUNT",
                       help="a fixed-seed sample of COUNT problems (MBPP+; other benchmarks take the first COUNT)")
    build.add_argument("--sample-seed", type=int, default=0, help="seed of --sample (default 0)")
    build.add_argument("--limit", type=count, default=0, help="only the first K problems, after sampling (default 0 = all)")
    build.add_argument("--temperature", type=positive, default=1.0,
                       help="sampling temperature, above 0: a pool of identical greedy samples ranks nothing "
                            "(default 1.0)")
    build.add_argument("--top-p", type=probability, default=0.95, help="nucleus sampling (default 0.95)")
    build.add_argument("--chunk", type=positive_int, default=4, help="problems generated together between pool writes (default 4)")
    add_model_options(build)
    build.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from codesieve.execution import Executor
    from codesieve.problems import problem_subset
    from codesieve.verify.pool_build import PoolSettings

    console = Console(stderr=True)
    settings = PoolSettings(model=args.model or _default_model(), n=args.n, temperature=args.temperature,
                            top_p=args.top_p, max_tokens=args.max_tokens, seed=args.seed, sample=args.sample,
                            sample_seed=args.sample_seed)
    with Executor(args.workers) as executor:
        with console.status(f"loading {args.benchmark}"):
            problems = problem_subset(args.benchmark, args.sample, args.sample_seed, executor)
        problems = problems[: args.limit] if args.limit else problems
        pool = asyncio.run(_build(args, settings, problems, executor, console))
    passing = sum(e.passed for e in pool.entries)
    console.print(f"wrote {args.output}: {len(pool.by_problem())} problems, {len(pool.entries)} candidates, "
                  f"{passing} passing the hidden tests")
    return 0


def _default_model() -> str:
    from codesieve.llm import DEFAULT_MODEL

    return DEFAULT_MODEL


async def _build(args: argparse.Namespace, settings, problems: list, executor, console):
    from codesieve.llm import open_llm
    from codesieve.runs import RunFiles
    from codesieve.verify.pool_build import build_pool

    completions = RunFiles.beside(args.store).completions
    async with open_llm(settings.model, base_url=args.base_url, api_key=args.api_key, store=completions,
                        replay=args.replay, parallel=args.parallel, ngram_draft=args.ngram_draft,
                        ngram_draft_tokens=args.draft_tokens) as llm:
        return await build_pool(llm, executor, args.benchmark, problems, args.output, settings, chunk=args.chunk,
                                command=" ".join(shlex.quote(a) for a in ["codesieve", *sys.argv[1:]]),
                                progress=lambda line: console.print(line, soft_wrap=True))

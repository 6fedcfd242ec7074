"""`codesieve run`: S* (and baselines side by side) on a benchmark, graded on hidden tests.

With no arguments: S* with the embedded model on 5 HumanEval problems, N=4, so a newcomer sees
the whole method work in minutes. Everything goes to the run store (default
./runs/codesieve.sqlite, with the model completions and execution results in sibling files), so
running the same command again resumes and `--replay` re-runs selection from stored completions.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from codesieve.errors import ConfigError

DEFAULT_STORE = Path("runs") / "codesieve.sqlite"


def add_model_options(p: argparse.ArgumentParser) -> None:
    """Model options shared with `codesieve generate`."""
    p.add_argument("--model", default=None,
                   help="model name (embedded: a known name or a .gguf path; default qwen2.5-coder-0.5b)")
    p.add_argument("--base-url", default=None, help="OpenAI-compatible server (default: embedded llama.cpp)")
    p.add_argument("--api-key", default=None, help="API key for --base-url (default: $OPENAI_API_KEY)")
    p.add_argument("--parallel", type=int, default=4, help="embedded server slots (default 4)")
    p.add_argument("--ngram-draft", action="store_true",
                   help="embedded server: propose tokens copied from the context, checked in one batch "
                        "(faster debug rounds; answers may differ from a plain run in rare near-ties)")
    p.add_argument("--store", type=Path, default=DEFAULT_STORE, help=f"run store (default {DEFAULT_STORE})")
    p.add_argument("--replay", action="store_true", help="serve model calls only from the store; start no model")
    p.add_argument("--max-tokens", type=int, default=512, help="tokens per program answer (default 512; in `run`, selection answers get at most 256)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    p.add_argument("--workers", type=int, default=None, help="sandbox workers (default: one per core)")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="S* and baselines: sample, debug, select, grade on hidden tests")
    p.add_argument("--benchmark", default="humaneval", help="benchmark name (default humaneval)")
    p.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.add_argument("--limit", type=int, default=5, help="first K problems (default 5; 0 = all)")
    p.add_argument("--strategy", action="append", default=None,
                   help="strategy, repeatable or comma-separated (default sstar): sstar, sstar-mutants, sstar-predict, zero-shot, random, "
                        "public-filter, majority-vote, codet, self-debug, llm-judge, or a cascade of checks, "
                        "e.g. 'cascade:syntax > lint > orm:logprob > tests:3@2' (docs/verification.md)")
    p.add_argument("-n", type=int, default=4, help="samples per problem (default 4; the paper's setting is 8)")
    p.add_argument("--rounds", type=int, default=2, help="debug rounds (default 2)")
    p.add_argument("--temperature", type=float, default=0.7, help="sampling temperature (default 0.7)")
    p.add_argument("--top-p", type=float, default=0.95, help="nucleus sampling (default 0.95)")
    p.add_argument("--debug-temperature", type=float, default=0.0,
                   help="temperature of debug answers (default 0: greedy; above 0 they are sampled with --top-p)")
    p.add_argument("--debug-prompt", default="conversation",
                   help="debug request: earlier answers as assistant turns (conversation, the default) or "
                        "quoted with their feedback in one user turn (quoted)")
    p.add_argument("--judge-model", default=None, help="judge model for selection (default: the generator)")
    p.add_argument("--judge-base-url", default=None, help="server of --judge-model (default: --base-url)")
    p.add_argument("--max-groups", type=int, default=4, help="S*: groups that meet round robin (default 4)")
    p.add_argument("--concurrency", type=int, default=4, help="problems in flight (default 4)")
    p.add_argument("--export", type=Path, default=None, help="write this run's records as JSONL")
    add_model_options(p)
    p.set_defaults(handler=run)


def strategies(values: list[str] | None) -> tuple[str, ...]:
    """Repeated and comma-separated --strategy values, deduplicated, in order; each checked by
    building it, so an unknown name or a bad cascade fails before any work."""
    from codesieve.select import make_strategy, split_strategies

    return tuple(make_strategy(spec).name for spec in split_strategies(values or ["sstar"]))


def store_paths(store: Path) -> tuple[Path, Path]:
    """The completion store and the execution cache that live next to the run store."""
    stem = store.with_suffix("")
    return Path(f"{stem}.completions.sqlite"), Path(f"{stem}.exec.sqlite")


def check_positive(**values: int) -> None:
    for name, value in values.items():
        if value < 1:
            raise ConfigError(f"{name} must be at least 1 (got {value})")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from codesieve.execution import ExecutionCache, Executor
    from codesieve.generate.sample import SampleConfig
    from codesieve.pipeline import RunConfig
    from codesieve.problems import load_benchmark
    from codesieve.select import SelectConfig
    from codesieve.store import RunStore

    check_positive(n=args.n, parallel=args.parallel, concurrency=args.concurrency, max_groups=args.max_groups,
                   max_tokens=args.max_tokens)
    if args.rounds < 0 or args.limit < 0:
        raise ConfigError("--rounds and --limit must be 0 or more")
    if min(args.temperature, args.debug_temperature) < 0:
        raise ConfigError("--temperature and --debug-temperature must be 0 or more")
    sample = SampleConfig(n=args.n, temperature=args.temperature, top_p=args.top_p, max_tokens=args.max_tokens,
                          seed=args.seed)
    config = RunConfig(strategies=strategies(args.strategy), sample=sample, rounds=args.rounds,
                       debug_temperature=args.debug_temperature, debug_prompt=args.debug_prompt,
                       select=SelectConfig(max_groups=args.max_groups, seed=args.seed,
                                           max_tokens=min(args.max_tokens, SelectConfig.max_tokens),
                                           judge_tokens=min(args.max_tokens, SelectConfig.judge_tokens)),
                       concurrency=args.concurrency)
    console = Console(stderr=True)
    completions, exec_cache = store_paths(args.store)
    with RunStore(args.store) as store, Executor(args.workers, cache=ExecutionCache(exec_cache)) as executor:
        with console.status(f"loading {args.benchmark}"):
            problems = load_benchmark(args.benchmark, data=args.data, limit=args.limit or None, executor=executor)
        key = asyncio.run(_run(args, config, problems, store, executor, completions, console))
        show_summary(store, key, config.strategies, console)
        if args.export:
            n = store.export_jsonl(args.export, key)
            console.print(f"exported {n} problem records to {args.export}")
    return 0


async def _run(args: argparse.Namespace, config: Any, problems: list, store: Any, executor: Any,
               completions: Path, console: Any) -> str:
    from codesieve.llm import DEFAULT_MODEL, open_llm
    from codesieve.pipeline import Pipeline, run_identity
    from codesieve.store import run_key

    model = args.model or DEFAULT_MODEL
    async with AsyncExitStack() as stack:
        llm = await stack.enter_async_context(open_llm(model, base_url=args.base_url, api_key=args.api_key,
                                                       store=completions, replay=args.replay,
                                                       parallel=args.parallel, ngram_draft=args.ngram_draft))
        judge = llm
        if args.judge_model:
            judge = await stack.enter_async_context(open_llm(
                args.judge_model, base_url=args.judge_base_url or args.base_url, api_key=args.api_key,
                store=completions, replay=args.replay, parallel=args.parallel, ngram_draft=args.ngram_draft))
        identity = run_identity(config, benchmark=args.benchmark, data=str(args.data or ""), model=llm.model_id,
                                judge=judge.model_id)
        key = run_key(identity)
        original = key
        if args.replay:
            key += "-replay"
        store.open_run(key, identity)
        with ProgressView(console, len(problems), config.strategies) as view:
            pipeline = Pipeline(llm, executor, store, key, config, judge=judge, on_event=view.event)
            await pipeline.run(problems, args.benchmark)
        if args.replay:
            show_replay_agreement(store, original, key, console)
        console.print(f"run {key} in {args.store}")
        return key


class ProgressView:
    """A rich progress bar fed by pipeline events: problems done, the stage, generated tokens/s."""

    def __init__(self, console: Any, total: int, names: tuple[str, ...]):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.fields[info]}"), console=console,
                                 transient=False)
        self.task = self.progress.add_task("problems", total=total, info="")
        self.names = names
        self.tokens = 0
        self.passed = {n: 0 for n in names}
        self.start = time.monotonic()

    def event(self, event: Any) -> None:
        if event.kind == "tokens":
            self.tokens += event.tokens
        elif event.kind == "problem":
            for r in event.results:
                self.passed[r.strategy] = self.passed.get(r.strategy, 0) + r.passed
            self.progress.advance(self.task)
        rate = self.tokens / max(1e-9, time.monotonic() - self.start)
        solved = " ".join(f"{n}:{self.passed.get(n, 0)}" for n in self.names)
        stage = f"{event.problem_id} {event.detail}" if event.kind == "stage" else ""
        self.progress.update(self.task, info=f"{rate:.0f} tok/s | solved {solved} | {stage}")

    def __enter__(self) -> "ProgressView":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def show_summary(store: Any, key: str, names: tuple[str, ...], console: Any) -> None:
    """The per-strategy table: accuracy, tokens, model calls, executions, wall time."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"codesieve run {key}")
    for col in ("strategy", "problems", "accuracy", "tokens", "model calls", "executions", "wall s"):
        table.add_column(col, justify="left" if col == "strategy" else "right")
    for t in store.totals(key):
        if t.strategy in names:
            table.add_row(t.strategy, str(t.problems), f"{t.accuracy:.3f}", str(t.tokens), str(t.model_calls),
                          str(t.executions), f"{t.wall_s:.1f}")
    Console().print(table)


def show_replay_agreement(store: Any, original: str, replay: str, console: Any) -> None:
    """How many replayed selections picked the same candidate as the original run."""
    def winners(key: str) -> dict[tuple[str, str], Any]:
        return {(r["problem_id"], s): rec.get("winner") for r in store.records(key) for s, rec in r["strategies"].items()}

    before, after = winners(original), winners(replay)
    common = [k for k in after if k in before]
    same = sum(before[k] == after[k] for k in common)
    console.print(f"replay: {same} of {len(common)} selections identical to the original run")

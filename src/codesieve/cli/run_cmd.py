"""`codesieve run`: S* (and baselines side by side) on a benchmark, graded on hidden tests.

With no arguments: S* with the embedded model on 5 HumanEval problems, N=8, so a newcomer sees
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
from typing import Any, Sequence

from codesieve._paths import DEFAULT_STORE
from codesieve.cli._executor import add_executor_options
from codesieve.cli._options import (BENCHMARK_CHOICES, CHECK_NAMES, DEBUG_PROMPTS, DRAFT_TOKENS, LOOKUP_TOKENS,
                                    MODEL_NAMES, SERVER_SLOTS, STRATEGY_NAMES, api_key_for, benchmark,
                                    benchmark_help, check_data, count, non_negative, positive_int, probability)



def draft_tokens(text: str) -> int:
    """`--draft-tokens`: llama.cpp proposes no draft shorter than its n-gram lookup."""
    value = positive_int(text)
    if value < LOOKUP_TOKENS:
        raise argparse.ArgumentTypeError(f"must be at least {LOOKUP_TOKENS} (llama.cpp looks up {LOOKUP_TOKENS}-token "
                                         f"n-grams and proposes no shorter draft), got {value}")
    return value


def add_model_options(p: argparse.ArgumentParser) -> None:
    """Model options shared with `codesieve generate`."""
    p.add_argument("--model", default=None,
                   help=f"model: embedded {', '.join(MODEL_NAMES)} or a .gguf path (default {MODEL_NAMES[0]}); "
                        "with --base-url, the server's model name")
    p.add_argument("--base-url", default=None, help="OpenAI-compatible server (default: embedded llama.cpp)")
    p.add_argument("--api-key", default=None,
                   help="API key for --base-url (default: $OPENAI_API_KEY; a server on this machine needs none)")
    p.add_argument("--parallel", type=positive_int, default=SERVER_SLOTS,
                   help=f"embedded server slots (default {SERVER_SLOTS}: two problems' samples at once)")
    p.add_argument("--ngram-draft", action=argparse.BooleanOptionalAction, default=True,
                   help="embedded server: propose tokens copied from the context, checked in one batch (default "
                        "on: debug answers in about 0.73 of the time; answers may differ from a plain run in rare "
                        "near-ties)")
    p.add_argument("--draft-tokens", type=draft_tokens, default=DRAFT_TOKENS,
                   help=f"embedded server: the longest n-gram draft, at least {LOOKUP_TOKENS} (default {DRAFT_TOKENS}; "
                        "llama.cpp's own is 48, whose rejected drafts cost arithmetic while answers decode "
                        "together; docs/first-run.md)")
    p.add_argument("--store", type=Path, default=DEFAULT_STORE, help=f"run store (default {DEFAULT_STORE})")
    p.add_argument("--replay", action="store_true", help="serve model calls only from the store; start no model")
    p.add_argument("--max-tokens", type=positive_int, default=512,
                   help="tokens per program answer (default 512; in `run`, selection answers get at most 256, "
                        "those that reason first 384)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    add_executor_options(p)


def add_parser(sub: argparse._SubParsersAction) -> None:
    from codesieve.stages import SelectConfig, registered

    p = sub.add_parser("run", help="S* and baselines: sample, debug, select, grade on hidden tests")
    p.add_argument("--benchmark", type=benchmark, choices=BENCHMARK_CHOICES, default="humaneval",
                   metavar="NAME", help=benchmark_help("humaneval"))
    p.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.add_argument("--limit", type=count, default=5, help="first K problems (default 5; 0 = all)")
    p.add_argument("--strategy", action="append", default=None,
                   help=f"strategy, repeatable or comma-separated (default sstar): {', '.join(STRATEGY_NAMES)}, "
                        f"or a cascade of checks ({', '.join(CHECK_NAMES)}), e.g. "
                        "'cascade:syntax > lint > orm:logprob > tests:3@2' (docs/verification.md)")
    p.add_argument("-n", type=positive_int, default=8,
                   help="samples per problem (default 8, as S*'s authors while developing; 16 in their final runs)")
    p.add_argument("--rounds", type=count, default=2, help="debug rounds (default 2)")
    p.add_argument("--temperature", type=non_negative, default=0.7, help="sampling temperature (default 0.7)")
    p.add_argument("--top-p", type=probability, default=0.95, help="nucleus sampling, in (0, 1] (default 0.95)")
    p.add_argument("--debug-temperature", type=non_negative, default=0.0,
                   help="temperature of debug answers (default 0: greedy; above 0 they are sampled with --top-p)")
    p.add_argument("--debug-prompt", choices=DEBUG_PROMPTS, default="conversation",
                   help="debug request: earlier answers as assistant turns (conversation, the default) or "
                        "quoted with their feedback in one user turn (quoted)")
    p.add_argument("--stop-repeated", action=argparse.BooleanOptionalAction, default=True,
                   help="stop debugging a sample once a greedy debug answer returns the program unchanged "
                        "(default; in the committed runs no later round fixed one); --no-stop-repeated "
                        "debugs it for every round")
    judges = registered("judge")
    p.add_argument("--judge", default=SelectConfig.judge, choices=tuple(judges),
                   help="S*'s judge: " + "; ".join(f"{name} ({e.help})" for name, e in judges.items())
                        + f"; default {SelectConfig.judge}")
    p.add_argument("--judge-model", default=None, help="judge model for selection (default: the generator)")
    p.add_argument("--judge-base-url", default=None, help="server of --judge-model (default: --base-url)")
    p.add_argument("--max-groups", type=positive_int, default=4, help="S*: groups that meet round robin (default 4)")
    p.add_argument("--concurrency", type=positive_int, default=2,
                   help="problems in flight (default 2: the earlier one's model calls go first, the later one "
                        "fills the slots it leaves free)")
    p.add_argument("--export", type=Path, default=None, help="write the records of the problems asked for as JSONL")
    p.add_argument("--report", type=Path, default=None, help="write this run's HTML report (see `codesieve report`)")
    add_model_options(p)
    p.set_defaults(handler=run)


def strategies(values: list[str] | None) -> tuple[str, ...]:
    """Repeated and comma-separated --strategy values, deduplicated, in order; each checked by
    building it, so an unknown name or a bad cascade fails before any work."""
    from codesieve.stages import make_strategy, split_strategies

    return tuple(make_strategy(spec).name for spec in split_strategies(values or ["sstar"]))


def run_config(args: argparse.Namespace) -> Any:
    """The run configuration the options ask for: the shipped one (`codesieve.runs.defaults`) with
    each option applied, so the options' defaults give exactly what ships (a test checks it)."""
    from codesieve.runs.defaults import shipped_config

    return shipped_config(
        max_tokens=args.max_tokens, strategies=strategies(args.strategy), rounds=args.rounds,
        debug_temperature=args.debug_temperature, debug_prompt=args.debug_prompt, stop_repeated=args.stop_repeated,
        concurrency=args.concurrency, sample={"n": args.n, "temperature": args.temperature, "top_p": args.top_p,
                                              "seed": args.seed},
        select={"max_groups": args.max_groups, "seed": args.seed, "judge": args.judge})


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from codesieve.llm import DEFAULT_MODEL
    from codesieve.runs import Model, Run, RunFiles
    from codesieve.store import RunStore

    started = time.monotonic()
    check_data(args.benchmark, args.data)

    def model(name: str, base_url: str | None) -> Model:  # a remote server without a key fails before any work
        return Model(name, base_url=base_url, api_key=api_key_for(base_url, args.api_key), parallel=args.parallel,
                     ngram_draft=args.ngram_draft, draft_tokens=args.draft_tokens)

    generator = model(args.model or DEFAULT_MODEL, args.base_url)
    judge = model(args.judge_model, args.judge_base_url or args.base_url) if args.judge_model else None
    config = run_config(args)
    settings = Run(config, benchmark=args.benchmark, data=args.data, limit=args.limit or None, model=generator,
                   judge_model=judge, files=RunFiles.beside(args.store), replay=args.replay, workers=args.workers,
                   executor=args.executor)
    console = Console(stderr=True)
    with settings.open_executor() as executor, RunStore(args.store) as store:
        with console.status(f"loading {args.benchmark}"):
            problems = settings.load_problems(executor)
        result = asyncio.run(_run(settings, problems, store, executor, console))
        ids = list(result.problems)
        what = describe_run(args, config, result.model_id, ids)
        show_summary(result.totals, config.strategies, ids, what, time.monotonic() - started)
        if args.export:
            n = store.export_jsonl(args.export, result.key, problems=ids)
            console.print(f"exported {n} problem records to {args.export}")
        if args.report:
            from codesieve.report.html import report_store

            out = report_store(args.report, args.store, result.key, problems={p.id: p for p in problems},
                               executor=executor, warn=console.print)
            console.print(f"report: {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return 0


async def _run(settings: Any, problems: list, store: Any, executor: Any, console: Any) -> Any:
    """Open the models, then run with the progress view; return the `codesieve.runs.RunResult`."""
    model = settings.model
    async with AsyncExitStack() as stack:
        with console.status(f"starting {model.name}" if not (model.base_url or settings.replay) else "connecting"):
            live = await stack.enter_async_context(settings.opened())
        with ProgressView(console, problems, live.config.strategies, store.results(live.key),
                          live.config.rounds) as view:
            result = await live.execute(problems, store=store, executor=executor, on_event=view.event)
        if result.agreement:
            console.print(replay_line(result.agreement), highlight=False)
        console.print(f"run {result.key} in {settings.files.store}")
        return result


def describe_run(args: argparse.Namespace, config: Any, model_id: str, ids: list[str]) -> str:
    """What ran, in one line: strategies, model, benchmark and problems, N and R."""
    span = ids[0] if len(ids) == 1 else f"{ids[0]} to {ids[-1]}" if ids else "none"
    chosen = f"first {len(ids)}" if args.limit else f"all {len(ids)}"
    judge = f", judge {args.judge_model}" if args.judge_model else ""
    return (f"{', '.join(config.strategies)} with {model_id}{judge} on {args.benchmark}: {chosen} problems "
            f"({span}); N={config.sample.n} samples, R={config.rounds} debug rounds"
            + (" (replayed from the store)" if args.replay else ""))


class ProgressView:
    """A progress bar fed by pipeline events. The bar moves as each problem passes its stages
    (sampling, debug rounds, selection, grading); every finished problem also gets a line with its
    outcome, so a log (or a terminal scrolled back) shows when each was solved. Problems the store
    already held count as they were."""

    def __init__(self, console: Any, problems: list, names: tuple[str, ...],
                 stored: dict[str, dict[str, bool]], rounds: int):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = console
        self.progress = Progress(BarColumn(bar_width=16), TextColumn("{task.fields[done]}/{task.total:.0f} problems"),
                                 TimeElapsedColumn(), TextColumn("{task.fields[info]}"), console=console,
                                 transient=False)
        self.total = len(problems)
        self.task = self.progress.add_task("problems", total=self.total, done=0, info="")
        self.names, self.stored, self.rounds = names, stored, rounds
        self.share: dict[str, float] = {}  # problem -> share of its stages done
        self.stage: dict[str, str] = {}  # problems in flight -> their stage
        self.finished, self.tokens = 0, 0
        self.passed = {n: 0 for n in names}
        self.start = time.monotonic()

    def event(self, event: Any) -> None:
        if not self.progress.live.is_started and self.console.is_terminal:  # in a log, the lines say it all
            self.progress.start()  # at the first event: a run refused before any work draws no bar
        if event.kind == "tokens":
            self.tokens += event.tokens
        elif event.kind == "stage":
            self.stage[event.problem_id] = event.detail
            self.share[event.problem_id] = max(self.share.get(event.problem_id, 0.0), self._share(event.detail))
        elif event.kind == "problem":
            self._finish(event)
        rate = self.tokens / max(1e-9, time.monotonic() - self.start)
        solved = " ".join(f"{n} {self.passed[n]}" for n in self.names)
        doing = ", ".join(f"{p} {stage}" for p, stage in list(self.stage.items())[:2])
        info = f"solved: {solved} | {f'{rate:.0f} tok/s' if self.tokens else 'waiting for the first answers'}"
        self.progress.update(self.task, completed=sum(self.share.values()), done=self.finished,
                             info=info + (f" | {doing}" if doing else ""))

    def _share(self, stage: str) -> float:
        """How far into its stages a problem is when `stage` starts."""
        steps = self.rounds + 2  # sampling, R debug rounds, selection (grading is quick)
        if stage.startswith("debug round"):
            return int(stage.split()[-1]) / steps
        return {"selecting": (steps - 1) / steps, "grading": (steps - 0.5) / steps}.get(stage, 0.0)

    def _finish(self, event: Any) -> None:
        from codesieve.runs import problem_line

        fresh = {r.strategy: r.passed for r in event.results}
        outcome = {n: fresh[n] if n in fresh else self.stored.get(n, {}).get(event.problem_id) for n in self.names}
        for name, passed in outcome.items():
            self.passed[name] += bool(passed)
        self.finished += 1
        self.share[event.problem_id] = 1.0
        self.stage.pop(event.problem_id, None)
        line = problem_line(time.monotonic() - self.start, event.problem_id, self.finished, self.total, outcome,
                            self.passed, stored=not event.results)
        self.console.print(line, highlight=False, soft_wrap=True)  # one line each, whatever the width: logs grep them

    def __enter__(self) -> "ProgressView":
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def show_summary(totals: Sequence[Any], names: tuple[str, ...], ids: list[str], what: str, elapsed_s: float,
                 out: Any = None) -> None:
    """The per-strategy table over exactly the problems asked for (`totals`: `StrategyTotals`): accuracy
    with its 95% interval and what each strategy would cost alone; then what accuracy means and the
    real elapsed time."""
    from rich.console import Console
    from rich.table import Table

    by_name = {t.strategy: t for t in totals}
    shown = [by_name[n] for n in names if n in by_name]
    table = Table(title=what, title_justify="left")
    table.add_column("strategy", no_wrap=True)
    for col in ("solved", "accuracy [95% CI]", "tokens", "model calls", "executions"):
        table.add_column(col, justify="right")
    for t in shown:
        table.add_row(t.strategy, f"{t.passed}/{t.problems}", accuracy(t.passed, t.problems), str(t.tokens),
                      str(t.model_calls), str(t.executions))
    out = out or Console()
    out.print(table)
    missing = [n for n in names if by_name.get(n) is None or by_name[n].problems < len(ids)]
    notes = [f"accuracy: the share of the {len(ids)} problems whose selected program passes every hidden test, "
             "with its exact (Clopper-Pearson) 95% interval. Tokens, model calls and executions: what each "
             "strategy would cost alone (strategies in one run share their common work).",
             f"elapsed: {_duration(elapsed_s)} for this command, model start-up included."]
    if missing:
        notes.append(f"unfinished: {', '.join(missing)} did not finish every problem asked for; "
                     "run the same command again to finish them.")
    for note in notes:
        out.print(note, highlight=False)


def accuracy(passed: int, n: int) -> str:
    from codesieve.stats import proportion

    return format(proportion(passed, n), ".0%") if n else "-"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{seconds:.1f}s"


def replay_line(agreement: Sequence[Any]) -> str:
    """Per strategy asked for (`codesieve.runs.Agreement`): how many replayed selections picked the same
    candidate as the original run."""
    return "replay: " + "; ".join(
        f"{a.strategy} {a.same} of {a.compared} selections identical to the original run" if a.compared
        else f"{a.strategy} did not run in the original run (nothing to compare)" for a in agreement)

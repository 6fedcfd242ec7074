"""`codesieve orm train POOL -o ARTEFACT` and `codesieve orm score ARTEFACT POOL`: the trained
outcome reward model (see docs/verification.md)."""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import replace
from pathlib import Path

from codesieve.cli._options import non_negative, positive_int


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("orm", help="train or apply the outcome reward model on a candidate pool")
    actions = p.add_subparsers(dest="orm_action", metavar="ACTION", required=True)
    train = actions.add_parser("train", help="train on an execution-labelled pool; report k-fold ranking quality")
    train.add_argument("pool", type=Path, help="candidate pool (.jsonl.gz, see docs/verification.md)")
    train.add_argument("-o", "--output", type=Path, required=True, help="where to write the artefact (JSON)")
    train.add_argument("--objective", choices=("pairwise", "pointwise"), default="pairwise",
                       help="pairwise: Bradley-Terry on (passing, failing) pairs of one problem, which learns "
                            "to rank; pointwise: logistic regression on each candidate's label (default pairwise)")
    train.add_argument("--l2", type=non_negative, default=1.0, help="L2 regularisation strength (default 1.0)")
    train.add_argument("--folds", type=positive_int, default=5,
                       help="folds by problem for the quality report (default 5)")
    score = actions.add_parser("score", help="score a pool with an artefact; report ranking quality")
    score.add_argument("artefact", type=Path, help="a trained ORM, as written by `codesieve orm train -o`")
    score.add_argument("pool", type=Path,
                       help="candidate pool to score (.jsonl.gz); use one the artefact was not trained on, or "
                            "the accuracy is in-sample")
    score.add_argument("-o", "--output", type=Path, default=None, help="per-candidate scores JSONL")
    for action in (train, score):
        action.add_argument("--k", type=positive_int, default=None,
                            help="Best-of-k (default: candidates per problem, where Best-of-k is top-1)")
        action.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from codesieve.pareto.evaluate import cross_fitted_orm, pool_groups, score_run
    from codesieve.verify.cascade import run_cascade
    from codesieve.verify.orm import LogprobOrm, TrainedOrm, load_model, save_model
    from codesieve.verify.orm_train import Labelled, train
    from codesieve.stages import Toolbox
    from codesieve.verify.pool import load_problems, read_pool
    from codesieve.verify.spec import parse_cascade

    console = Console(stderr=True)
    model = load_model(args.artefact) if args.orm_action == "score" else None  # fail fast on a bad artefact
    pool = read_pool(args.pool)
    with console.status(f"loading {pool.benchmark} problems"):
        groups, labels = pool_groups(pool, load_problems(pool, data=args.data))
    k = args.k or max(map(len, labels))
    rankers: dict = {"orm:logprob": LogprobOrm()}
    if args.orm_action == "train":
        folds = min(args.folds, len(groups))
        rankers[f"orm:trained ({folds}-fold, held out)"] = cross_fitted_orm(groups, labels, folds, args.objective, args.l2)
        model = train([Labelled(g.problem, g.candidates, tuple(y)) for g, y in zip(groups, labels)],
                      args.objective, args.l2)
        # which problems it saw, so `orm score` can tell an in-sample score from a held-out one
        model = replace(model, trained_on={**model.trained_on, "problem_ids": [g.problem.id for g in groups]})
        save_model(args.output, model)
    else:
        warning = in_sample_warning(model.trained_on, [g.problem.id for g in groups])
        if warning:
            console.print(f"[yellow]warning: {warning}[/yellow]", highlight=False)
        rankers["orm:trained"] = TrainedOrm(model)
        if args.output:
            await _write_scores(args.output, groups, labels, rankers["orm:trained"])
    # Best-of-k with k = every candidate is top-1 by definition: then one column, not two equal ones
    both = k < max(map(len, labels))
    table = Table(title=f"ORM ranking quality on {args.pool.name} ({len(groups)} problems)")
    table.add_column("ranker", no_wrap=True)
    if both:
        table.add_column(f"Best-of-{k} %", justify="right")
    table.add_column("top-1 %" if both else f"top-1 % (= Best-of-{k})", justify="right")
    chance = 100 * sum(sum(y) / len(y) for y in labels) / len(labels)
    table.add_row("random pick", *[f"{chance:.2f}"] * (1 + both))
    for name, orm in rankers.items():
        point = score_run(await run_cascade(parse_cascade("orm:x"), groups, Toolbox(orms={"x": orm})), labels, k)
        table.add_row(name, *([f"{100 * point.bok:.2f}"] if both else []), f"{100 * point.top1:.2f}")
    Console().print(table)
    if args.orm_action == "train":
        console.print(f"artefact: {args.output} (trained on {model.trained_on['problems']} problems)")
    elif args.output:
        console.print(f"per-candidate scores: {args.output}")
    return 0


def in_sample_warning(trained_on: dict, problem_ids: list[str]) -> str:
    """A warning when the pool being scored holds problems the artefact was trained on."""
    seen = trained_on.get("problem_ids")
    if seen is None:
        return ("the artefact does not record which problems it was trained on; if it was this pool, the "
                "accuracy below is in-sample (optimistic)")
    overlap = len(set(seen) & set(problem_ids))
    if not overlap:
        return ""
    return (f"the artefact was trained on {overlap} of these {len(problem_ids)} problems: the accuracy below is "
            "in-sample (optimistic). Score a pool it has not seen, or read `orm train`'s held-out k-fold row")


async def _write_scores(path: Path, groups, labels, orm) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for group, label, scores in zip(groups, labels, await orm.check(groups)):
            for c, y, s in zip(group.candidates, label, scores):
                fh.write(json.dumps({"problem_id": c.problem_id, "index": c.index, "round": c.round,
                                     "score": s.value, "passed": y}) + "\n")

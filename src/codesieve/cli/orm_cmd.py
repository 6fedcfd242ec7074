"""`codesieve orm train POOL -o ARTEFACT` and `codesieve orm score ARTEFACT POOL`: the trained
outcome reward model (see docs/verification.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("orm", help="train or apply the outcome reward model on a candidate pool")
    actions = p.add_subparsers(dest="orm_action", metavar="ACTION", required=True)
    train = actions.add_parser("train", help="train on an execution-labelled pool; report k-fold ranking quality")
    train.add_argument("pool", type=Path, help="candidate pool (.jsonl.gz, see docs/verification.md)")
    train.add_argument("-o", "--output", type=Path, required=True, help="where to write the artefact (JSON)")
    train.add_argument("--objective", choices=("pairwise", "pointwise"), default="pairwise")
    train.add_argument("--l2", type=float, default=1.0, help="L2 regularisation strength (default 1.0)")
    train.add_argument("--folds", type=int, default=5, help="folds by problem for the quality report (default 5)")
    score = actions.add_parser("score", help="score a pool with an artefact; report ranking quality")
    score.add_argument("artefact", type=Path)
    score.add_argument("pool", type=Path)
    score.add_argument("-o", "--output", type=Path, default=None, help="per-candidate scores JSONL")
    for action in (train, score):
        action.add_argument("--k", type=int, default=None, help="Best-of-k (default: candidates per problem)")
        action.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from codesieve.pareto.evaluate import cross_fitted_orm, pool_groups, score_run
    from codesieve.verify.cascade import run_cascade
    from codesieve.verify.orm import LogprobOrm, TrainedOrm, load_model, save_model
    from codesieve.verify.orm_train import Labelled, train
    from codesieve.verify.pool import load_problems, read_pool
    from codesieve.select.base import Toolbox
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
        save_model(args.output, model)
    else:
        rankers["orm:trained"] = TrainedOrm(model)
        if args.output:
            _write_scores(args.output, groups, labels, rankers["orm:trained"])
    table = Table(title=f"ORM ranking quality on {args.pool.name} ({len(groups)} problems)")
    table.add_column("ranker")
    table.add_column(f"Best-of-{k} %", justify="right")
    table.add_column("top-1 %", justify="right")
    chance = 100 * sum(sum(y) / len(y) for y in labels) / len(labels)
    table.add_row("random pick", f"{chance:.2f}", f"{chance:.2f}")
    for name, verifier in rankers.items():
        point = score_run(run_cascade(parse_cascade("orm:x"), groups, Toolbox(orms={"x": verifier})), labels, k)
        table.add_row(name, f"{100 * point.bok:.2f}", f"{100 * point.top1:.2f}")
    Console().print(table)
    if args.orm_action == "train":
        console.print(f"artefact: {args.output} (trained on {model.trained_on['problems']} problems)")
    elif args.output:
        console.print(f"per-candidate scores: {args.output}")
    return 0


def _write_scores(path: Path, groups, labels, verifier) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for group, label, scores in zip(groups, labels, verifier.verify(groups)):
            for c, y, s in zip(group.candidates, label, scores):
                fh.write(json.dumps({"problem_id": c.problem_id, "index": c.index, "round": c.round,
                                     "score": s.value, "passed": y}) + "\n")

"""The options that say where candidate programs run, shared by every command that runs them."""

from __future__ import annotations

import argparse

from codesieve.cli._options import positive_int


def add_executor_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=positive_int, default=None,
                   help="sandbox workers (default: one per core; with --executor ray: per node)")
    p.add_argument("--executor", default="local", metavar="BACKEND[:ARG]",
                   help="where programs run: local (this machine, the default) or ray[:ADDRESS] (every node of a "
                        "Ray cluster; ADDRESS: auto, HOST:PORT or ray://HOST:PORT, default $RAY_ADDRESS or a new "
                        "Ray on this machine; needs codesieve[ray])")

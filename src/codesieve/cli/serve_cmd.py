"""`codesieve serve`: S* behind an OpenAI-compatible endpoint (docs/serve.md).

    codesieve serve --model qwen2.5-coder-0.5b -n 8 --api-key secret
    # then any OpenAI client: base_url="http://127.0.0.1:8008/v1", api_key="secret"

It binds to loopback unless told otherwise. `--api-key` is the key clients must send; the key of
an upstream `--base-url` server is `--upstream-api-key` (default $OPENAI_API_KEY).
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
from pathlib import Path

from codesieve._paths import DEFAULT_STORE
from codesieve.cli._executor import add_executor_options
from codesieve.cli._options import DRAFT_TOKENS, MODEL_NAMES, SERVER_SLOTS, api_key_for, count, positive, positive_int
from codesieve.cli.run_cmd import draft_tokens
from codesieve.errors import ConfigError


def add_parser(sub: argparse._SubParsersAction) -> None:
    from codesieve.stages import registered

    strategies = ", ".join(name for name in registered("strategy") if name != "cascade")
    p = sub.add_parser("serve", help="an OpenAI-compatible /v1/chat/completions that answers with S*'s pick")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=count, default=8008, help="port (default 8008; 0: any free port)")
    p.add_argument("--api-key", default=None, help="the key clients must send as a bearer token (default: none)")
    p.add_argument("--model", default=MODEL_NAMES[0],
                   help=f"model: embedded {', '.join(MODEL_NAMES)} or a .gguf path (default {MODEL_NAMES[0]}); "
                        "with --base-url, the server's model name. Clients ask for it by this name")
    p.add_argument("--base-url", default=None, help="OpenAI-compatible model server (default: embedded llama.cpp)")
    p.add_argument("--upstream-api-key", default=None, help="API key for --base-url (default: $OPENAI_API_KEY)")
    p.add_argument("--parallel", type=positive_int, default=SERVER_SLOTS,
                   help=f"embedded server slots (default {SERVER_SLOTS})")
    p.add_argument("--ngram-draft", action=argparse.BooleanOptionalAction, default=True,
                   help="embedded server: n-gram drafts (default on, as in `codesieve run`)")
    p.add_argument("--draft-tokens", type=draft_tokens, default=DRAFT_TOKENS,
                   help=f"embedded server: the longest n-gram draft (default {DRAFT_TOKENS})")
    p.add_argument("--strategy", default="sstar",
                   help=f"strategy of requests that name none (default sstar): {strategies}, or cascade:SPEC")
    p.add_argument("-n", type=positive_int, default=8,
                   help="samples per request that names no codesieve.n (default 8)")
    p.add_argument("--rounds", type=count, default=2, help="debug rounds (default 2)")
    p.add_argument("--max-tokens", type=positive_int, default=512,
                   help="tokens per program answer (default 512; selection answers get at most 256, those that "
                        "reason first 384)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    p.add_argument("--store", type=Path, default=DEFAULT_STORE,
                   help=f"run store every request is stored in, as `codesieve run`'s (default {DEFAULT_STORE}); "
                        "problem files and reports go beside it")
    p.add_argument("--concurrency", type=positive_int, default=2, help="requests run at once (default 2)")
    p.add_argument("--queue", type=count, default=16,
                   help="requests that may wait for a free slot; one more gets 429 (default 16)")
    p.add_argument("--timeout", type=positive, default=600.0,
                   help="seconds a request may run before it gets 504 (default 600)")
    p.add_argument("--max-body-bytes", type=positive_int, default=1_000_000,
                   help="largest request body; a larger one gets 413 (default 1000000)")
    add_executor_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        raise ConfigError("codesieve serve needs its extra: pip install 'codesieve[serve]'") from None

    from codesieve.runs import Model
    from codesieve.serve import ServeSettings, create_app

    upstream_key = api_key_for(args.base_url, args.upstream_api_key)  # a remote server without a key fails now
    model = Model(args.model, base_url=args.base_url, api_key=upstream_key, parallel=args.parallel,
                  ngram_draft=args.ngram_draft, draft_tokens=args.draft_tokens)
    settings = ServeSettings(model=model, strategy=args.strategy, n=args.n, rounds=args.rounds,
                             max_tokens=args.max_tokens, seed=args.seed, store=args.store,
                             concurrency=args.concurrency, queue=args.queue, timeout_s=args.timeout,
                             api_key=args.api_key, max_body_bytes=args.max_body_bytes, workers=args.workers,
                             executor=args.executor)
    if not _loopback(args.host) and args.api_key is None:
        print(f"codesieve serve: warning: listening on {args.host} without --api-key: anyone who reaches it "
              "can spend this machine's model and sandbox")
    print(f"codesieve serve: {args.model} at http://{args.host}:{args.port}/v1 (runs stored in {args.store})",
          flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=_log_config())
    return 0


def _log_config() -> dict:
    """uvicorn's logging, with a line per request from `codesieve.serve` (its run, pick and time)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["codesieve.serve"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"

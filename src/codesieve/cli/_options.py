"""Option types and name lists shared by the subcommands.

Values are checked while the command line is parsed, so a bad one fails before any model loads
or any work starts, with argparse's message naming the flag. Strategy and check names come from
the stage registry, which lists them without importing an implementation. The model names and
server numbers are written out here rather than imported, because importing the model modules
costs time on every `codesieve --help`; tests/cli/test_options.py checks each against the library.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from urllib.parse import urlparse

from codesieve.errors import ConfigError
from codesieve.problems._registry import ALIASES, BENCHMARKS
from codesieve.stages import Entry, registered

BENCHMARK_NAMES = tuple(BENCHMARKS)
BENCHMARK_CHOICES = (*BENCHMARKS, *ALIASES)
MODEL_NAMES = ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "smollm2-135m")  # codesieve.llm.weights.MODELS
SERVER_SLOTS = 16  # codesieve.llm.llamacpp.DEFAULT_SLOTS (not imported: the help stays fast)
DRAFT_TOKENS = 16  # codesieve.llm.llamacpp.NGRAM_DRAFT_TOKENS, likewise
LOOKUP_TOKENS = 12  # codesieve.llm.llamacpp.NGRAM_LOOKUP_TOKENS, likewise
DEBUG_PROMPTS = ("conversation", "quoted")  # codesieve.generate.prompts.DEBUG_PROMPTS
NEEDS_DATA = ("livecodebench", "jsonl")  # benchmarks whose module has no bundled DEFAULT_PATH
_ARG_FORMS = {"none": "{}", "count": "{}:K", "optional count": "{}[:K]", "name": "{}:NAME", "text": "{}:TEXT"}


def check_usage(entry: Entry) -> str:
    """A registered check as a cascade stage writes it: tests:K, majority[:K], orm:NAME."""
    return _ARG_FORMS[entry.arg].format(entry.name)


STRATEGY_NAMES = tuple(n for n in registered("strategy") if n != "cascade")  # cascade:SPEC is named apart
CHECK_NAMES = tuple(check_usage(e) for e in registered("check").values())  # the checks a cascade chains


def positive_int(text: str) -> int:
    value = _number(int, text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def count(text: str) -> int:
    """An integer that may be 0 (--limit, --rounds)."""
    value = _number(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def non_negative(text: str) -> float:
    value = _number(float, text)
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def positive(text: str) -> float:
    value = _number(float, text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def probability(text: str) -> float:
    """A nucleus-sampling mass: more than 0, at most 1."""
    value = _number(float, text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1, got {text}")
    return value


def benchmark(text: str) -> str:
    """A benchmark name, case-insensitive (argparse then checks it against BENCHMARK_CHOICES)."""
    return text.lower()


def _number(kind: type, text: str):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {'an integer' if kind is int else 'a number'}: {text!r}") from None


def benchmark_help(default: str | None = None) -> str:
    """The --benchmark help: every name, which ones need --data, and the default."""
    bundled = [n for n in BENCHMARKS if n not in NEEDS_DATA]
    text = f"benchmark: {', '.join(bundled)} (bundled); {', '.join(NEEDS_DATA)} (need --data FILE)"
    return text + (f"; default {default}" if default else "")


def check_data(name: str, data: object) -> None:
    """A benchmark without a bundled file needs --data: say so before anything loads."""
    key = ALIASES.get(name, name)
    if data is None and key in NEEDS_DATA:
        raise ConfigError(f"--benchmark {key} needs --data FILE: {BENCHMARKS[key].split(' (needs')[0]}")


def api_key_for(base_url: str | None, api_key: str | None) -> str | None:
    """The key to send to --base-url: --api-key, else $OPENAI_API_KEY, else none for a server on this
    machine (local servers check no key); a remote server without either is a clear error."""
    if base_url is None:
        return api_key
    key = api_key or os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if is_local(base_url):
        return "no-key"  # the OpenAI client insists on a value; a local server ignores it
    raise ConfigError(f"{base_url} needs an API key: pass --api-key KEY or set OPENAI_API_KEY "
                      "(pass --api-key none for a server that checks no key)")


def is_local(url: str) -> bool:
    host = (urlparse(url).hostname or "").strip("[]")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified

"""The name lists and option checks every subcommand shares (cli/_options.py)."""

import importlib
import subprocess
import sys

import pytest

from codesieve.cli import main

BENCHMARKS = ("humaneval", "humaneval+", "mbpp+", "mbpp", "codecontests", "livecodebench", "jsonl")
STRATEGIES = ("sstar", "sstar-mutants", "sstar-predict", "sstar-cheap", "sstar-generator", "zero-shot", "random",
              "public-filter", "majority-vote", "mbr-exec", "codet", "self-debug", "llm-judge")
MODELS = ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "smollm2-135m")


def test_the_written_out_name_lists_match_the_library():
    from codesieve.cli import _options
    from codesieve.generate.prompts import DEBUG_PROMPTS
    from codesieve.llm.llamacpp import DEFAULT_SLOTS, NGRAM_DRAFT_TOKENS, NGRAM_LOOKUP_TOKENS
    from codesieve.llm.weights import MODELS
    from codesieve.problems._registry import _MODULES

    assert _options.BENCHMARK_NAMES == BENCHMARKS
    assert _options.MODEL_NAMES == tuple(MODELS)
    assert _options.SERVER_SLOTS == DEFAULT_SLOTS
    assert (_options.DRAFT_TOKENS, _options.LOOKUP_TOKENS) == (NGRAM_DRAFT_TOKENS, NGRAM_LOOKUP_TOKENS)
    assert _options.DEBUG_PROMPTS == DEBUG_PROMPTS
    assert set(_options.NEEDS_DATA) == {n for n, m in _MODULES.items()
                                        if importlib.import_module(m).DEFAULT_PATH is None}


def test_strategy_and_check_names_come_from_the_registry():
    from codesieve.cli._options import CHECK_NAMES, STRATEGY_NAMES
    from codesieve.stages import registered

    def builtin(names):  # a plugin imported before the options were is listed too (tests/extending has some)
        return {n for n in names if isinstance(registered()[n.split(":")[0].split("[")[0]].target, str)}

    assert builtin(STRATEGY_NAMES) == set(STRATEGIES)
    assert builtin(CHECK_NAMES) == {"syntax", "lint", "public", "tests:K", "sample:K", "majority[:K]", "orm:NAME",
                                    "full"}


def test_help_imports_no_stage_implementation():
    """The help lists every strategy and check from the registry's strings: no S*, no cascade, no ORM
    module is imported for it (a fresh interpreter, so other tests' imports do not count)."""
    code = ("import contextlib, io, sys\n"
            "from codesieve.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    for command in ('run', 'pareto', 'orm'):\n"
            "        main([command, '--help'])\n"
            "print(' '.join(m for m in sys.modules if m.startswith(('codesieve.select', 'codesieve.verify'))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


@pytest.mark.parametrize("command", [["run"], ["eval"], ["generate"]])
def test_benchmark_help_lists_every_name(command, capsys):
    assert main([*command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for name in BENCHMARKS:
        assert name in text
    assert "see `codesieve eval --help`" not in text


def test_run_help_lists_strategies_models_and_debug_prompt_choices(capsys):
    assert main(["run", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split()).replace("- ", "-")
    for name in (*STRATEGIES, *MODELS):
        assert name in text
    assert "--debug-prompt {conversation,quoted}" in text


def test_orm_and_pareto_help_say_what_each_argument_is(capsys):
    assert main(["orm", "train", "--help"]) == 0
    train = " ".join(capsys.readouterr().out.split())
    assert "pairwise: Bradley-Terry" in train and "pointwise: logistic regression" in train
    assert main(["orm", "score", "--help"]) == 0
    score = " ".join(capsys.readouterr().out.split())
    assert "artefact a trained ORM" in score and "pool candidate pool to score" in score
    assert main(["pareto", "--help"]) == 0
    pareto = " ".join(capsys.readouterr().out.split())
    assert "keep the median (default 1)" in pareto
    from codesieve.stages import registered
    for check, entry in registered("check").items():
        assert check in pareto or not str(entry.target).startswith("codesieve.")


def test_a_bad_json_line_says_where(tmp_path, capsys):
    samples = tmp_path / "s.jsonl"
    samples.write_text('{"task_id": "HumanEval/0", "completion": "a\x01b"}\n')
    assert main(["eval", str(samples), "--benchmark", "humaneval"]) == 2
    assert "s.jsonl, line 1: not valid JSON (Invalid control character at column 44)" in capsys.readouterr().err


def test_eval_of_a_benchmark_without_a_bundled_file_asks_for_data(tmp_path, capsys):
    samples = tmp_path / "s.jsonl"
    samples.write_text('{"task_id": "x", "completion": ""}\n')
    assert main(["eval", str(samples), "--benchmark", "livecodebench"]) == 2
    assert "--benchmark livecodebench needs --data FILE" in capsys.readouterr().err


def test_a_bad_problem_line_says_where(tmp_path):
    from codesieve.errors import CodesieveError
    from codesieve.problems import load_benchmark

    data = tmp_path / "p.jsonl"
    data.write_text('{"id": "a\x01"}\n')
    with pytest.raises(CodesieveError, match=r"line 1: not valid JSON \(Invalid control character at column 10\)"):
        load_benchmark("jsonl", data=data)

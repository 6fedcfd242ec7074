"""Code extraction: hand-made edge cases, then real answers of Qwen2.5-Coder-0.5B and SmolLM2.

The real answers are in fixtures/model_outputs.json (regenerate with fixtures/generate_fixtures.py).
Every program extracted from them must compile, and function programs must define the entry point.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codesieve.generate.extract import (
    add_missing_imports,
    code_blocks,
    continuation_program,
    drop_test_code,
    extract_code,
    extract_continuation,
    extract_program,
    with_starter_context,
)
from codesieve.types import Problem, TaskKind

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "model_outputs.json").read_text())

STARTER = 'from typing import List\n\n\ndef add(xs: List[int]) -> int:\n    """Sum xs."""\n'
HUMANEVAL = Problem(id="he", prompt=STARTER, kind=TaskKind.FUNCTION, entry_point="add",
                    starter_code=STARTER, completion_prefix=STARTER)
STDIO = Problem(id="cc", prompt="Read n, print n squared.", kind=TaskKind.STDIO)


def namespace(program: str) -> dict:
    scope: dict = {"__name__": "__solution__"}
    exec(compile(program, "solution.py", "exec"), scope)
    return scope


# --- fences -----------------------------------------------------------------------------------


def test_blocks_with_languages_tildes_indentation_and_an_open_end():
    text = (
        "Intro\n```python\nx = 1\n```\nthen\n~~~py\ny = 2\n~~~\n"
        "  1. step\n     ```\n     z = 3\n     ```\n```bash\nls\n```\n```Python\nw = 4\n"
    )
    blocks = code_blocks(text)
    assert [(b.lang, b.code, b.closed) for b in blocks] == [
        ("python", "x = 1\n", True), ("py", "y = 2\n", True), ("", "z = 3\n", True),
        ("bash", "ls\n", True), ("python", "w = 4\n", False),
    ]
    assert [b.is_python for b in blocks] == [True, True, True, False, True]


def test_a_longer_fence_holds_a_shorter_one():
    [block] = code_blocks('````python\ns = """\n```\n"""\n````\n')
    assert block.code == 's = """\n```\n"""\n' and block.closed


def test_the_block_defining_the_entry_point_wins_over_a_longer_one():
    text = ("```python\ndef add(xs):\n    return sum(xs)\n```\n"
            "Usage:\n```python\nnumbers = [1, 2, 3, 4, 5, 6, 7, 8, 9]\nprint(add(numbers))\nprint('done')\n```\n")
    assert extract_code(text, "add").startswith("def add(xs):")
    assert extract_code(text, None).startswith("numbers = ")  # no entry point: the longest block


def test_class_entry_points_pick_the_class():
    text = "```python\ndef helper():\n    pass\n```\n```python\nclass Solution:\n    def f(self):\n        return 1\n```\n"
    assert extract_code(text, "Solution.f").startswith("class Solution:")


def test_stdio_prefers_the_block_that_reads_input():
    text = "```python\ndef solve(n):\n    return n * n\n```\n```python\nn = int(input())\nprint(n * n)\n```\n"
    assert extract_code(text, stdio=True) == "n = int(input())\nprint(n * n)\n"


def test_an_unclosed_truncated_block_keeps_its_parseable_part():
    text = "```python\ndef add(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total +"
    code = extract_code(text, "add")
    assert code.endswith("total += x\n") and "return" not in code


def test_a_closed_block_with_a_syntax_error_is_kept_for_feedback():
    text = "```python\ndef add(xs):\n    return sum(xs\n```\n"
    assert extract_code(text, "add") == "def add(xs):\n    return sum(xs\n"


def test_no_fences_takes_the_code_and_drops_the_prose():
    text = "Sure, here it is.\ndef add(xs):\n    return sum(xs)\n\nThis function adds the numbers."
    assert extract_code(text, "add") == "def add(xs):\n    return sum(xs)\n"
    assert extract_code("def add(xs):\n    return sum(xs)\n", "add") == "def add(xs):\n    return sum(xs)\n"
    assert extract_code("I cannot help with that.", "add") == "I cannot help with that."


# --- programs ---------------------------------------------------------------------------------


def test_function_program_drops_test_code_and_adds_starter_imports():
    answer = ("```python\ndef add(xs: List[int]) -> int:\n    return sum(xs)\n\nprint(add([1, 2]))\n"
              "assert add([]) == 1\nresult = add([3])\nif __name__ == '__main__':\n    input()\n```\n")
    program = extract_program(HUMANEVAL, answer)
    assert program == "from typing import List\n\ndef add(xs: List[int]) -> int:\n    return sum(xs)\n"
    assert namespace(program)["add"]([1, 2]) == 3


def test_setup_the_functions_need_is_kept():
    code = ("import sys\nsys.setrecursionlimit(10000)\nMOD = 10**9 + 7\nTABLE = build(5)\n\n"
            "def build(n):\n    return list(range(n))\n\ndef add(xs):\n    return sum(xs) % MOD + TABLE[0]\n\n"
            "for i in range(3):\n    print(add([i]))\n")
    kept = drop_test_code(code)
    assert "sys.setrecursionlimit" in kept and "MOD = " in kept and "TABLE = build(5)" in kept
    assert "for i in range(3)" not in kept


def test_starter_helpers_are_prepended_when_missing():
    starter = ('def is_palindrome(s: str) -> bool:\n    return s == s[::-1]\n\n\n'
               'def make_palindrome(s: str) -> str:\n    """Shortest palindrome starting with s."""\n')
    program = with_starter_context("def make_palindrome(s):\n    return s + s[::-1]\n", starter)
    assert program.startswith("def is_palindrome(s: str) -> bool:") and program.count("def make_palindrome") == 1
    assert with_starter_context("x = (", starter) == "x = ("  # unparseable code is left alone


def test_a_body_only_answer_continues_the_starter():
    program = extract_program(HUMANEVAL, "```python\n    return sum(xs)\n```")
    assert program == STARTER + "    return sum(xs)\n"


def test_missing_imports_are_added_only_for_unbound_names():
    code = "def f(xs):\n    c = Counter(xs)\n    return math.sqrt(len(c)) + gcd(2, 4)\n"
    fixed = add_missing_imports(code)
    assert fixed.startswith("import math\nfrom collections import Counter\nfrom math import gcd\n\n")
    assert namespace(fixed)["f"]([1, 1, 2]) == 2 ** 0.5 + 2
    already = "import math as math\nfrom collections import Counter\n" + code.replace("gcd(2, 4)", "0")
    assert add_missing_imports(already) == already
    assert add_missing_imports("def f(List):\n    return List\n") == "def f(List):\n    return List\n"


def test_stdio_program_calls_an_uncalled_main():
    program = extract_program(STDIO, "```python\ndef main():\n    n = int(input())\n    print(n * n)\n```")
    assert program.endswith("\n\nmain()\n")
    called = "```python\ndef main():\n    print(1)\n\nif __name__ == '__main__':\n    main()\n```"
    assert extract_program(STDIO, called).count("main()") == 2


def test_continuation_stops_at_the_first_top_level_line():
    completion = "    return sum(xs)\n\n\ndef check():\n    pass\n\nprint(add([1]))\n"
    assert extract_continuation(completion) == "    return sum(xs)\n"
    assert continuation_program(HUMANEVAL, completion) == STARTER + "    return sum(xs)\n"
    assert extract_continuation("    x = 1\n```\nExplanation") == "    x = 1\n"
    assert extract_continuation("xs)\n    return 0\nprint(1)", starts_line=False) == "xs)\n    return 0\n"


# --- real model answers -----------------------------------------------------------------------


def fixture_problem(record: dict) -> Problem:
    fields = record["problem"]
    return Problem(id=fields["id"], prompt=fields["starter_code"] or "", kind=TaskKind(fields["kind"]),
                   entry_point=fields["entry_point"], starter_code=fields["starter_code"],
                   completion_prefix=fields["completion_prefix"])


def fixture_id(record: dict) -> str:
    return f"{record['model']}-{record['mode']}-{record['problem']['id']}-t{record['temperature']}"


@pytest.mark.parametrize("record", FIXTURES, ids=fixture_id)
def test_real_answers_give_compilable_programs(record):
    problem = fixture_problem(record)
    if record["mode"] == "continuation":
        program = continuation_program(problem, record["text"])
    else:
        program = extract_program(problem, record["text"])
    assert "```" not in program
    compile(program, "solution.py", "exec")
    if problem.kind == TaskKind.FUNCTION:  # loads without running test code, defines the entry point
        assert callable(namespace(program).get(problem.entry_point)), program


def real(model: str, mode: str, problem_id: str, temperature: float) -> tuple[Problem, str]:
    [record] = [r for r in FIXTURES if (r["model"], r["mode"], r["problem"]["id"], r["temperature"])
                == (model, mode, problem_id, temperature)]
    return fixture_problem(record), record["text"]


def test_real_check_functions_and_prints_are_dropped():
    problem, text = real("qwen2.5-coder-0.5b", "chat", "HumanEval/0", 0.8)
    assert "check_function()" in text
    program = extract_program(problem, text)
    assert "\ncheck_function()" not in program and "This Python code" not in program
    problem, text = real("qwen2.5-coder-0.5b", "chat", "HumanEval/10", 0.8)
    assert "print(" in text and "print(" not in extract_program(problem, text)


def test_real_failing_asserts_do_not_break_loading():
    problem, text = real("qwen2.5-coder-0.5b", "chat", "mbpp/16", 0.8)
    assert "== 'Found a match!'" in text  # the model's own assert is wrong
    assert "assert" not in extract_program(problem, text)


def test_real_truncated_answer_keeps_the_complete_lines():
    problem, text = real("qwen2.5-coder-0.5b", "chat", "HumanEval/32", 0.0)
    assert not text.rstrip().endswith("```")
    program = extract_program(problem, text)
    assert "def poly(" in program and "def find_zero(" in program
    assert text.rstrip().endswith("if max_coeff")  # cut mid-statement by max_tokens
    assert program.rstrip().endswith("max_coeff = max(xs)")


def test_real_unfenced_stdio_program():
    problem, text = real("smollm2-135m", "chat", "cc_test_000", 0.8)
    assert "```" not in text
    program = extract_program(problem, text)
    assert program.startswith("def reverse_books(n, m):") and program.rstrip().endswith("main()")


def test_real_continuations_stop_after_the_function():
    problem, text = real("qwen2.5-coder-0.5b", "continuation", "HumanEval/0", 0.0)
    program = continuation_program(problem, text)
    assert program.startswith(problem.completion_prefix or "")
    assert program.endswith("    return False\n") and "check_solution" not in program
    problem, text = real("smollm2-135m", "continuation", "HumanEval/0", 0.0)
    assert continuation_program(problem, text) == (problem.completion_prefix or "") + "\n"  # it only chatted


def test_selection_answers_close_at_any_fence_and_keep_their_indent():
    from codesieve.generate.extract import code_blocks

    text = "1. Input:\n   ```\n   1 2\n   ```\n```python\nf(1)```\n```output\n3\n```python\nleft open"
    read = [(b.lang, b.code) for b in code_blocks(text, selection=True) if b.closed]
    assert read == [("", "   1 2\n   \n"), ("python", "f(1)\n"), ("output", "3\n")]
    programs = [(b.lang, b.code, b.closed) for b in code_blocks(text)]
    assert programs[0] == ("", "1 2\n", True)  # a program under a list item loses the item's indent

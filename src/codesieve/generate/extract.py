"""From model text to a runnable program. Pure functions, no I/O.

Chat answers: the code is in fenced blocks (``` or ~~~, maybe unclosed when the answer hit
max_tokens, maybe missing). For a function task the block defining the entry point wins, else
the longest Python block; for a stdio task, the block that reads input. A function program keeps
imports, definitions and the constants they use, and drops top-level test code (prints, asserts,
calls of its own functions, `if __name__ == "__main__"`), which could crash or block at load time.

Raw continuations (HumanEval style) end at the first non-indented line: whatever comes after the
function body (`def`, `if __name__`, `print(`, a fence) is not part of it.

Both kinds get the imports small models forget (`math`, `List`, `defaultdict`, ...) when a name is
used but bound nowhere, which would otherwise be a NameError.
"""

from __future__ import annotations

import ast
import builtins
import re
import symtable
from dataclasses import dataclass

from codesieve.types import Problem, TaskKind

PYTHON_LANGS = {"", "python", "py", "python3", "py3", "python2"}
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+#.-]*)[^`]*$")
_CODE_START = re.compile(r"^(def |class |import |from \S+ import |@|async def )")
_READS_INPUT = re.compile(r"\binput\s*\(|sys\.stdin|open\(0")

_MODULES = ("math", "re", "sys", "collections", "heapq", "itertools", "functools", "bisect", "string",
            "random", "copy", "operator", "statistics", "typing")
_FROM_IMPORTS = {
    "typing": ("List", "Dict", "Tuple", "Set", "Optional", "Union", "Any", "Callable", "Iterable",
               "Iterator", "Sequence", "FrozenSet", "Deque", "DefaultDict"),
    "collections": ("Counter", "defaultdict", "deque", "OrderedDict"),
    "functools": ("lru_cache", "cache", "reduce", "cmp_to_key"),
    "heapq": ("heappush", "heappop", "heapify"),
    "bisect": ("bisect_left", "bisect_right", "insort"),
    "itertools": ("permutations", "combinations", "accumulate", "product", "groupby"),
    "math": ("gcd", "inf", "sqrt", "ceil", "floor", "comb", "factorial", "isqrt"),
}
_SOURCE_OF = {name: module for module, names in _FROM_IMPORTS.items() for name in names}


@dataclass(frozen=True)
class CodeBlock:
    """A fenced block: its language tag (lower case, may be empty), code, and whether it was closed."""

    lang: str
    code: str
    closed: bool

    @property
    def is_python(self) -> bool:
        return self.lang in PYTHON_LANGS


def code_blocks(text: str, *, selection: bool = False) -> list[CodeBlock]:
    """Every fenced block in `text`, in order; a block still open at the end counts (closed=False).

    The one fence scanner. Programs are read as below (a closing fence has no info string; a block
    indented under a list item loses that indent). With `selection`, answers to selection prompts
    (test inputs, CodeT tests, predicted outputs) are read as the committed runs read them: any
    ``` closes a block, with what precedes it on its line, and lines keep their indent. Checked
    equal to the earlier reader on all 9,813 stored model answers."""
    blocks: list[CodeBlock] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opener = _FENCE.match(lines[i])
        if not opener:
            i += 1
            continue
        fence, indent = opener["fence"], opener["indent"]
        body: list[str] = []
        i += 1
        closed = False
        while i < len(lines):
            bare = lines[i].strip()
            if selection and "```" in lines[i]:  # any fence closes, and what precedes it on its line is kept
                before = lines[i].split("```", 1)[0]
                if before:
                    body.append(before)
                closed = True
                break
            if len(bare) >= len(fence) and set(bare) == {fence[0]}:  # a closing fence: no info string
                closed = True
                break
            body.append(lines[i] if selection or not lines[i].startswith(indent) else lines[i][len(indent):])
            i += 1
        i += 1
        blocks.append(CodeBlock(opener["lang"].lower(), "\n".join(body).strip("\n") + "\n", closed))
    return blocks


def extract_code(text: str, entry_point: str | None = None, *, stdio: bool = False) -> str:
    """The code in a chat answer: the best fenced block, or the code-like part of unfenced text."""
    blocks = [b for b in code_blocks(text) if b.code.strip()]
    python = [b for b in blocks if b.is_python] or blocks
    if not python:
        return _unfenced(text)
    if stdio:
        preferred = [b for b in python if _READS_INPUT.search(b.code)]
    else:
        preferred = [b for b in python if entry_point and _defines(b.code, entry_point)]
    chosen = max(preferred or python, key=lambda b: (_parses(b.code), len(b.code)))
    return chosen.code if chosen.closed else _parseable_prefix(chosen.code)


def extract_program(problem: Problem, text: str) -> str:
    """The runnable program in a chat answer to `problem` (see the module docstring)."""
    if problem.kind == TaskKind.STDIO:
        return add_missing_imports(_call_main(extract_code(text, stdio=True)))
    code = extract_code(text, problem.entry_point)
    prefix = problem.completion_prefix
    if prefix and problem.entry_point and not _defines(code, problem.entry_point) and _is_body(code):
        return continuation_program(problem, code)  # the model answered with the body only
    code = drop_test_code(code)
    if problem.starter_code:
        code = with_starter_context(code, problem.starter_code)
    return add_missing_imports(code)


def continuation_program(problem: Problem, completion: str) -> str:
    """The starter code followed by the function body the model continued it with."""
    prefix = problem.completion_prefix or problem.starter_code or ""
    return prefix + extract_continuation(completion, starts_line=prefix.endswith("\n") or not prefix)


def extract_continuation(completion: str, *, starts_line: bool = True) -> str:
    """`completion` up to its first non-blank, non-indented line (the end of the function body).

    With `starts_line=False` the completion's first line finishes the prompt's last line and is kept.
    """
    lines = completion.split("\n")
    kept: list[str] = []
    for k, line in enumerate(lines):
        if (k or starts_line) and line.strip() and not line[0].isspace():
            break
        kept.append(line)
    return "\n".join(kept).rstrip() + "\n"


def drop_test_code(code: str) -> str:
    """Keep imports, definitions and module-level setup; drop top-level code that tests or prints.

    Dropped: asserts, `if __name__ == "__main__"` blocks, bare expressions (calls, docstrings) other
    than `sys.*(...)` setup, and statements that call print/input or the code's own functions,
    unless they bind a name the functions use. Code that does not parse is returned unchanged.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    used = _globals_used_by_functions(code)
    lines = code.splitlines()
    kept: list[str] = []
    for node in tree.body:
        if _is_test_code(node, defined) and not (_bound_names(node) & used):
            continue
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        kept.append("\n".join(lines[start - 1 : node.end_lineno]))
    return "\n\n".join(kept).strip("\n") + "\n"


def with_starter_context(code: str, starter_code: str) -> str:
    """Prepend what the starter code has and `code` lacks: its imports and helper definitions."""
    try:
        starter = ast.parse(starter_code)
        mine = ast.parse(code)
    except SyntaxError:
        return code
    have = {ast.unparse(n) for n in mine.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    have |= {n.name for n in mine.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    lines = starter_code.splitlines()
    extra = []
    for node in starter.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if ast.unparse(node) not in have:
                extra.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name not in have:
            if _has_body(node):  # a helper; the entry point's own stub is the model's to fill
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                extra.append("\n".join(lines[start - 1 : node.end_lineno]))
    return "\n\n".join(extra + [code.strip("\n")]) + "\n" if extra else code


def add_missing_imports(code: str) -> str:
    """Prepend imports for well-known modules and names that `code` uses but never binds."""
    names = _unbound_names(code)
    if not names:
        return code
    modules = sorted(n for n in names if n in _MODULES)
    grouped: dict[str, list[str]] = {}
    for name in sorted(names):
        if name in _SOURCE_OF:
            grouped.setdefault(_SOURCE_OF[name], []).append(name)
    imports = [f"import {m}" for m in modules]
    imports += [f"from {m} import {', '.join(ns)}" for m, ns in sorted(grouped.items())]
    return "\n".join(imports) + "\n\n" + code if imports else code


def _unbound_names(code: str) -> set[str]:
    try:
        table = symtable.symtable(code, "<program>", "exec")
    except SyntaxError:
        return set()
    bound = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    used = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    used |= _nested_globals(table)
    return {n for n in used - bound if not hasattr(builtins, n) and (n in _MODULES or n in _SOURCE_OF)}


def _nested_globals(table: symtable.SymbolTable) -> set[str]:
    names: set[str] = set()
    for child in table.get_children():
        names |= {s.get_name() for s in child.get_symbols() if s.is_global() and s.is_referenced()}
        names |= _nested_globals(child)
    return names


def _globals_used_by_functions(code: str) -> set[str]:
    try:
        return _nested_globals(symtable.symtable(code, "<program>", "exec"))
    except SyntaxError:
        return set()


def _is_test_code(node: ast.stmt, defined: set[str]) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.If) and _is_main_guard(node.test):
        return True
    if isinstance(node, ast.Expr):
        call = node.value
        return not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and isinstance(call.func.value, ast.Name) and call.func.value.id == "sys")
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    calls = {c.func.id for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
    return bool(calls & (defined | {"print", "input"}))


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__")


def _bound_names(node: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _has_body(node: ast.stmt) -> bool:
    """False for a stub: only a docstring, `pass` or `...`."""
    body = getattr(node, "body", [])
    real = [s for s in body if not (isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)))]
    return bool(real)


def _defines(code: str, entry_point: str) -> bool:
    name = entry_point.split(".")[0]
    keyword = "class" if "." in entry_point else "def"
    return re.search(rf"^\s*(async\s+)?{keyword}\s+{re.escape(name)}\b", code, re.MULTILINE) is not None


def _is_body(code: str) -> bool:
    lines = [line for line in code.splitlines() if line.strip()]
    return bool(lines) and all(line[0].isspace() for line in lines)


def _call_main(code: str) -> str:
    """A stdio program that defines `main()` but never calls it gets the call appended."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    defines_main = any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)
    top_level = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    calls_main = any(isinstance(n, ast.Name) and n.id == "main" for t in top_level for n in ast.walk(t))
    return code.rstrip("\n") + "\n\nmain()\n" if defines_main and not calls_main else code


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def _parseable_prefix(code: str) -> str:
    """The longest run of whole lines from the start that parses (a truncated answer's usable part)."""
    lines = code.splitlines()
    for end in range(len(lines), 0, -1):
        candidate = "\n".join(lines[:end]).rstrip()
        if candidate and _parses(candidate):
            return candidate + "\n"
    return code


def _unfenced(text: str) -> str:
    """Code in an answer without fences: the whole text if it parses, else from the first code line."""
    if _parses(text):
        return text.strip("\n") + "\n"
    lines = text.splitlines()
    start = next((k for k, line in enumerate(lines) if _CODE_START.match(line)), None)
    return text if start is None else _parseable_prefix("\n".join(lines[start:]))

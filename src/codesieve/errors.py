"""The one exception tree of codesieve.

    CodesieveError
     ├── ConfigError     bad user input: options, files, formats (message says what to fix)
     ├── ProblemError    a benchmark or problem file cannot be read or is malformed
     ├── BackendError    a model backend failed (connection, auth, unknown model, exhausted retries)
     ├── SandboxError    the execution machinery itself broke (not the candidate program)
     └── StoreError      the SQLite run store is unreadable or from an incompatible version

A candidate program that crashes, times out or answers wrongly is *not* an error: it yields a
`Verdict` in an `ExecResult`. Exceptions are for problems the user or the environment must fix.
"""

from __future__ import annotations


class CodesieveError(Exception):
    """Root of every error codesieve raises on purpose."""


class ConfigError(CodesieveError):
    """Invalid options or input files."""


class ProblemError(CodesieveError):
    """A benchmark or problem file is missing or malformed."""


class BackendError(CodesieveError):
    """A model backend could not serve a request."""


class SandboxError(CodesieveError):
    """The executor itself failed (worker could not start, protocol broken)."""


class StoreError(CodesieveError):
    """The run store cannot be used."""

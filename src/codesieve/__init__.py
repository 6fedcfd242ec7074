"""codesieve: test-time scaling for code generation."""

__version__ = "0.1.0"

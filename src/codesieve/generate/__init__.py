"""Stage 1 of S*: making candidate programs.

`prompts` turns a problem into the first request, `sample` draws N answers, `extract` takes the
program out of each answer, and `debug` asks for fixes on real public-test feedback.
"""

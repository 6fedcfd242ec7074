"""Stage 1 of S*: making candidate programs.

`prompts` holds every request's words (first round and debugging), `sample` draws N answers,
`extract` takes the program out of each answer, `public` runs programs on the public tests, and
`debug` asks for fixes on that real feedback.
"""

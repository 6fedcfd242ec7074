"""S*'s judges: who wins a duel that execution did not decide, one module each.

- `predict` (the default, `SelectConfig.judge`): predicts the output of each input the programs
  disagree on, without seeing them; the side that gave it wins.
- `reason`: analyses first, then names A, B or tie, in both orders.
- `verdict-first`: the committed runs' judge, "Answer: A" or "Answer: B" first, then why.
- `logprob`: reads the log-probabilities of A and B as the first token, in both orders.

Each is a class registered by name (`codesieve.stages.builtin`) and satisfying
`codesieve.stages.Judge`: given a duel's two programs and the inputs they disagree on
(`base.Disagreement`), it returns a `base.Judgement`. It says whether it can also compare two
programs by their code alone (`by_code`: S*'s fallback when no duel decided) and how many tokens
an answer may take (`budget`). A new judge is one module here and one row in the registry's
table, or, outside the package, one class decorated with `codesieve.stages.judge`.
"""

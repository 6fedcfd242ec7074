"""Choosing one program among candidates: S*, its judges and the baselines it is compared with.

The stage interfaces and the registry that names these strategies and judges live in
`codesieve.stages`; `codesieve.stages.make_strategy("sstar")` builds one.
"""

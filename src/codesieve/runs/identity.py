"""What a run's key is made of, computed by one function from the configuration's fields.

A stored run is found again by the hash of its identity (`codesieve.store.run_key`), so the
identity of every configuration stored before an option existed must not change when the option is
added. Each configuration dataclass says how its fields are keyed, in their `metadata`:

- none: always keyed (the options runs were first keyed by);
- `keyed=False`: never keyed (it changes no result: which strategies run, how many problems in flight);
- `flat=True`: a nested configuration whose fields are keyed at this level (the sampling options,
  the flat form stored runs are keyed by); other nested configurations are keyed as a nested dict;
- `added=VALUE`: an option added after runs were stored, left out while at VALUE, the setting that
  reproduces those runs; `added` may instead be a predicate of the configuration, true where the
  configuration reproduces them (the option's effect depends on other options);
- `group=NAME` with `added`: options added together, left out only when all of them are at their
  `added` values (and all keyed otherwise).

So a new option needs only `added=<its value before it existed>`, and old keys stay as they were.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from codesieve.pipeline import RunConfig


def config_identity(config: Any) -> dict[str, Any]:
    """The options of a configuration dataclass that change results, keyed as its fields' metadata say."""
    out: dict[str, Any] = {}
    groups: dict[str, list[tuple[str, Any, bool]]] = {}
    for f in fields(config):
        meta = f.metadata
        if meta.get("keyed", True) is False:
            continue
        value = getattr(config, f.name)
        keyed = config_identity(value) if is_dataclass(value) else value
        if meta.get("flat"):
            out.update(keyed)
        elif "added" in meta:
            before = meta["added"]
            as_before = before(config) if callable(before) else value == before
            groups.setdefault(meta.get("group", f.name), []).append((f.name, keyed, as_before))
        else:
            out[f.name] = keyed
    for members in groups.values():
        if not all(as_before for _, _, as_before in members):
            out.update((name, keyed) for name, keyed, _ in members)
    return out


def run_identity(config: RunConfig, *, benchmark: str, model: str, judge: str, data: str = "",
                 inputs: str | None = None) -> dict[str, Any]:
    """What a run's store key is made of: the problems, the models and the options that change
    results. `inputs`: the model writing test inputs, when not the judge."""
    extra = {"inputs_model": inputs} if inputs else {}
    return {"benchmark": benchmark, "data": data, "model": model, "judge": judge, **extra, **config_identity(config)}

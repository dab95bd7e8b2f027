"""`[tool.gradtrace]` in pyproject.toml: select, ignore, exclude and keras for `gradtrace lint`."""
from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KEYS = ("select", "ignore", "exclude", "keras")
KERAS_VERSIONS = ("2", "3")


class ConfigError(Exception):
    pass


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents) if start.is_dir() else start.parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> dict:
    path = find_pyproject(start)
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    section = data.get("tool", {}).get("gradtrace", {})
    config = {}
    for key, value in section.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: [tool.gradtrace] has no setting {key!r} "
                              f"(known: {', '.join(KEYS)})")
        if key == "keras":
            if str(value) not in KERAS_VERSIONS:
                raise ConfigError(f"{path}: [tool.gradtrace] keras must be \"2\" (tf-keras) "
                                  f"or \"3\", not {value!r}")
            config[key] = str(value)
            continue
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{path}: [tool.gradtrace] {key} must be a list of strings")
        config[key] = value
    return config

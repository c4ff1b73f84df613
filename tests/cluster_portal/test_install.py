"""`make install` installs requirements.lock: it must hold what pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def locked_versions():
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", (ROOT / "requirements.lock").read_text(),
                      re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def test_every_dependency_is_locked_with_a_version_its_range_allows_and_a_hash():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(text) for text in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        wanted += [Requirement(text) for text in extra]
    locked = locked_versions()
    wrong = [
        f"{req.name}: locked {locked.get(canonicalize_name(req.name))}, wanted {req.specifier}"
        for req in wanted
        if canonicalize_name(req.name) not in locked
        or not req.specifier.contains(locked[canonicalize_name(req.name)], prereleases=True)
    ]
    assert wrong == [], "pyproject.toml changed without `make lock`:\n" + "\n".join(wrong)
    # Each pin is followed by its hashes, so pip refuses a file that is not the one locked.
    blocks = re.split(r"^(?=[A-Za-z0-9_.\-]+==)", (ROOT / "requirements.lock").read_text(),
                      flags=re.MULTILINE)[1:]
    assert blocks and all("--hash=sha256:" in block for block in blocks)

"""The README's Python examples run as written (the README is the first thing a user copies)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples():
    assert BLOCKS


@pytest.mark.parametrize("k", range(len(BLOCKS)))
def test_readme_example_runs(k, capsys, recwarn):
    exec(compile(BLOCKS[k], f"README.md[python block {k}]", "exec"), {"__name__": "__readme__"})
    deprecated = [str(w.message) for w in recwarn if issubclass(w.category, DeprecationWarning)
                  and ("aligntheory" in str(w.filename) or "README" in str(w.filename))]
    assert not deprecated, f"the README uses deprecated API: {deprecated}"
    out = capsys.readouterr().out
    # a printed value shown in a trailing comment must be what the example prints
    for line in BLOCKS[k].splitlines():
        m = re.match(r"\s*print\(.*\)\s*#\s*(\S+)", line)
        if m:
            assert m.group(1) in out, (line, out)


def test_readme_test_command_is_what_ci_runs():
    ci = (README.parent / ".ci" / "run").read_text()
    cmd = re.search(r"```bash\n(python -m pip install -e \"\.\[test\]\".*?)\n```", README.read_text()).group(1)
    assert cmd in ci


def _setup_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Set-up", 1)[1].split("\n## ", 1)[0]


def test_setup_is_two_commands_and_the_main_job_installs_the_verify_extra():
    """The main job's extra is the one `aligntheory verify` asks for (tests/test_slim_core.py checks that)."""
    cmds = re.findall(r"```bash\n(.*?)\n```", _setup_section(), re.S)
    assert cmds == ['python -m pip install -e ".[verify]" && aligntheory verify',
                    'python -m pip install -e ".[test]" && python -m pytest -n 2 -q']


def test_install_table_lists_every_extra_of_pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    extras = tomllib.loads((README.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"]
    rows = set(re.findall(r"^\| `([a-z]+)` \|", _setup_section(), re.M))
    assert rows == set(extras)

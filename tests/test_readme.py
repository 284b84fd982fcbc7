"""The README's promises: its two commands, and CI running the same test command."""

from pathlib import Path

from graphsvc.config import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_two_setup_commands_are_in_the_readme():
    assert "pip install -e . && graphsvc demo" in README
    assert "pip install -e '.[test]' && python -m pytest" in README


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\npip install -e '.[test]' && python -m pytest\n" in ci


def test_every_setting_is_documented():
    for variable, meaning, _ in SETTINGS.values():
        assert f"`{variable}`" in README, variable

"""The shape of the code that keeps features apart: hooks answered, dependencies downwards."""

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

from tot.hooks import hooks

ROOT = Path(__file__).resolve().parent.parent


def test_every_hook_of_a_lower_feature_is_answered(app):
    # An unanswered hook would silently say "nobody": no seats taken, no panel, no progress.
    unanswered = sorted(name for name, hook in hooks.items() if not hook.receivers)
    assert len(hooks) >= 10
    assert unanswered == []


def test_features_depend_downwards_only(capsys):
    """The import-linter contracts of pyproject.toml (`make lint` runs them too)."""
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out

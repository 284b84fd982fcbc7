"""Settings: each default set in one place (where the rule it configures lives), then the
environment, then the caller."""

import inspect

import pytest

from graphsvc.config import SETTINGS, Settings
from graphsvc.errors import ConfigurationError
from graphsvc.service import Graphsvc
from graphsvc.service.audience import Audiences
from graphsvc.service.data import Data
from graphsvc.service.present import present
from graphsvc.store import DEFAULT_CHUNK_ROWS, DEFAULT_DATABASE
from graphsvc.ties import ProjectionRule


def default_of(function, parameter: str):
    return inspect.signature(function).parameters[parameter].default


def test_a_default_is_the_one_the_code_it_configures_uses():
    settings = Settings.load({})
    assert settings.rule() == ProjectionRule()
    # the small-cell threshold is a privacy rule: the service, the audiences and the
    # presentation use the same one a deployment that sets nothing gets
    assert {default_of(Graphsvc.__init__, "small_cell"),
            default_of(Audiences.__init__, "small_cell"), default_of(Data.__init__, "small_cell"),
            default_of(present, "small_cell")} == {settings.small_cell}
    assert settings.neo4j_chunk_rows == DEFAULT_CHUNK_ROWS
    assert settings.database == DEFAULT_DATABASE


def test_every_setting_has_a_variable_and_a_field():
    assert {field for field in inspect.signature(Settings).parameters} == set(SETTINGS)
    assert all(variable.startswith("GRAPHSVC_") for variable, _, _ in SETTINGS.values())


def test_the_environment_then_the_caller_override_a_default():
    environ = {"GRAPHSVC_SMALL_CELL": "10", "GRAPHSVC_LARGE_SESSIONS": "exclude",
               "GRAPHSVC_DEMO": "yes", "GRAPHSVC_MAX_SESSION_SIZE": "0"}
    settings = Settings.load(environ, small_cell=3)
    assert (settings.small_cell, settings.demo) == (3, True)
    assert settings.rule() == ProjectionRule(large_sessions="exclude", max_session_size=None)
    assert Settings.load({"GRAPHSVC_SMALL_CELL": ""}).small_cell == Settings().small_cell


@pytest.mark.parametrize("variable, text", [("GRAPHSVC_SMALL_CELL", "five"),
                                            ("GRAPHSVC_DEMO", "maybe")])
def test_a_bad_value_names_the_variable_and_the_value(variable, text):
    with pytest.raises(ConfigurationError) as caught:
        Settings.load({variable: text})
    assert variable in str(caught.value) and repr(text) in str(caught.value)


def functions_taking(parameter: str):
    """Every function and method of graphsvc with a default for ``parameter``."""
    import importlib
    import pkgutil

    import graphsvc

    for info in pkgutil.walk_packages(graphsvc.__path__, "graphsvc."):
        if info.name == "graphsvc.web.wsgi":  # builds the production app as it is imported
            continue
        module = importlib.import_module(info.name)
        classes = [c for _, c in inspect.getmembers(module, inspect.isclass)
                   if c.__module__ == module.__name__]
        functions = [*(f for c in classes for f in vars(c).values() if inspect.isfunction(f)),
                     *(f for _, f in inspect.getmembers(module, inspect.isfunction)
                       if f.__module__ == module.__name__)]
        yield from (f for f in functions if parameter in inspect.signature(f).parameters)


def test_the_active_window_has_one_default():
    from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS
    from graphsvc.web.params import DEFAULT_WINDOW, WINDOWS

    defaults = {f"{f.__module__}.{f.__qualname__}": default_of(f, "window_months")
                for f in functions_taking("window_months")
                if default_of(f, "window_months") is not inspect.Parameter.empty}
    assert len(defaults) > 8  # the service's views, the analyses, the network
    # a window in months is the default's; None (all time) is a choice of its own
    assert {name: d for name, d in defaults.items() if d not in (None, DEFAULT_WINDOW_MONTHS)} == {}
    assert WINDOWS[DEFAULT_WINDOW] == DEFAULT_WINDOW_MONTHS

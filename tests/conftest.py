"""Runs the suite on every core without building the costliest shared fixture twice.

scripts/test runs pytest with ``-n auto --dist loadscope`` (pytest-xdist): each test module is a
unit of work sent whole to one worker, so a module-scoped fixture (a live server, a browser, a
Spark session) is built once. tests/perf's session-scoped ``docs`` (the reference pipeline's Doc
of every corpus note: minutes of work) is shared by several modules, so those modules form one
unit, collected first so that the longest unit starts first.

The grouping lives in a scheduler of our own because xdist's ``loadgroup`` renames node ids
through an attribute pytest 9.2 no longer reads, so its ``xdist_group`` marks group nothing.
"""

from __future__ import annotations

import pytest

SHARED_FIXTURE = "docs"
SHARED_UNIT = "corpus docs"
SHARED_MODULES = frozenset(
    {
        "tests/perf/test_context_equivalence.py",
        "tests/perf/test_note_view.py",
        "tests/perf/test_pipeline_equivalence.py",
    }
)
"""The modules whose tests use ``docs``; a test elsewhere that uses it stops the run (it would
build the Docs again on another worker)."""


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def work_unit(nodeid: str) -> str:
    """The unit xdist sends to one worker: the shared modules together, else the test's module."""
    module = module_of(nodeid)
    return SHARED_UNIT if module in SHARED_MODULES else module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    strays = sorted(
        {
            module_of(item.nodeid)
            for item in items
            if SHARED_FIXTURE in getattr(item, "fixturenames", ())
            and module_of(item.nodeid) not in SHARED_MODULES
        }
    )
    if strays:
        raise pytest.UsageError(f"add {', '.join(strays)} to SHARED_MODULES in tests/conftest.py")
    items.sort(key=lambda item: work_unit(item.nodeid) != SHARED_UNIT)  # (a stable sort)


class _SharedFixtureScheduling:
    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log):
        if config.getvalue("dist") != "loadscope":
            return None
        from xdist.scheduler import LoadScopeScheduling

        class Scheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                return work_unit(nodeid)

        return Scheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_SharedFixtureScheduling(), "facet-shared-fixture-scheduling")

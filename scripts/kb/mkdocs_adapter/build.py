"""Running ``mkdocs build`` in this process, for the commands that make a site of their own (``kb bundle``)."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError


class BuildFailed(Exception):
    """MkDocs refused the configuration or a plugin (the hook) stopped the build; the message says why."""


def build_for_disk(config_file: Path, site: Path, info: dict) -> None:
    """``mkdocs build`` of ``config_file`` into ``site`` with file URLs (``use_directory_urls: false``) and
    ``extra.kb.bundle = info``, which turns the offline mode on. Raises ``BuildFailed``."""
    cwd = os.getcwd()
    os.chdir(config_file.parent)  # relative paths in the config (hooks, custom_dir) are the project's
    try:
        config = load_config(str(config_file), site_dir=str(site), use_directory_urls=False)
        config.extra.setdefault("kb", {})
        config.extra["kb"] = {**(config.extra.get("kb") or {}), "bundle": info}
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (PluginError, ConfigurationError, Abort) as exc:
        raise BuildFailed(str(exc)) from None
    finally:
        os.chdir(cwd)

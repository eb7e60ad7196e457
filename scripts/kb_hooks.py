"""The MkDocs hook that mkdocs.yml names (``hooks: [scripts/kb_hooks.py]``): it puts ``scripts/`` on the path and
hands MkDocs the events of ``kb.mkdocs_adapter.hooks``, where the glue between MkDocs and the ``kb`` package
lives. A change of engine replaces that subpackage and this file.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kb.mkdocs_adapter.hooks import (  # noqa: E402
    on_startup,
    on_config,
    on_files,
    on_page_markdown,
    on_page_content,
    on_nav,
    on_env,
    on_serve,
    on_post_page,
    on_post_template,
    on_post_build,
    on_build_error,
    on_shutdown,
)

__all__ = ["on_startup", "on_config", "on_files", "on_page_markdown", "on_page_content", "on_nav", "on_env", "on_serve", "on_post_page", "on_post_template", "on_post_build", "on_build_error", "on_shutdown"]

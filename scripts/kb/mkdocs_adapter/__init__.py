"""The adapter for MkDocs 1.6 and Material 9: the only subpackage that imports ``mkdocs`` or ``material``.

Holds what exists only to drive them: Material's navigation drawn once per group of pages
(``navcache``), one Markdown conversion per page skeleton (``mdcache``), generated HTML kept out of
Python-Markdown (``rawblocks``), which plugins the project allows (``plugins``), the author's preview
under ``mkdocs serve`` (``preview``), and ``mkdocs build`` run in-process (``build``). The hook
``hooks`` wires MkDocs' events to these (``scripts/kb_hooks.py``, the file mkdocs.yml names, only hands them to MkDocs). A change of engine replaces this folder and the hook.

May use: every layer below it (``kb.records`` … ``kb.search``).
"""

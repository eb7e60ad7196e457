"""The site, independent of the engine that builds it: which records each edition shows (``edition``),
every generated page planned and rendered from the templates (``pages``), where each page lives and how
pages link (``urls``), the palettes (``palette``), the security headers and hashed inline scripts
(``security``) and the offline mode's files (``offline``). Writes Markdown and HTML as text; never
imports MkDocs or Material (``kb.mkdocs_adapter`` hands these pages to MkDocs).

May use: ``kb.records``, ``kb.law``, ``kb.counter``, ``kb.stats``, ``kb.render``, ``kb.clock``.
"""

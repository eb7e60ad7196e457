"""Knowledge base of solidified work prompts (工作提示) for government service centres.

Pipeline, one module per stage: ``load`` reads YAML keeping lines,
``schema`` + ``validate`` check every rule and collect problems, ``model``
turns a clean knowledge base into objects, ``edition`` decides who sees what,
``pages`` + ``render`` produce the generated site, ``search`` builds the
search index, ``report`` prints problems and ``cli`` is the ``kb`` command.
The MkDocs glue lives in ``kb.mkdocs_adapter`` (``hooks``); ``scripts/kb_hooks.py`` only hands MkDocs its events.
"""

"""Deployment: releases and the ``current`` symlink with rollback (``publish``), the nginx configuration
(``nginx``) and the copy that works opened from disk (``bundle``).

May use: ``kb.knowledge``, ``kb.site``, ``kb.render``, ``kb.mkdocs_adapter`` (``bundle`` builds in process);
``publish`` runs ``mkdocs build`` as a separate process.
"""

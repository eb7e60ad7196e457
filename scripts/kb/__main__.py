"""``python -m kb`` runs the same CLI as the ``kb`` console script."""

from .cli import main

main(prog_name="kb")

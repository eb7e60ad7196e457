"""Records: a class of matters as a YAML file, read, checked against the record contract and modelled.

Holds loading with line numbers (``load``), the schema and the controlled vocabularies (``schema``),
the rules no schema can say (``validate``), the model every other layer reads (``model``), problems
as ``file:line: field: message`` lines (``report``), the personal-data scanner (``privacy``) and
``kb new``'s draft (``scaffold``).

May use: ``kb.clock``, ``kb.render``. The bottom layer: it imports no other subpackage.
"""

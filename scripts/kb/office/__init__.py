"""The knowledge base in the documents a government office works with.

``kb export --format xlsx`` writes a workbook a clerk can edit (``xlsx_export``),
``kb import`` reads it back into records (``xlsx_import``, checked with the same
rules as ``kb check``, written by ``yaml_write``), and ``kb export --format docx``
writes each record as a work prompt in Word (``docx_export``). Which field sits
in which sheet and column is decided in one place, ``layout``, from the schema.
"""

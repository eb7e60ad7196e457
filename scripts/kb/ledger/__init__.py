"""The window's ledger (台账): from 一件事 to 一类事.

The fallback window registers every request in a spreadsheet it already keeps (an ``.xlsx``
with a sheet 台账, or a UTF-8 ``.csv``). This package reads it as untrusted input and names
every bad cell (``table``, ``check``), counts each case's reply-by and resolve-by days over the
official calendar (``discipline``), suggests the class of matters an unlinked case belongs to
with the site's own search ranking (``link``), sums it all up and groups the unlinked cases that
recur into candidates for new records (``report``, ``candidates``), writes the empty ledger with
drop-down lists (``template``), reads the project's settings (``project``: ``extra.kb.window``,
``extra.kb.ledgers``, ``extra.kb.ledger_totals``) and prepares what the internal site's
``cases/`` pages and the public edition's totals show (``site``: plain data, no MkDocs).

May use: ``kb.records`` (the model, the personal-data scanner, date rules), ``kb.counter`` (the
official calendar and the deadline rules), ``kb.site`` (the edition the search index is made
from, the config reader), ``kb.search`` (the index documents and the ranking), ``kb.office`` (the
workbook checks), ``kb.knowledge``, ``kb.clock``. Never MkDocs or Material.
"""

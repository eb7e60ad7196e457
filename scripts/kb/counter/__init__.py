"""At the counter: the official holiday calendar (``calendar``), the last day of a time limit
(``deadline``), the 一次性告知单 (``notice``), fitting a work-prompt card on one A4 sheet
(``cardfit``) and the card's version code (``cardversion``). Pure Python: the pages' scripts
compute the same answers from data these modules write.

May use: ``kb.records``, ``kb.law``, ``kb.clock``.
"""

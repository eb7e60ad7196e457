"""The law: the legal-source registry over time — revisions and which citations they touch (``revisions``),
a law's impact per article (``impact``) and the law's warnings (``advisories``: a source not verified,
a citation awaiting review after a revision).

May use: ``kb.records``, ``kb.clock``.
"""

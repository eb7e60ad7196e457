"""Search: the site's own index of weighted terms in shards (``index``), folding of 繁体 and variant
characters (``fold``), pinyin and initials (``pinyin``), the index computed on the second core while
the pages render (``background``), and Pagefind as a peer to measure against (``peer``).

May use: ``kb.records``, ``kb.site`` (the edition and its pages' text).
"""

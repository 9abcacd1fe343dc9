"""Proofreading (the PRF family): wrong words, outdated organ names, expressions not to be used,
impossible dates, doubled characters, punctuation and leaders' names, in every text a validator
extracted.

The lists are data (CSV in ``data/``, the office's own files on top); matching is one Aho–Corasick
automaton built once per set of lists.  May import ``hnsubmit.rules``, ``hnsubmit.policy``, the
foundations and ``hnsubmit.checks`` below the runners (the context, textscan's place names).
"""

"""All kinds of check over one text, with the lists built into automata once per set of lists."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from hnsubmit.checks.proofing import dates, doubled, punctuation
from hnsubmit.checks.proofing.hits import Hit
from hnsubmit.checks.proofing.leaders import LeaderChecker
from hnsubmit.checks.proofing.lists import BUILTIN_PREFIX, Lists, build_lists
from hnsubmit.policy.model import Policy


class Proofreader:
    def __init__(self, lists: Lists) -> None:
        from hnsubmit.checks.proofing.terms import TermChecker

        self.lists = lists
        self.terms = TermChecker(lists.terms)
        self.leaders = LeaderChecker(lists.leaders)

    def check(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        hits.extend(self.terms.check(text))
        hits.extend(dates.check(text))
        hits.extend(doubled.check(text))
        hits.extend(punctuation.check(text))
        hits.extend(self.leaders.check(text))
        seen: set[tuple[str, int]] = set()
        out = []
        for hit in sorted(hits, key=lambda h: (h.start, h.code)):
            if (hit.code, hit.start) not in seen:
                seen.add((hit.code, hit.start))
                out.append(hit)
        return out


def _stamp(spec: str) -> tuple[str, float, int]:
    if spec.startswith(BUILTIN_PREFIX):
        return (spec, 0.0, 0)
    try:
        st = os.stat(spec)
        return (spec, st.st_mtime, st.st_size)
    except OSError:
        return (spec, -1.0, -1)


@lru_cache(maxsize=8)
def _cached(stamps: tuple[tuple[str, float, int], ...], leaders: tuple[str, float, int] | None) -> Proofreader:
    return Proofreader(build_lists(tuple(s[0] for s in stamps), leaders[0] if leaders else ""))


def proofreader(term_specs: tuple[str, ...], leaders_spec: str = "") -> Proofreader:
    """The proofreader for these lists, built once (again only when a file changed)."""
    return _cached(tuple(_stamp(s) for s in term_specs), _stamp(leaders_spec) if leaders_spec else None)


def resolve(spec: str, policy_source: str) -> str:
    """A path in a policy file is relative to that file; builtin:NAME stays as it is."""
    if not spec or spec.startswith(BUILTIN_PREFIX) or Path(spec).is_absolute():
        return spec
    if policy_source and policy_source != "built-in" and Path(policy_source).exists():
        return str(Path(policy_source).resolve().parent / spec)
    return str(Path(spec).resolve())


def specs_of(policy: Policy) -> tuple[tuple[str, ...], str]:
    """The term lists and the leaders list a policy names, as paths to read."""
    section = policy.proofing
    if section.served:  # a server's policy with its lists cached beside it (hnsubmit.client.proofing_cache)
        return (str(Path(section.served) / "terms.csv"),), str(Path(section.served) / "leaders.csv")
    terms = tuple(resolve(s, policy.source) for s in section.terms)
    return terms, resolve(section.leaders, policy.source)


def for_policy(policy: Policy) -> Proofreader:
    terms, leaders = specs_of(policy)
    return proofreader(terms, leaders)


def with_lists(policy: Policy, terms: list[str] | tuple[str, ...] = (), leaders: str | None = None) -> Policy:
    """`policy` with the command line's lists on top (`check --terms F --leaders F`): term files are
    applied after the policy's, a leaders file replaces the policy's.  The lists are read here, so a
    bad file is a PolicyError (exit 3) before any file is checked."""
    if terms or leaders:
        policy = policy.model_copy(deep=True)
        base_terms, base_leaders = specs_of(policy)
        policy.proofing.served = ""
        policy.proofing.terms = [*base_terms, *(str(Path(t).resolve()) for t in terms)]
        policy.proofing.leaders = str(Path(leaders).resolve()) if leaders else base_leaders
    for_policy(policy)
    return policy

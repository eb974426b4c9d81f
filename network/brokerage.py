"""Brokerage roles of Gould and Fernandez: plain Python, no Django, no project app.

Gould, R. V. and Fernandez, R. M. (1989), "Structures of Mediation: A Formal Approach to
Brokerage in Transaction Networks", Sociological Methodology 19, 89–126.

No well-kept Python library implements them (networkx has none, python-igraph neither; the
reference implementation is R's `sna::brokerage`, Butts), so they are written here, with the
conventions of that reference:

- the graph is **directed**: a service provision is an arc provider → beneficiary; an
  information sharing or a collaboration (symmetric relations) is two arcs, one each way;
- a pair of actors tied by several relations is tied once (an arc exists or not: no weights);
  self-ties are ignored;
- B brokers on every **open two-path** A → B → C: A, B and C distinct, arcs A → B and B → C,
  and **no arc A → C** (the classical definition: a broker mediates between actors not tied
  directly; an arc C → A does not close the path). Each ordered pair (A, C) counts once;
- the role depends on the groups of A, B and C (a mapping actor → group key, given by the
  caller: the actor types, or the départements of the actors' territories):

  ==============  ===========================  ====================================
  role            groups                       Gould & Fernandez
  ==============  ===========================  ====================================
  coordinator     A, B, C in the same group    coordinator
  gatekeeper      A other; B and C the same    gatekeeper
  representative  A and B the same; C other    representative
  consultant      A and C the same; B other    itinerant (cosmopolitan) broker
  liaison         A, B, C in three groups      liaison
  ==============  ===========================  ====================================

- an actor without a group (None: no territory) brokers nothing and is brokered for by no one:
  the paths through or to it count in no role (its figures are zeros, as for an isolated actor
  or an actor with a single partner). Raw counts, not normalised (sna's `raw.nli`).

Cost: for each actor B, every in-neighbour A times every out-neighbour C, with a set membership
test for A → C: O(Σ in-degree × out-degree), about 1 s at 10,000 generated actors.
"""

from __future__ import annotations

from collections import defaultdict

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def arcs(relations, directed_types) -> dict[str, set[str]]:
    """Out-neighbours of each actor: relations (id, source, target, type) as arcs, one way for
    the `directed_types`, both ways for the others; several relations of a pair are one arc."""
    out = defaultdict(set)
    for _id, source, target, kind in relations:
        if source == target:
            continue
        out[source].add(target)
        if kind not in directed_types:
            out[target].add(source)
    return out


def role(group_a, group_b, group_c) -> str:
    """The role of B on A → B → C, from the three groups (none of them None)."""
    if group_a == group_b:
        return "coordinator" if group_b == group_c else "representative"
    if group_b == group_c:
        return "gatekeeper"
    return "consultant" if group_a == group_c else "liaison"


def open_two_paths(out: dict[str, set[str]]):
    """Every open two-path (A, B, C): arcs A → B → C, A ≠ C, no arc A → C."""
    into = defaultdict(set)
    for source, targets in out.items():
        for target in targets:
            into[target].add(source)
    for broker, sources in into.items():
        targets = out.get(broker)
        if not targets:
            continue
        for a in sources:
            reached = out[a]
            for c in targets:
                if c != a and c not in reached:
                    yield a, broker, c


def brokerage_roles(nodes, relations, groups: dict, directed_types=()) -> dict[str, dict]:
    """Per actor of `nodes`, the count of each role (`ROLES`, every key, 0 when none) among
    the open two-paths through it in the graph of the `relations` among `nodes`.

    `groups` maps an actor to its group key (None or absent: no group, see the module).
    """
    by_grouping = brokerage_by_grouping(nodes, relations, {"": groups}, directed_types)
    return {n: roles[""] for n, roles in by_grouping.items()}


def brokerage_by_grouping(
    nodes, relations, groupings: dict[str, dict], directed_types=()
) -> dict[str, dict[str, dict]]:
    """Per actor, its roles under each grouping: {actor: {grouping name: {role: count}}}.

    The open two-paths are found once and classified under every grouping.
    """
    nodes = set(nodes)
    result = {n: {name: dict.fromkeys(ROLES, 0) for name in groupings} for n in nodes}
    inside = [r for r in relations if r[1] in nodes and r[2] in nodes]
    for a, b, c in open_two_paths(arcs(inside, frozenset(directed_types))):
        for name, groups in groupings.items():
            group_a, group_b, group_c = groups.get(a), groups.get(b), groups.get(c)
            if group_a is None or group_b is None or group_c is None:
                continue
            result[b][name][role(group_a, group_b, group_c)] += 1
    return result


def strongest(roles_by_actor: dict, grouping: str, kind: str, count: int = 5) -> list:
    """The `count` actors with the highest `kind` under `grouping`: (slug, score), highest
    first, ties by slug; actors at 0 left out."""
    scored = [(slug, roles[grouping][kind]) for slug, roles in roles_by_actor.items()]
    scored = [item for item in scored if item[1] > 0]
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:count]

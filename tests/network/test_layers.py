"""The network's layers, one per relation type (network.layers), on the hand-made graph of
test_brokerage.py, with the values computed by hand."""

from network import graph, layers
from tests.network.test_brokerage import (
    COLLABORATION,
    INFORMATION,
    NODES,
    RELATION_TYPES,
    RELATIONS,
    SERVICE,
)

# Pairs per layer: information {a–b, c–d, b–d}; service {b–c, d–e}; collaboration {a–b, e–f}
# (e–f twice). On 7 actors, 21 possible pairs.


def test_degree_partners_and_betweenness_per_layer():
    by_layer = layers.layer_measures(NODES, RELATIONS, RELATION_TYPES)
    zero = dict.fromkeys(NODES, 0)
    info = by_layer[INFORMATION]
    assert info["degree"] == {**zero, "a": 1, "b": 2, "c": 1, "d": 2}
    assert info["partners"] == info["degree"]
    # The information layer is the path a – b – d – c: b lies between a and d, a and c; d
    # between a and c, b and c: 2 pairs each, normalised by (7 − 1)(7 − 2)/2 = 15 pairs.
    assert info["betweenness"] == {**zero, "b": round(2 / 15, 6), "d": round(2 / 15, 6)}
    assert info["density"] == round(3 / 21, 6)
    assert (info["edges"], info["relations"]) == (3, 3)
    service = by_layer[SERVICE]
    assert service["degree"] == {**zero, "b": 1, "c": 1, "d": 1, "e": 1}
    assert set(service["betweenness"].values()) == {0.0}  # two separate pairs
    collaboration = by_layer[COLLABORATION]
    # e–f collaborate twice: two relations, one partner.
    assert collaboration["degree"] == {**zero, "a": 1, "b": 1, "e": 2, "f": 2}
    assert collaboration["partners"] == {**zero, "a": 1, "b": 1, "e": 1, "f": 1}
    assert (collaboration["edges"], collaboration["relations"]) == (2, 3)
    assert collaboration["density"] == round(2 / 21, 6)
    # Each layer's degrees add up to the whole graph's degree by type.
    whole = graph.measure(NODES, RELATIONS, RELATION_TYPES)
    for kind in RELATION_TYPES:
        assert by_layer[kind]["degree"] == {n: whole.degree_by_type[n][kind] for n in NODES}
    assert layers.per_actor(by_layer, "e") == {
        INFORMATION: {"degree": 0, "partners": 0, "betweenness": 0.0},
        SERVICE: {"degree": 1, "partners": 1, "betweenness": 0.0},
        COLLABORATION: {"degree": 2, "partners": 1, "betweenness": 0.0},
    }


def test_the_overlap_of_the_layers():
    result = layers.overlap(NODES, RELATIONS, RELATION_TYPES)
    assert result["layers"] == [
        # No pair shares information and a service: 0 of the 5 pairs of either.
        {"types": [INFORMATION, SERVICE], "both": [], "count": 0, "jaccard": 0.0},
        # a–b share information and collaborate: 1 of {a–b, c–d, b–d, e–f}.
        {"types": [INFORMATION, COLLABORATION], "both": [["a", "b"]], "count": 1, "jaccard": 0.25},
        {"types": [SERVICE, COLLABORATION], "both": [], "count": 0, "jaccard": 0.0},
    ]
    assert result["multiplex"] == [{"pair": ["a", "b"], "types": [INFORMATION, COLLABORATION]}]
    assert result["multiplex_count"] == 1


def test_a_service_and_a_collaboration_either_way_are_the_same_pair():
    relations = [(1, "x", "y", SERVICE), (2, "y", "x", COLLABORATION), (3, "y", "z", SERVICE)]
    result = layers.overlap(["x", "y", "z"], relations, RELATION_TYPES)
    assert result["layers"][2] == {
        "types": [SERVICE, COLLABORATION],
        "both": [["x", "y"]],
        "count": 1,
        "jaccard": 0.5,
    }
    assert result["multiplex"] == [{"pair": ["x", "y"], "types": [SERVICE, COLLABORATION]}]
    # No relation at all: every Jaccard index is 0.
    empty = layers.overlap(["x"], [], RELATION_TYPES)
    assert [layer["jaccard"] for layer in empty["layers"]] == [0.0, 0.0, 0.0]
    assert empty["multiplex_count"] == 0

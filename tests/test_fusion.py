import pytest

from index.fusion import reciprocal_rank_fusion


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]], k=60)
    assert [item for item, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_weights_and_limit() -> None:
    fused = reciprocal_rank_fusion([["x", "y"], ["y", "x"]], weights=[3.0, 1.0], k=1, limit=1)
    assert fused == [("x", pytest.approx(3 / 2 + 1 / 3))]


def test_rrf_ties_are_deterministic_and_empty_lists_work() -> None:
    assert reciprocal_rank_fusion([["p"], ["q"]]) == [("p", pytest.approx(1 / 61)), ("q", pytest.approx(1 / 61))]
    assert reciprocal_rank_fusion([[], []]) == []


def test_rrf_rejects_mismatched_weights() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])

from hypothesis import given, strategies as st

from narrascope.model import OffsetMap


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=200))
def test_positions_round_trip(positions):
    m = OffsetMap.from_positions(positions)
    assert list(m.positions()) == positions
    assert [m.to_source(i) for i in range(len(positions))] == positions
    assert OffsetMap.from_json(m.to_json(), m.length) == m


def test_span_to_source_covers_the_span():
    m = OffsetMap.from_positions([10, 11, 12, 40, 41])
    assert m.span_to_source(0, 3) == (10, 13)
    assert m.span_to_source(3, 5) == (40, 42)
    assert m.span_to_source(2, 4) == (12, 41)


def test_compose_two_maps():
    outer = OffsetMap.from_positions([2, 3, 4])      # C -> B
    inner = OffsetMap.from_positions([0, 5, 6, 7, 9])  # B -> A
    assert list(outer.compose(inner).positions()) == [6, 7, 9]


def test_identity():
    m = OffsetMap.identity(5)
    assert [m.to_source(i) for i in range(5)] == [0, 1, 2, 3, 4]

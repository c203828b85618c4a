"""Continuity measures: hand-worked examples and properties."""

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wardtrack.continuity.measures import ContactPoint, measure

START = datetime(2026, 1, 1, tzinfo=UTC)
END = START + timedelta(days=90)


def contacts(professionals, start=START, step=timedelta(hours=5), profession="nurse"):
    return [ContactPoint(start + i * step, i + 1, p, profession) for i, p in enumerate(professionals)]


def test_worked_example():
    # A B A C A: n_A = 3, n_B = 1, n_C = 1, N = 5
    result = measure(contacts([1, 2, 1, 3, 1]), START, END)
    assert result.contacts == 5
    assert result.distinct_professionals == 3
    assert result.new_professionals == 3
    assert result.upc == 3 / 5
    assert result.coc == (9 + 1 + 1 - 5) / (5 * 4)
    assert result.secon == 0 / 4
    assert result.kpc == 2 / 5  # the 3rd and 5th contacts are with someone met before


def test_history_before_the_window_counts_for_kpc_and_new():
    history = contacts([1, 2], start=START - timedelta(days=200)) + contacts([1, 1, 3], start=START + timedelta(days=1))
    history = [ContactPoint(c.occurred_at, i + 1, c.professional_id, c.profession) for i, c in enumerate(history)]
    result = measure(history, START, END)
    assert result.contacts == 3
    assert result.new_professionals == 1  # professional 3 only
    assert result.kpc == 2 / 3
    assert result.secon == 1 / 2


def test_undefined_values_are_none():
    empty = measure([], START, END)
    assert (empty.contacts, empty.upc, empty.coc, empty.secon, empty.kpc) == (0, None, None, None, None)
    one = measure(contacts([7]), START, END)
    assert one.upc == 1.0 and one.kpc == 0.0 and one.coc is None and one.secon is None


def test_profession_filter_and_window_bounds():
    doctors = contacts([10, 11, 10], profession="psychiatrist", start=START + timedelta(days=2))
    nurses = contacts([1, 2], start=START + timedelta(days=3))
    late = [ContactPoint(END + timedelta(seconds=1), 99, 10, "psychiatrist")]
    history = [ContactPoint(c.occurred_at, i + 1, c.professional_id, c.profession)
               for i, c in enumerate(doctors + nurses + late)]
    result = measure(history, START, END, profession="psychiatrist")
    assert result.contacts == 3 and result.distinct_professionals == 2 and result.upc == 2 / 3


def test_ties_are_ordered_by_id():
    same_time = [ContactPoint(START, 2, 5, "nurse"), ContactPoint(START, 1, 6, "nurse"),
                 ContactPoint(START, 3, 6, "nurse")]
    assert measure(same_time, START, END).secon == 0.0  # by id: 6, 5, 6 (as given it would be 5, 6, 6)
    assert measure(same_time, START, END).kpc == 1 / 3


professional_lists = st.lists(st.integers(min_value=1, max_value=6), min_size=0, max_size=40)


@given(professional_lists)
def test_bounds(professionals):
    result = measure(contacts(professionals), START, END)
    for value in (result.upc, result.coc, result.secon, result.kpc):
        assert value is None or 0.0 <= value <= 1.0
    assert result.distinct_professionals <= result.contacts


@given(st.integers(min_value=1, max_value=6), st.integers(min_value=2, max_value=30))
def test_all_one_professional_is_full_continuity(professional, n):
    result = measure(contacts([professional] * n), START, END)
    assert result.upc == result.coc == result.secon == 1.0
    assert result.kpc == (n - 1) / n


@given(st.integers(min_value=2, max_value=40))
def test_all_different_professionals_is_zero(n):
    result = measure(contacts(list(range(1, n + 1))), START, END)
    assert result.coc == result.secon == result.kpc == 0.0
    assert result.new_professionals == n


@given(professional_lists, st.randoms(use_true_random=False))
def test_counts_upc_and_coc_do_not_depend_on_order(professionals, rnd: random.Random):
    shuffled = professionals[:]
    rnd.shuffle(shuffled)
    a, b = measure(contacts(professionals), START, END), measure(contacts(shuffled), START, END)
    assert (a.contacts, a.distinct_professionals, a.upc, a.coc, a.new_professionals) == (
        b.contacts, b.distinct_professionals, b.upc, b.coc, b.new_professionals)
    assert a.kpc == b.kpc  # known = contacts minus first meetings, whatever the order


@given(professional_lists, st.randoms(use_true_random=False))
def test_input_order_of_history_is_irrelevant(professionals, rnd: random.Random):
    history = contacts(professionals)
    shuffled = history[:]
    rnd.shuffle(shuffled)
    assert measure(history, START, END) == measure(shuffled, START, END)

"""An ensemble's parent reduces members as they arrive and lets each go: the quantiles are
still exactly those of all the members stacked in memory."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import numpy as np
import pytest

import caravana
from caravana.ensemble import events as events_module
from caravana.ensemble.members import MemberOutput, MemberTask, member_seeds, run_member
from caravana.ensemble.reduce import summarise
from caravana.ensemble.runner import reduce_members
from caravana.results import spool as spool_module
from caravana.results.declared import Declared, ResultArray, combine
from caravana.results.spool import Spool

DAYS, MEMBERS = 12, 5


@pytest.fixture(scope="module")
def corridor_outputs():
    scenario = caravana.load_scenario("corridor")
    seeds = member_seeds(3, MEMBERS)
    return scenario, seeds, [run_member(MemberTask(scenario, seed, DAYS)) for seed in seeds]


def test_spool_reads_back_what_was_put_and_reduces_block_by_block(monkeypatch):
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50, size=(7, 4, 5, 3))
    spool = Spool(7, (4, 5, 3), np.int64)
    for i, v in enumerate(values):
        spool.put(i, v)
    assert np.array_equal(np.asarray(spool), values)
    assert np.array_equal(spool[3], values[3]) and np.array_equal(spool[:, -1], values[:, -1])
    assert np.array_equal(spool[1:5:2, 2, :, 0], values[1:5:2, 2, :, 0]) and np.array_equal(spool[-1, 0], values[-1, 0])
    assert np.array_equal(spool[[6, 0]], values[[6, 0]])
    whole = spool.reduce(lambda b: summarise(b))
    monkeypatch.setattr(spool_module, "BLOCK_BYTES", 7 * 8 * 4)  # 4 cells a block: 15 blocks
    assert np.array_equal(spool.reduce(lambda b: summarise(b)), whole)
    assert np.array_equal(whole, summarise(values))
    with pytest.raises(ValueError, match="shape"):
        spool.put(0, values[0, :2])
    with pytest.raises(ValueError, match="never stored"):
        Spool(2, (3,), np.int64).reduce(summarise)


def test_streamed_quantiles_are_exactly_those_of_the_stacked_members(corridor_outputs, monkeypatch):
    scenario, seeds, outputs = corridor_outputs
    monkeypatch.setattr(spool_module, "BLOCK_BYTES", 4096)  # many blocks, as with thousands of members
    result = reduce_members(scenario, iter(outputs), 3, seeds)

    counts = np.stack([o.results.counts for o in outputs])
    assert np.array_equal(np.asarray(result.counts), counts)
    table = result.quantiles
    day = table["day"].to_numpy()
    place = table["place"].combine_chunks().indices.to_numpy()
    status = table["status"].combine_chunks().indices.to_numpy()
    expected = summarise(counts)[:, day, place, status]
    got = np.stack([table[c].to_numpy() for c in ("p5", "p25", "p50", "p75", "p95", "mean")])
    assert np.array_equal(got, expected)  # bit for bit
    assert len(day) == np.count_nonzero(counts.max(axis=0))  # every cell anyone counts, no other

    # Declared results: every cell, in C order; the caravans' NaN (before forming) skipped.
    needs = np.stack([o.arrays["needs"].values for o in outputs])
    assert np.array_equal(result.arrays["needs"][1]["p50"].to_numpy(), summarise(needs)[2].ravel())
    caravans = np.stack([o.arrays["caravans"].values for o in outputs])
    assert np.isnan(caravans).any() and not np.isnan(caravans).all()
    expected = summarise(caravans, skip_nan=True)[5].ravel()
    assert np.array_equal(result.arrays["caravans"][1]["mean"].to_numpy(), expected, equal_nan=True)
    origins = np.stack([o.arrays["caravan_origins"].values for o in outputs])
    assert np.array_equal(result.arrays["caravan_origins"][1]["p95"].to_numpy(), summarise(origins)[4].ravel())


def test_the_parent_lets_each_member_go_once_reduced(corridor_outputs):
    scenario, seeds, outputs = corridor_outputs
    alive: list[weakref.ref] = []

    def arriving():
        for o in outputs:
            copy = MemberOutput(**vars(o))  # a member only this stream holds
            alive.append(weakref.ref(copy))
            yield copy
            del copy
            gc.collect()
            # every member before the first and the one just handed over is gone already
            assert [r() is None for r in alive[1:-1]] == [True] * len(alive[1:-1])

    reduce_members(scenario, arriving(), 3, seeds)
    gc.collect()
    assert all(r() is None for r in alive)


@pytest.mark.parametrize("how", ["sum", "quantiles", "peak"])
def test_combining_as_members_arrive_equals_combining_them_stacked(how):
    rng = np.random.default_rng(1)
    spec = Declared("x", ("day", "place"), "int32", how)
    members = [ResultArray(spec, rng.integers(0, 1000, size=(6, 4)).astype(np.int32)) for _ in range(9)]
    stack = np.stack([m.values for m in members])
    table = combine(members, dt.date(2018, 10, 12), ("a", "b", "c", "d"))
    if how == "sum":
        assert np.array_equal(table["value"].to_numpy(), stack.sum(axis=0).ravel())
        assert table["value"].type == "int64"  # NumPy's promotion of an int32 sum
    elif how == "quantiles":
        assert np.array_equal(table["p75"].to_numpy(), np.percentile(stack.astype(float), 75, axis=0).ravel())
    else:
        assert np.array_equal(table["peak"].to_numpy(), stack.max(axis=1).ravel())


@pytest.mark.parametrize("small", [False, True])
def test_ensembles_keep_the_members_events_with_absent_rows_as_zero(corridor_outputs, monkeypatch, small):
    scenario, seeds, outputs = corridor_outputs
    if small:  # rows read back 50 at a time, cells reduced 3 at a time
        monkeypatch.setattr(events_module, "CHUNK_BYTES", 50 * events_module.ROW.itemsize)
        monkeypatch.setattr(events_module, "BLOCK_BYTES", 3 * 8 * MEMBERS)
    result = reduce_members(scenario, iter(outputs), 3, seeds)
    cells: dict[tuple, np.ndarray] = {}
    for m, o in enumerate(outputs):
        t = o.events
        for row in zip(*(t[c].to_pylist() for c in ("day", "place", "event", "cause", "count")), strict=True):
            cells.setdefault(row[:4], np.zeros(MEMBERS))[m] = row[4]
    assert len({k[2] for k in cells}) >= 5  # the corridor logs several kinds of event
    events = result.events
    keys = list(zip(*(events[c].to_pylist() for c in ("day", "place", "event", "cause")), strict=True))
    assert keys == sorted(cells, key=lambda k: (k[0], result.places.index(k[1]), k[2], k[3]))
    got = np.stack([events[c].to_numpy() for c in ("p5", "p25", "p50", "p75", "p95", "mean")], axis=1)
    expected = np.stack([summarise(cells[k][:, None])[:, 0] for k in keys])
    assert np.array_equal(got, expected)


def test_scratch_files_are_closed_when_their_owner_is_collected():
    # The command line shows every warning to users: an unclosed spool printed
    # "unclosed file <_io.BufferedRandom ...>" once per spool after each forecast.
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spool = Spool(3, (2,), np.int64)
        spool.put(0, np.array([1, 2]))
        reduction = events_module.EventReduction(3, ("a", "b"))
        del spool, reduction
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []

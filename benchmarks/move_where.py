"""Where the move by re-simulation's wall time goes (``forecast_speed.py --where``): the move's
workers (``forecast.shards``) timed instruction by instruction, without changing what they do.

A *round* is one instruction sent to every worker holding runs and their replies gathered (step,
move, amend, score, keep, finish, take, build). For each round: the parent's time from the first
send to the last reply, each worker's busy seconds on it (wall and CPU, which the worker reports
with its reply), the bytes shipped each way and the parent's pickling and unpickling time. A
*trial* (a sweep, or a pilot) is the rounds from ``Workers.hold`` to the last ``HeldRuns.take``.

Reported per trial and in total:

- busy: the sum over rounds of the busiest worker's seconds (the critical path);
- imbalance: the sum over rounds and workers of (busiest - this worker's) seconds: a worker waiting
  for the others at the round's end (worker-seconds; wall, and CPU, less disturbed by other processes);
- overhead: the rounds' spans less their busiest worker's seconds: pipes, pickling, waking up;
- parent serial: the trial's span less its rounds' spans: the parent's own work between rounds
  (the filter's bookkeeping, early rejection's decisions) while both workers wait;
- a background thread samples this process's and its descendants' CPU (``/proc``) every 0.2 s, and
  the whole machine's (``/proc/stat``): the cores this forecast kept busy inside and outside trials.

Linux only (``/proc``); the patches are installed for one forecast and removed after.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from multiprocessing.reduction import ForkingPickler

from forecast_2018 import cpu_seconds, descendants_cpu

from caravana.forecast import shards


def _machine_busy() -> float:
    """Seconds of CPU the whole machine spent not idle (all processes, all cores), from /proc/stat."""
    fields = open("/proc/stat").readline().split()[1:]
    ticks = [int(x) for x in fields]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / 100.0


class Where:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.rounds: list[dict] = []
        self.trials: list[dict] = []
        self.samples: list[tuple[float, float, float]] = []  # (t, our CPU, machine CPU)
        self._round: dict | None = None
        self._trial: dict | None = None
        self._stop = threading.Event()

    # ---------------------------------------------------------- the sampler
    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), cpu_seconds()[0] + descendants_cpu(), _machine_busy()))
            self._stop.wait(0.2)

    # ---------------------------------------------------------- the patches
    @contextmanager
    def installed(self):
        original = {name: getattr(shards.Workers, name) for name in ("send", "receive", "gather", "hold")}
        take = shards.HeldRuns.take
        where = self

        def send(workers, k, op, *args):
            t = time.perf_counter()
            if where._round is None:
                where._round = {"op": op, "start": t, "sent": 0, "send_s": 0.0, "received": 0, "recv_s": 0.0,
                                "runs": None}
            data = ForkingPickler.dumps((op, args))
            try:
                workers._conn(k).send_bytes(data)
            except OSError as error:
                raise shards.WorkerLost(k) from error
            where._round["sent"] += len(data)
            where._round["send_s"] += time.perf_counter() - t

        def receive(workers, k, add):
            try:
                data = workers._conn(k).recv_bytes()
            except (EOFError, OSError) as error:
                raise shards.WorkerLost(k) from error
            t = time.perf_counter()
            done, value, days, workers.busy[k] = ForkingPickler.loads(data)
            if where._round is not None:
                where._round["received"] += len(data)
                where._round["recv_s"] += time.perf_counter() - t
            if not done:
                raise value
            add(days)
            return value

        def gather(workers, count, add):
            workers.busy = {}
            try:
                return original["gather"](workers, count, add)
            finally:
                r, where._round = where._round, None
                if r is not None:
                    r["end"] = time.perf_counter()
                    r["busy"] = [workers.busy.get(k, (0.0, 0.0)) for k in range(count)]
                    r["trial"] = len(where.trials) if where._trial is not None else None
                    where.rounds.append(r)
                    if where._trial is not None:
                        where._trial["rounds"].append(r)

        def hold(workers, recipes, add, streams):
            where._trial = {"start": time.perf_counter(), "runs": len(recipes), "rounds": []}
            return original["hold"](workers, recipes, add, streams)

        def take_(held, indices):
            out = take(held, indices)
            if where._trial is not None:
                where._trial["end"] = time.perf_counter()
                where._trial["returned"] = len(indices)
                where.trials.append(where._trial)
                where._trial = None
            return out

        for name, fn in (("send", send), ("receive", receive), ("gather", gather), ("hold", hold)):
            setattr(shards.Workers, name, fn)
        shards.HeldRuns.take = take_
        sampler = threading.Thread(target=self._sample, daemon=True)
        sampler.start()
        try:
            yield self
        finally:
            self._stop.set()
            sampler.join()
            for name, fn in original.items():
                setattr(shards.Workers, name, fn)
            shards.HeldRuns.take = take

    # ---------------------------------------------------------- the report
    def _cpu_between(self, a: float, b: float) -> tuple[float, float]:
        """(our CPU, the machine's CPU) seconds between times a and b (interpolated samples)."""
        def at(t: float, i: int) -> float:
            s = self.samples
            if not s:
                return 0.0
            if t <= s[0][0]:
                return s[0][i]
            for (t0, *v0), (t1, *v1) in zip(s, s[1:]):
                if t0 <= t <= t1:
                    return v0[i - 1] + (v1[i - 1] - v0[i - 1]) * (t - t0) / max(t1 - t0, 1e-9)
            return s[-1][i]
        return at(b, 1) - at(a, 1), at(b, 2) - at(a, 2)

    @staticmethod
    def _sums(rounds: list[dict]) -> dict:
        out = defaultdict(float)
        for r in rounds:
            walls = [w for w, _ in r["busy"]]
            top = max(walls) if walls else 0.0
            out["span"] += r["end"] - r["start"]
            out["busy"] += top
            out["imbalance"] += sum(top - w for w in walls)
            cpus = [c for _, c in r["busy"]]
            out["imbalance_cpu"] += sum(max(cpus) - c for c in cpus) if cpus else 0.0
            out["overhead"] += (r["end"] - r["start"]) - top
            out["ship"] += r["send_s"] + r["recv_s"]
            out["sent"] += r["sent"]
            out["received"] += r["received"]
            out["rounds"] += 1
            for k, (w, _) in enumerate(r["busy"]):
                out[f"w{k}"] += w
        return out

    def report(self, wall: float, cores: int) -> list[str]:
        lines = ["", "where the move's wall time goes (--where; seconds; worker-seconds for imbalance):",
                 "  trial  runs back   gap  span  rounds   busy  imbal  overhd  parent  ship   MB out/in   worker busy  "
                 "our cores  machine"]
        total = defaultdict(float)
        previous = self.start
        for i, t in enumerate(self.trials):
            gap, previous = t["start"] - previous, t["end"]
            s = self._sums(t["rounds"])
            span = t["end"] - t["start"]
            ours, machine = self._cpu_between(t["start"], t["end"])
            parent = span - s["span"]
            lines.append(f"  {i:5d} {t['runs']:5d} {t['returned']:4d} {gap:5.2f} {span:5.2f} {int(s['rounds']):6d} {s['busy']:6.2f} "
                         f"{s['imbalance']:6.2f} {s['overhead']:6.2f} {parent:7.2f} {s['ship']:5.2f} "
                         f"{s['sent'] / 1e6:5.1f}/{s['received'] / 1e6:5.1f} "
                         f"{' '.join(f'{v:5.2f}' for k, v in sorted(s.items()) if k[0] == 'w' and k[1:].isdigit()):>16} "
                         f"{ours / span:9.2f} {machine / span:8.2f}")
            for key, value in s.items():
                total[key] += value
            total["trial_span"] += span
            total["parent"] += parent
            total["ours"] += ours
            total["machine"] += machine
            total["runs"] += t["runs"]
        by_op: dict[str, dict] = defaultdict(lambda: defaultdict(float))
        for r in self.rounds:
            s = self._sums([r])
            for key, value in s.items():
                by_op[r["op"]][key] += value
        outside = wall - total["trial_span"]
        first, last = (self.trials[0]["start"], self.trials[-1]["end"]) if self.trials else (self.start, self.start)
        ours_all, machine_all = self._cpu_between(self.start, self.start + wall)
        lines += [
            f"  all trials: {len(self.trials)} ({int(total['runs']):,} runs held), span {total['trial_span']:.1f} s of "
            f"{wall:.1f} s wall; busiest worker {total['busy']:.1f} s, imbalance {total['imbalance']:.1f} worker-s "
            f"(in CPU: {total['imbalance_cpu']:.1f}), "
            f"round overhead {total['overhead']:.1f} s (of which pickling {total['ship']:.1f} s; "
            f"{total['sent'] / 1e6:.0f} MB out, {total['received'] / 1e6:.0f} MB back), "
            f"parent serial {total['parent']:.1f} s",
            f"  first trial starts at {first - self.start:.1f} s, last ends at {last - self.start:.1f} s; "
            f"between them {last - first - total['trial_span']:.1f} s outside trials (the filter's own steps, "
            "resampling, proposals, in this process)",
            f"  cores this forecast kept busy: inside trials {total['ours'] / max(total['trial_span'], 1e-9):.2f}, "
            f"outside {(ours_all - total['ours']) / max(outside, 1e-9):.2f}, whole forecast "
            f"{ours_all / wall:.2f} of {cores}; the machine (everyone) {machine_all / wall:.2f}",
            "  by instruction: rounds, span, busiest worker, imbalance (worker-s), overhead, MB out:",
        ]
        for op, s in sorted(by_op.items(), key=lambda kv: -kv[1]["span"]):
            lines.append(f"    {op:7s} {int(s['rounds']):6d} {s['span']:7.2f} {s['busy']:7.2f} {s['imbalance']:7.2f} "
                         f"{s['overhead']:7.2f} {s['sent'] / 1e6:7.1f}")
        return lines

"""Warm-up, then timed steps; prints the one JSON line bench/run.sh collects (the Python twin of Timing.cs)."""
import json
import resource
import time

import torch


def run(step, warmup, steps, device, **record):
    def sync():
        # CUDA runs asynchronously: a step is timed up to the end of its last kernel
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(warmup):
        step()
    sync()
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"impl": "pytorch", **record, "device": str(device), "threads": torch.get_num_threads(),
                      "median_s": round(times[len(times) // 2], 4), "min_s": round(times[0], 4), "steps": steps,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "torch": torch.__version__}))

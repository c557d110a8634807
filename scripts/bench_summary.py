#!/usr/bin/env python3
"""Compact summary of a snorm-bench JSON file (Google Benchmark format).

Usage: scripts/bench_summary.py RESULTS.json

Benchmark names are family/layout/implementation/size. For every
(family, layout, shape) one row: the GB/s of each implementation (medians
over the repetitions when there are several), the best native ISA, its
fraction of the memory roofline measured in the same run, its speed-up over
the naive scalar loop and its ratio to oneDNN (> 1: simdnorm faster).
Then the size sweep: GB/s and roofline fraction per size.
"""
import json
import statistics
import sys
from collections import OrderedDict

ISAS = ["scalar", "sse41", "avx2", "avx512", "neon"]


def load(path):
    """Returns (context, rows, spread): rows maps run_name to the median
    (or the single run) of GB/s and roofline fraction; spread maps run_name
    to (max - min) / median of GB/s over its repetitions."""
    with open(path) as f:
        data = json.load(f)
    rows = OrderedDict()
    reps = {}
    for b in data.get("benchmarks", []):
        name = b["run_name"]
        if b.get("error_occurred"):
            rows.setdefault(name, {"error": b.get("error_message", "error")})
            continue
        agg = b.get("aggregate_name")
        if b.get("run_type") == "aggregate" and agg != "median":
            continue
        if b.get("run_type") != "aggregate":
            reps.setdefault(name, []).append(b.get("bytes_per_second", 0.0))
        # A median beats the single repetitions it summarizes.
        if agg != "median" and name in rows and rows[name].get("median"):
            continue
        rows[name] = {
            "gbps": b.get("bytes_per_second", 0.0) / 1e9,
            "roof": b.get("roof"),
            "median": agg == "median",
            "label": b.get("label", ""),
        }
    spread = {n: (max(v) - min(v)) / statistics.median(v)
              for n, v in reps.items() if len(v) > 1 and statistics.median(v) > 0}
    return data.get("context", {}), rows, spread


def noise_line(spread, out):
    if not spread:
        out.append("Single repetition: no run-to-run noise measured.")
        return
    v = sorted(spread.values())
    p90 = v[min(len(v) - 1, int(0.9 * len(v)))]
    out.append("Run-to-run noise, (max - min) / median of GB/s over the repetitions: "
               "median {:.1f}%, 90th percentile {:.1f}% ({} benchmarks)".format(
                   100 * statistics.median(v), 100 * p90, len(v)))


def fmt(v, spec="{:6.1f}", width=6):
    return spec.format(v) if v is not None else "-".rjust(width)


def split(name):
    parts = name.split("/")
    return parts if len(parts) == 4 else None


def shape_table(rows, out):
    table = OrderedDict()  # (family, layout, shape) -> {impl: row}
    roofs = {}
    for name, r in rows.items():
        p = split(name)
        if not p or p[0].startswith(("sweep.", "overhead.")):
            continue
        fam, layout, impl, size = p
        if impl == "roofline":
            roofs[(fam, size)] = r
            continue
        table.setdefault((fam, layout, size), {})[impl] = r
    # Family-major order (the run is shape-major): one block per kernel.
    fam_order = {k[0]: n for n, k in reversed(list(enumerate(table)))}
    shape_order = {k[2]: n for n, k in reversed(list(enumerate(table)))}
    table = OrderedDict(sorted(table.items(), key=lambda kv: (
        fam_order[kv[0][0]], shape_order[kv[0][2]], kv[0][1])))
    isas = [i for i in ISAS if any(i in v for v in table.values())]
    head = "{:<25} {:<4} {:<14}".format("kernel", "lay", "shape")
    head += "".join(" {:>6}".format(i) for i in isas + ["naive"])
    head += "  {:<6} {:>5} {:>6} {:>6}".format("best", "roof", "xnaive", "xdnnl")
    out.append("GB/s (medians); roof = best ISA / memory roofline in this run;")
    out.append("xnaive = best ISA / naive scalar loop; xdnnl = best ISA / fastest oneDNN row (>1: simdnorm faster)")
    out.append(head)
    out.append("-" * len(head))
    last_fam = None
    for (fam, layout, size), impls in table.items():
        if last_fam is not None and fam != last_fam:
            out.append("")
        last_fam = fam
        native = {i: impls[i] for i in isas if i in impls and "gbps" in impls[i]}
        best = max(native, key=lambda i: native[i]["gbps"]) if native else None
        line = "{:<25} {:<4} {:<14}".format(fam, layout, size)
        for i in isas + ["naive"]:
            r = impls.get(i)
            line += " " + (fmt(r["gbps"]) if r and "gbps" in r else "     -")
        b = native.get(best)
        roof = "{:4.0f}%".format(100 * b["roof"]) if b and b.get("roof") else "    -"
        naive = impls.get("naive")
        xn = b["gbps"] / naive["gbps"] if b and naive and naive.get("gbps") else None
        # oneDNN: the fastest of its rows (moments has two imperfect peers).
        dn = max((r["gbps"] for i, r in impls.items() if i.startswith("onednn") and r.get("gbps")),
                 default=None)
        xd = b["gbps"] / dn if b and dn else None
        line += "  {:<6} {:>5} {:>6} {:>6}".format(best or "-", roof, fmt(xn, "{:6.1f}"),
                                                   fmt(xd, "{:6.2f}"))
        out.append(line)
    if roofs:
        out.append("")
        out.append("Rooflines per shape, GB/s (memcpy: read + write; readsum: read only;")
        out.append("copy loop: the plain vector copy loop, the loop a kernel that computes can")
        out.append("match, and its speed ÷ memcpy's: under 1 where memcpy's rep movsb wins):")
        shapes = OrderedDict((s, None) for (f, s) in roofs)
        for s in shapes:
            cp, rd = roofs.get(("memcpy", s), {}), roofs.get(("readsum", s), {})
            lp = roofs.get(("copyloop", s), {})
            loop = fmt(lp.get("gbps"))
            if lp.get("gbps") and cp.get("gbps"):
                loop += " ({:.2f})".format(lp["gbps"] / cp["gbps"])
            out.append("  {:<14} memcpy {:>6} readsum {:>6} copy loop {}".format(
                s, fmt(cp.get("gbps")), fmt(rd.get("gbps")), loop))


def sweep_table(rows, out):
    sweep = OrderedDict()  # size -> {key: row}
    for name, r in rows.items():
        p = split(name)
        if not p or not p[0].startswith("sweep.") or "gbps" not in r:
            continue
        fam, layout, impl, size = p
        key = fam[6:] if impl == "roofline" else "{}/{}".format(fam[6:], layout)
        sweep.setdefault(size, {})[key] = r
    if not sweep:
        return
    cols = ["scale_shift/nchw", "scale_shift/nhwc", "memcpy", "moments/nchw", "moments/nhwc",
            "readsum"]
    out.append("")
    out.append("Size sweep (best ISA; x bytes; GB/s, roofline fraction in parentheses):")
    out.append("{:>8}".format("size") + "".join(" {:>18}".format(c) for c in cols))
    for size, r in sweep.items():
        line = "{:>8}".format(size)
        for c in cols:
            v = r.get(c)
            if v is None:
                line += " {:>18}".format("-")
            elif v.get("roof") and c not in ("memcpy", "readsum"):
                line += " {:>18}".format("{:.1f} ({:.0f}%)".format(v["gbps"], 100 * v["roof"]))
            else:
                line += " {:>18}".format("{:.1f}".format(v["gbps"]))
        out.append(line)


def overhead_line(rows, out):
    r = {split(n)[2]: v for n, v in rows.items()
         if n.startswith("overhead.") and split(n) and "gbps" in v}
    if "dispatched" in r and "isa_entry" in r:
        # 1x3x7x7: 147 elements, 8 bytes each.
        ns = {k: 147 * 8 / (v["gbps"] * 1e9) * 1e9 for k, v in r.items()}
        out.append("")
        out.append("Per-call time, scale_shift 1x3x7x7: dispatched entry {:.0f} ns, "
                   "snorm_scale_shift_isa {:.0f} ns".format(ns["dispatched"], ns["isa_entry"]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ctx, rows, spread = load(sys.argv[1])
    out = []
    out.append("snorm-bench summary: {} ({} CPUs, {} MHz); native ISAs: {}; best: {}".format(
        ctx.get("cpu_model", "?"), ctx.get("num_cpus", "?"), ctx.get("mhz_per_cpu", "?"),
        ctx.get("snorm_native_isas", "?"), ctx.get("snorm_best_isa", "?")))
    out.append("single thread, pinned CPU: {}; oneDNN {} threads {}; read roofline: {}".format(
        ctx.get("snorm_pinned_cpu", "?"), ctx.get("onednn_version", "?"),
        ctx.get("onednn_threads", "-"), ctx.get("snorm_readsum_path", "?")))
    noise_line(spread, out)
    dirty = ctx.get("snorm_dirty_upper_state")
    if dirty and dirty != "none":
        out.append("WARNING: these kernels return with dirty upper vector state (no vzeroupper), "
                   "which slows the caller's SSE code: " + dirty)
    # A roofline is an upper bound: rows far above it point at a roofline to fix.
    over = ["{} ({:.0f}%)".format(n, 100 * r["roof"]) for n, r in rows.items()
            if r.get("roof") and r["roof"] > 1.10 and "roofline" not in n]
    if over:
        out.append("Above the roofline by more than 10% (check the roofline): " + ", ".join(over))
    errors = [n for n, r in rows.items() if "error" in r]
    shape_table(rows, out)
    sweep_table(rows, out)
    overhead_line(rows, out)
    if errors:
        out.append("")
        out.append("Skipped with an error: " + ", ".join(
            "{} ({})".format(n, rows[n]["error"]) for n in errors))
    print("\n".join(out))


if __name__ == "__main__":
    main()

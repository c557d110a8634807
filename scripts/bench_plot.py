#!/usr/bin/env python3
"""PNG charts of a snorm-bench JSON file with gnuplot.

Usage: scripts/bench_plot.py RESULTS.json OUTDIR

Writes OUTDIR/bench-shapes.png (GB/s per implementation for every kernel
family × layout on the shape set, the memory roofline as a black bar) and
OUTDIR/bench-sweep.png (scale_shift and moments from 4 KiB to 256 MiB with
the roofline and the cache sizes), each titled with the CPU.
"""
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_summary import load, split  # noqa: E402

IMPLS = ["scalar", "sse41", "avx2", "avx512", "neon", "naive", "onednn"]
COLORS = {"scalar": "#9e9e9e", "sse41": "#8fb8de", "avx2": "#3a7dc9", "avx512": "#0b3d91",
          "neon": "#2e8b57", "naive": "#e08a3c", "onednn": "#c0392b"}


def shapes_data(rows):
    """(family, layout) -> OrderedDict(shape -> {impl: GB/s, "roof": GB/s})."""
    panels = OrderedDict()
    for name, r in rows.items():
        p = split(name)
        if not p or "." in p[0] or p[2] == "roofline" or "gbps" not in r:
            continue
        fam, layout, impl, shape = p
        cell = panels.setdefault((fam, layout), OrderedDict()).setdefault(shape, {})
        if impl.startswith("onednn"):
            impl = "onednn"  # the fastest oneDNN peer
        cell[impl] = max(cell.get(impl, 0.0), r["gbps"])
        if r.get("roof") and not impl.startswith(("naive", "onednn")):
            cell["roof"] = r["gbps"] / r["roof"]  # the roofline this row was measured against
    return panels


def write_shapes(rows, ctx, tmp, out_png):
    panels = shapes_data(rows)
    impls = [i for i in IMPLS if any(i in c for p in panels.values() for c in p.values())]
    gp = []
    n = len(panels)
    cols = 4
    nrows = (n + cols - 1) // cols
    gp.append("set terminal pngcairo size 2400,{} font 'sans,10'".format(520 * nrows + 60))
    gp.append("set output '{}'".format(out_png))
    gp.append("set termoption noenhanced")
    gp.append("set datafile missing '-'")
    gp.append("set style data histograms")
    gp.append("set style histogram clustered gap 1")
    gp.append("set style fill solid 0.9 border -1")
    gp.append("set boxwidth 0.9")
    gp.append("set logscale y 10")
    gp.append("set yrange [0.5:*]")
    gp.append("set ytics (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)")
    gp.append("set grid ytics lc rgb '#dddddd'")
    gp.append("set xtics rotate by 35 right font ',9'")
    gp.append("set ylabel 'GB/s'")
    # One legend for all panels, under the title (drawn with the first panel;
    # keyentry lists the implementations that panel lacks).
    gp.append("set key at screen 0.5,0.965 center top horizontal font ',11' samplen 2 width 1")
    gp.append("set multiplot layout {},{} margins 0.04,0.99,0.05,0.92 spacing 0.035,0.09 "
              "title \"simdnorm kernels, one thread, {} - GB/s "
              "(log scale; black bar: memory roofline measured in the same run)\" "
              "font ',14'".format(nrows, cols, ctx.get("cpu_model", "unknown CPU")))
    for k, ((fam, layout), cells) in enumerate(panels.items()):
        path = os.path.join(tmp, "shapes{}.dat".format(k))
        with open(path, "w") as f:
            for shape, c in cells.items():
                vals = [c.get(i) for i in impls] + [c.get("roof")]
                f.write(shape + " " + " ".join("-" if v is None else "{:.3f}".format(v)
                                               for v in vals) + "\n")
        gp.append("set title '{} {}'".format(fam, layout.upper()))
        plots = []
        for j, impl in enumerate(impls):
            if any(impl in c for c in cells.values()):
                plots.append("'{}' using {}:xtic(1) title '{}' lc rgb '{}'".format(
                    path, j + 2, impl if k == 0 else "", COLORS[impl]))
            elif k == 0:
                plots.append("keyentry with boxes fs solid 0.9 border -1 lc rgb '{}' "
                             "title '{}'".format(COLORS[impl], impl))
        plots.append("'{}' using 0:{}:(0.45) with xerrorbars pt -1 lw 2.5 lc rgb 'black' "
                     "title '{}'".format(path, len(impls) + 2, "roofline" if k == 0 else ""))
        gp.append("plot " + ", \\\n  ".join(plots))
    gp.append("unset multiplot")
    return "\n".join(gp)


def size_bytes(label):
    num = int(label[:-3])
    return num << (20 if label.endswith("MiB") else 10)


def write_sweep(rows, ctx, tmp, out_png):
    series = OrderedDict()  # key -> [(bytes, GB/s)]
    for name, r in rows.items():
        p = split(name)
        if not p or not p[0].startswith("sweep.") or "gbps" not in r:
            continue
        fam, layout, impl, size = p
        fam = fam[len("sweep."):]
        b = size_bytes(size)
        if impl == "roofline":
            series.setdefault(fam, []).append((b, r["gbps"]))
            continue
        series.setdefault("{} {} ({})".format(fam, layout.upper(), impl), []).append(
            (b, r["gbps"]))
        if r.get("roof") and layout == "nchw":
            roof = "copy roofline" if fam == "scale_shift" else "read roofline"
            series.setdefault(roof, []).append((b, r["gbps"] / r["roof"]))
    files = {}
    for k, (key, pts) in enumerate(series.items()):
        path = os.path.join(tmp, "sweep{}.dat".format(k))
        with open(path, "w") as f:
            for b, v in sorted(pts):
                f.write("{} {:.3f}\n".format(b, v))
        files[key] = path
    gp = ["set terminal pngcairo size 1800,700 font 'sans,11'",
          "set output '{}'".format(out_png),
          "set termoption noenhanced",
          "set logscale x 2", "set xrange [3000:400e6]",
          "set xtics ('4K' 4096, '16K' 16384, '64K' 65536, '256K' 262144, '1M' 1048576, "
          "'4M' 4194304, '16M' 16777216, '64M' 67108864, '256M' 268435456)",
          "set xlabel 'size of x (bytes); scale_shift also writes as many to y'",
          "set ylabel 'GB/s'", "set yrange [0:*]", "set grid lc rgb '#dddddd'",
          "set key top right"]
    for cache in ctx.get("caches", []):
        if cache.get("type") == "Instruction":
            continue
        size = cache["size"]
        label = "L{} {}".format(cache["level"], "{}K".format(size >> 10) if size < (1 << 20)
                                 else "{}M".format(size >> 20))
        gp.append("set arrow from {0},graph 0 to {0},graph 1 nohead dt 3 lc rgb '#888888'".format(
            size))
        gp.append("set label '{}' at {},graph 0.03 left offset 0.3,0 textcolor rgb '#555555'"
                  .format(label, size))
    gp.append("set multiplot layout 1,2 title \"Size sweep, best ISA, one thread, {}\" "
              "font ',14'".format(ctx.get("cpu_model", "unknown CPU")))
    styles = {"NCHW": "lw 2.5 pt 7", "NHWC": "lw 2.5 pt 9", "roofline": "lw 2 dt 2 pt -1 lc rgb 'black'",
              "memcpy": "lw 1.5 dt 4 pt 1 lc rgb '#777777'", "readsum": "lw 1.5 dt 4 pt 1 lc rgb '#777777'"}

    def style(key):
        for k, v in styles.items():
            if k in key:
                return v
        return "lw 2"

    for fam, roof, extra in (("scale_shift", "copy roofline", "memcpy"),
                             ("moments", "read roofline", "readsum")):
        gp.append("set title '{}'".format(fam))
        plots = []
        for key, path in files.items():
            if key.startswith(fam + " ") or key in (roof, extra):
                title = key if key != extra else key + " (C library)" if key == "memcpy" else key
                plots.append("'{}' using 1:2 with linespoints {} title '{}'".format(
                    path, style(key), title))
        gp.append("plot " + ", \\\n  ".join(plots))
    gp.append("unset multiplot")
    return "\n".join(gp)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ctx, rows, _ = load(sys.argv[1])
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("bench-shapes.png", write_shapes), ("bench-sweep.png", write_sweep)):
            out = os.path.join(outdir, name)
            script = make(rows, ctx, tmp, out)
            gp_path = os.path.join(tmp, name + ".gp")
            with open(gp_path, "w") as f:
                f.write(script + "\n")
            subprocess.run(["gnuplot", gp_path], check=True)
            print("wrote " + out)


if __name__ == "__main__":
    main()

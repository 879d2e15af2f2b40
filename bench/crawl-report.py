#!/usr/bin/env python3
"""Figures for the crawl-* benchmarks, from /usr/bin/time output files
("wall user sys maxrss_kb") and the simulator's /stats JSON.

    crawl-report.py p1 DELAY NAME=TIMEFILE,STATSFILE ...
    crawl-report.py p2 NAME=TIMEFILE,STATSFILE ...
"""
import json
import sys


def load(spec):
    name, files = spec.split("=", 1)
    tfile, sfile = files.split(",")
    with open(tfile) as f:
        wall, user, sys_, rss = f.read().split()[-4:]
    with open(sfile) as f:
        stats = json.load(f)
    return name, float(wall), float(user) + float(sys_), int(rss) / 1024, stats


def main():
    kind = sys.argv[1]
    if kind == "p1":
        delay = float(sys.argv[2])
        specs = sys.argv[3:]
    else:
        delay = 0
        specs = sys.argv[2:]
    for spec in specs:
        name, wall, cpu, rss, stats = load(spec)
        reqs = [h["requests"] for h in stats]
        total = sum(reqs)
        ok = sum(h["by_status"].get("200", 0) for h in stats)
        print(f"{name}: {total} requests ({ok} answered 200) to {len(stats)} hosts in {wall:.1f} s wall, "
              f"{cpu:.1f} CPU s, peak RSS {rss:.0f} MB")
        if kind == "p1":
            bound = max(reqs) * delay
            gaps = [h["min_gap"] / 1e9 for h in stats if h["min_gap"] >= 0]
            early = sum(1 for g in gaps if g < delay)
            print(f"  P1 makespan {wall:.1f} s / politeness bound {bound:.1f} s "
                  f"(max {max(reqs)} requests to a host × {delay:g} s) = {wall / bound:.2f}")
            print(f"  smallest gap between two requests to one host: {min(gaps):.3f} s; "
                  f"hosts with a gap under the delay: {early} of {len(gaps)}")
        else:
            print(f"  P2 {ok / wall:.0f} pages/s ({total / wall:.0f} requests/s), "
                  f"{cpu / max(ok, 1) * 1e3:.2f} ms CPU per page")


if __name__ == "__main__":
    main()

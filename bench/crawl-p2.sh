#!/usr/bin/env bash
# P2: unthrottled pages/s with WARC writing, nianbao beside wget; P6: the
# crawler's peak RSS over the same 105,000-page crawl.
#
# Serves the simulator's bench portals (1,000 hosts × 105 pages of 20 KB),
# crawls them with no delay with nianbao's crawler (bench/crawl-bench,
# WARC written, gzip per record) and with `wget --recursive --warc-file`
# (the same report column, robots.txt obeyed), and prints pages/s and CPU
# seconds for both (goal >= 3,000 pages/s on 2 cores shared with the
# simulator), then nianbao's peak RSS and its RSS at each tenth of the
# crawl (P6: flat, goal <= 256 MB).
#
#   bench/crawl-p2.sh                  CONCURRENCY=64, SKIP_WGET=1 to skip wget
# Needs: go, curl, wget, /usr/bin/time.
source "$(dirname "$0")/crawl-lib.sh"
CONCURRENCY=${CONCURRENCY:-64}
start_sim --profile bench

reset_stats
c0=$(sim_cpu)
timed "$WORK/nianbao.time" "$BIN/crawl-bench" --sources "$WORK/sources.yaml" --concurrency "$CONCURRENCY" \
	--archive "$WORK/nianbao-warc" --expect 105000 >"$WORK/nianbao.json"
stats "$WORK/nianbao-stats.json"
sim_nianbao=$(awk -v a="$c0" -v b="$(sim_cpu)" 'BEGIN {printf "%.1f", b - a}')
specs=("nianbao=$WORK/nianbao.time,$WORK/nianbao-stats.json")

if [[ -z ${SKIP_WGET:-} ]]; then
	grep -oE 'https?://[^ ]+' "$WORK/sources.yaml" >"$WORK/starts.txt"
	reset_stats
	c0=$(sim_cpu)
	mkdir -p "$WORK/wget"
	# wget exits non-zero when any page failed; the figures still stand.
	timed "$WORK/wget.time" wget --recursive --level=inf --no-verbose --no-directories --delete-after \
		--accept-regex '/zwgk/zfxxgknb/|robots\.txt' --warc-file="$WORK/wget/crawl" \
		-P "$WORK/wget" -i "$WORK/starts.txt" -o "$WORK/wget.log" || true
	stats "$WORK/wget-stats.json"
	sim_wget=$(awk -v a="$c0" -v b="$(sim_cpu)" 'BEGIN {printf "%.1f", b - a}')
	specs+=("wget=$WORK/wget.time,$WORK/wget-stats.json")
fi

python3 "$ROOT/bench/crawl-report.py" p2 "${specs[@]}"
echo "simulator CPU seconds: ${sim_nianbao} during the nianbao crawl${sim_wget:+, $sim_wget during the wget crawl}"
python3 - "$WORK/nianbao.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"P6 nianbao crawler: peak RSS {r['peak_rss_mb']:.0f} MB over {r['pages']} pages; RSS at each tenth: "
      + ", ".join(f"{s['mb']:.0f}" for s in r["rss_mb"]) + " MB")
PY
echo "(work files in $WORK)"

#!/usr/bin/env bash
# P1: polite makespan on 1,000 simulated hosts, nianbao beside Scrapy.
#
# Serves the simulator's bench portals (1,000 hosts; with the flags below 10
# reports on 2 list pages each, so 13 requests a host with robots.txt),
# crawls them with nianbao's crawler (bench/crawl-bench: Colly and the
# crawler's transport and frontier, WARC written) and then with Scrapy
# (bench/crawl-scrapy-spider.py: the same pages, one request per host at a
# time, the same fixed delay), and prints for each the makespan over the
# politeness lower bound (the most requests to one host × the delay; goal
# <= 1.10), the smallest gap the simulator saw between two requests to one
# host (it must not be under the delay), and CPU seconds.
#
#   bench/crawl-p1.sh                  DELAY=1 (seconds), CONCURRENCY=64, SKIP_SCRAPY=1
# Needs: go, curl, /usr/bin/time, python3-scrapy (apt-get install python3-scrapy).
source "$(dirname "$0")/crawl-lib.sh"
DELAY=${DELAY:-1}
CONCURRENCY=${CONCURRENCY:-64}
start_sim --profile bench --departments 1 --first-year 2019 --last-year 2023 --page-size 5

reset_stats
timed "$WORK/nianbao.time" "$BIN/crawl-bench" --sources "$WORK/sources.yaml" --delay "${DELAY}s" \
	--concurrency "$CONCURRENCY" --archive "$WORK/nianbao-warc" >"$WORK/nianbao.json"
stats "$WORK/nianbao-stats.json"

specs=("nianbao=$WORK/nianbao.time,$WORK/nianbao-stats.json")

if [[ -z ${SKIP_SCRAPY:-} ]]; then
	reset_stats
	timed "$WORK/scrapy.time" scrapy runspider "$ROOT/bench/crawl-scrapy-spider.py" -a sources="$WORK/sources.yaml" \
		-s DOWNLOAD_DELAY="$DELAY" -s CONCURRENT_REQUESTS="$CONCURRENCY" -s LOG_FILE="$WORK/scrapy.log"
	stats "$WORK/scrapy-stats.json"
	specs+=("scrapy=$WORK/scrapy.time,$WORK/scrapy-stats.json")
fi

python3 "$ROOT/bench/crawl-report.py" p1 "$DELAY" "${specs[@]}"
echo "(work files in $WORK)"

# Shared by the crawl-* benchmark scripts: build, start and stop the
# simulator, read its statistics. Source it; it sets $BIN and $WORK.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$ROOT/bin
WORK=${WORK:-$(mktemp -d /tmp/nianbao-bench.XXXXXX)}
ADMIN=${ADMIN:-127.0.0.1:9099}
mkdir -p "$BIN" "$WORK"
(cd "$ROOT" && go build -o "$BIN/nianbao" ./cmd/nianbao && go build -o "$BIN/crawl-bench" ./bench/crawl-bench)

SIM_PID=
# start_sim ARGS...: serve simulated portals until stop_sim; writes
# $WORK/sources.yaml.
start_sim() {
	if curl -sf "http://$ADMIN/generation" >/dev/null 2>&1; then
		echo "a simulator already answers on $ADMIN; stop it first" >&2
		return 1
	fi
	rm -f "$WORK/sources.yaml"
	"$BIN/nianbao" simulate --admin "$ADMIN" --sources-out "$WORK/sources.yaml" "$@" >"$WORK/simulator.log" 2>&1 &
	SIM_PID=$!
	for _ in $(seq 1 120); do
		kill -0 "$SIM_PID" 2>/dev/null || break
		[[ -s $WORK/sources.yaml ]] && curl -sf "http://$ADMIN/generation" >/dev/null && return 0
		sleep 0.5
	done
	echo "simulator did not start; see $WORK/simulator.log" >&2
	return 1
}
stop_sim() { [[ -n $SIM_PID ]] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true; SIM_PID=; }
trap stop_sim EXIT
reset_stats() { curl -sf -X POST "http://$ADMIN/stats/reset" >/dev/null; }
# stats FILE: save the simulator's per-portal statistics (JSON).
stats() { curl -sf "http://$ADMIN/stats" >"$1"; }
# timed FILE CMD...: run CMD, writing "wall user sys maxrss_kb" to FILE.
timed() { local out=$1; shift; /usr/bin/time -f '%e %U %S %M' -o "$out" "$@"; }
# sim_cpu: the simulator's CPU seconds so far (user + system).
sim_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$SIM_PID/stat"; }

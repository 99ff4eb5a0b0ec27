#!/usr/bin/env bash
# compare.sh runs spinnsim and Brian2 on the same network file, one after
# the other, and prints how much faster spinnsim's whole process is than
# Brian2's simulation loop alone (Brian2's compilation excluded).
#
#   bench/compare.sh                 # dense(P=10, N=1000, K=100), 2 s
#   bench/compare.sh -K 1000 -n 3    # K=1000, three rounds
#   bench/compare.sh -net FILE       # any file one of the two peers accepts
#   bench/compare.sh -microcircuit 0.1 -synapse-cores 1
#                                    # the cortical microcircuit at S = K = 0.1
#
# The Brian2 peer is brian2_dense.py for a network with plastic synapses and
# brian2_static.py for one without.
#
# Flags: -K fan-in (default 100), -P populations (10), -N neurons (1000),
# -ms duration (2000), -net FILE (instead of generating one), -microcircuit S
# (instead: go run ./cmd/microcircuit -n S -k S, 1 s at 0.1 ms), -synapse-cores
# C (with -microcircuit: split cores, C synapse cores a slice), -n rounds
# (default 1; each round runs spinnsim then Brian2), -driver actors|sequential
# (default actors), -arith fixed|float (default: the file's), -target
# cython|numpy|cpp_standalone (Brian2's code generation, default cython;
# cpp_standalone for brian2_static.py only). Needs Go and
# Debian's python3-brian and cython3 (apt-get install -y python3-brian
# cython3); Brian2 runs under /usr/bin/python3. The first Brian2 run
# compiles its code (minutes); later runs take it from the cache.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
K=100 P=10 N=1000 MS=2000 NET="" ROUNDS=1 DRIVER=actors ARITH="" MC="" SC=0 TARGET=cython
while [ $# -gt 0 ]; do
	case "$1" in
	-K) K=$2; shift 2 ;;
	-P) P=$2; shift 2 ;;
	-N) N=$2; shift 2 ;;
	-ms) MS=$2; shift 2 ;;
	-net) NET=$2; shift 2 ;;
	-n) ROUNDS=$2; shift 2 ;;
	-driver) DRIVER=$2; shift 2 ;;
	-arith) ARITH=$2; shift 2 ;;
	-microcircuit) MC=$2; shift 2 ;;
	-synapse-cores) SC=$2; shift 2 ;;
	-target) TARGET=$2; shift 2 ;;
	*) echo "compare.sh: unknown flag $1" >&2; exit 2 ;;
	esac
done

if [ -n "$NET" ] && [ -n "$MC" ]; then
	echo "compare.sh: -net and -microcircuit both name the network: give one" >&2; exit 2
fi
if [ "$SC" != 0 ] && [ -z "$MC" ]; then
	echo "compare.sh: -synapse-cores goes with -microcircuit (a file given with -net keeps its own splitters)" >&2; exit 2
fi
case "$TARGET" in
cython | numpy | cpp_standalone) ;;
*) echo "compare.sh: -target cython, numpy or cpp_standalone" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/spinnsim" ./cmd/spinnsim)
if [ -z "$NET" ] && [ -n "$MC" ]; then
	NET=$work/microcircuit_S${MC}_sc${SC}.json
	(cd "$root" && go run ./cmd/microcircuit -n "$MC" -k "$MC" -synapse-cores "$SC" -o "$NET")
elif [ -z "$NET" ]; then
	NET=$work/dense_P${P}_N${N}_K${K}.json
	(cd "$root" && go run ./bench/cmd/netgen -P "$P" -N "$N" -K "$K" -ms "$MS" >"$NET")
fi
args=()
if [ -n "$ARITH" ]; then
	args+=(-arith "$ARITH")
	[ "$ARITH" = float ] || [ "$ARITH" = fixed ] || { echo "compare.sh: -arith fixed or float" >&2; exit 2; }
fi

# The peer: brian2_dense.py for plastic synapses, brian2_static.py otherwise.
peer=$(/usr/bin/python3 -c '
import json, sys
net = json.load(open(sys.argv[1]))
plastic = any(p.get("synapse", {}).get("type", "StaticSynapse") != "StaticSynapse" for p in net.get("projections", []))
print("brian2_dense.py" if plastic else "brian2_static.py")' "$NET")
if [ "$peer" = brian2_dense.py ] && [ "$TARGET" = cpp_standalone ]; then
	echo "compare.sh: brian2_dense.py runs with cython or numpy, not cpp_standalone" >&2; exit 2
fi

echo "network   $NET"
echo "machine   $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GB; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "spinnsim  $(cd "$root" && git describe --always --dirty 2>/dev/null || echo '?'), $(go version | cut -d' ' -f3), driver $DRIVER, GOMAXPROCS ${GOMAXPROCS:-$(nproc)}"
echo "brian2    $(/usr/bin/python3 -c 'import brian2; print(brian2.__version__)' 2>/dev/null), $TARGET target, $peer"
echo

for round in $(seq "$ROUNDS"); do
	out=$work/out
	/usr/bin/time -f "%e %M" -o "$work/time" "$work/spinnsim" -net "$NET" -out "$out" -force -quiet \
		-driver "$DRIVER" "${args[@]}" >/dev/null
	read -r s_whole s_kb <"$work/time"
	s_run=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"]["run_s"])' "$out/summary.json")
	s_map=$(/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["timings"]; print(round(t["generate_s"]+t["map_s"], 3))' "$out/summary.json")

	/usr/bin/time -f "%e %M" -o "$work/time" /usr/bin/python3 "$here/$peer" "$NET" --target "$TARGET" >"$work/brian2.json" 2>"$work/brian2.err" ||
		{ cat "$work/brian2.err" >&2; exit 1; }
	read -r b_whole b_kb <"$work/time"
	read -r b_run b_compile < <(/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["run_s"], j["compile_s"])' "$work/brian2.json")

	/usr/bin/python3 - "$s_whole" "$s_run" "$s_map" "$s_kb" "$b_whole" "$b_run" "$b_compile" "$b_kb" "$round" <<'EOF'
import sys
s_whole, s_run, s_map, s_kb, b_whole, b_run, b_compile, b_kb = map(float, sys.argv[1:9])
print(f"round {sys.argv[9]}")
print(f"  spinnsim  whole process {s_whole:7.2f} s  (generate+map {s_map:.2f} s, run {s_run:.2f} s)  peak RSS {s_kb/1024:6.0f} MB")
print(f"  brian2    simulation loop {b_run:5.2f} s  (whole process {b_whole:.2f} s, compile {b_compile:.2f} s)  peak RSS {b_kb/1024:6.0f} MB")
print(f"  ratio     Brian2's loop / spinnsim's whole process = {b_run/s_whole:.2f}x")
EOF
done

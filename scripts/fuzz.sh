#!/usr/bin/env bash
# Fuzzing campaign (issue 16): runs every Jazzer @FuzzTest of the project in fuzzing mode, one at a time, each for
# --minutes N, at the lowest CPU and I/O priority. Per target it
#   - fuzzes from the committed inputs (src/test/resources/<package>/<Class>Inputs/<method>/, corpus/ included),
#   - turns every finding into a regression input: crash-/timeout-/oom- files land in that directory (commit them
#     with the fix; plain `mvn verify` replays them),
#   - merges what the run discovered into <method>/corpus/, minimized (libFuzzer -merge=1: only inputs that add
#     coverage to the hand-written seeds and the earlier corpus are kept),
#   - appends its executions to docs/fuzz-executions.tsv and regenerates the table in docs/reliability.md.
# Targets are found by grepping for @FuzzTest: a new fuzz test in any module is picked up without touching this file.
#
# Usage: scripts/fuzz.sh --minutes N [--only REGEX] [--no-build] [--to-goal]
#        scripts/fuzz.sh --list [--only REGEX]     lists the targets (module, class, method)
#        scripts/fuzz.sh --table                   regenerates docs/reliability.md's table from the TSV only
#   --only REGEX   targets whose "SimpleClass#method" or class name matches (grep -E), e.g. --only 'Sdp|Rtcp#'
#   --no-build     use what is compiled (*/target) instead of `mvn test-compile` first
#   --to-goal      skip targets that have 10 M executions in the ledger; stop the others once they reach it
#                  (libFuzzer -runs), or after N minutes, whichever comes first
# Two campaigns may run at once in one checkout (one per core), on different targets: each locks its targets.
# Environment:
#   FUZZ_HEAP_MB (512)        Java heap: an input that makes the target allocate beyond it is an OOM finding
#   FUZZ_RSS_LIMIT_MB         libFuzzer -rss_limit_mb (default 2 x heap + 1024, as Jazzer's own default)
#   FUZZ_MALLOC_LIMIT_MB      libFuzzer -malloc_limit_mb (default: the heap; sees native mallocs only)
#   FUZZ_TIMEOUT_S (60)       one input running longer than this is a timeout finding
#   FUZZ_MAX_LEN (65536)      longest input libFuzzer makes (keeps the committed corpus small)
#   FUZZ_SKIP                 regex of fully qualified class names not to fuzz (default: none)
#   FUZZ_MVN_ARGS             extra Maven arguments for the build (e.g. -o)
# Exit status: 0 no finding, 1 at least one finding, 2 usage, 3 a target could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

LEDGER=docs/fuzz-executions.tsv
REPORT=docs/reliability.md
OUT=target/fuzz
TARGET_EXECUTIONS=10000000
FUZZ_HEAP_MB=${FUZZ_HEAP_MB:-512}
FUZZ_RSS_LIMIT_MB=${FUZZ_RSS_LIMIT_MB:-$((2 * FUZZ_HEAP_MB + 1024))}
FUZZ_MALLOC_LIMIT_MB=${FUZZ_MALLOC_LIMIT_MB:-$FUZZ_HEAP_MB}
FUZZ_TIMEOUT_S=${FUZZ_TIMEOUT_S:-60}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-65536}
FUZZ_SKIP=${FUZZ_SKIP-}
read -r -a MVN_ARGS <<< "${FUZZ_MVN_ARGS:-}"
LOW_PRIORITY=(nice -n 19)
command -v ionice >/dev/null && LOW_PRIORITY+=(ionice -c 3)

usage() { sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; }
log() { echo "[fuzz] $*"; }

MINUTES=""
ONLY=""
MODE=fuzz
BUILD=1
TO_GOAL=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) MINUTES=${2:-}; shift 2 || { usage >&2; exit 2; } ;;
        --only) ONLY=${2:-}; shift 2 || { usage >&2; exit 2; } ;;
        --list) MODE=list; shift ;;
        --table) MODE=table; shift ;;
        --no-build) BUILD=0; shift ;;
        --to-goal) TO_GOAL=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $MODE == fuzz && ! $MINUTES =~ ^[1-9][0-9]*$ ]]; then
    echo "--minutes N (a whole number of minutes per target) is required" >&2
    exit 2
fi

# module <TAB> fully qualified class <TAB> method, for every method annotated @FuzzTest under */src/test/java.
all_targets() {
    local file module class
    grep -rlE --include='*.java' '^[[:space:]]*@FuzzTest' -- */src/test/java | sort | while read -r file; do
        module=${file%%/*}
        class=${file#*/src/test/java/}
        class=${class%.java}
        class=${class//\//.}
        awk '/^[ \t]*@FuzzTest/ { want = 1; next }
             want && match($0, /void[ \t]+[A-Za-z0-9_]+[ \t]*\(/) {
                 m = substr($0, RSTART, RLENGTH); sub(/^void[ \t]+/, "", m); sub(/[ \t]*\($/, "", m); print m; want = 0
             }' "$file" | while read -r method; do
            printf '%s\t%s\t%s\n' "$module" "$class" "$method"
        done
    done
}

target_id() { local class=$2 method=$3; echo "${class##*.}#$method"; }

selected_targets() {
    local module class method id
    all_targets | while IFS=$'\t' read -r module class method; do
        id=$(target_id "$module" "$class" "$method")
        [[ -n $FUZZ_SKIP && $class =~ $FUZZ_SKIP ]] && continue
        [[ -n $ONLY ]] && ! grep -qE -- "$ONLY" <<< "$id $class" && continue
        printf '%s\t%s\t%s\n' "$module" "$class" "$method"
    done
}

# Committed inputs of a target: hand-written seeds and findings at the top, the campaign's corpus in corpus/.
inputs_dir() {
    local module=$1 class=$2 method=$3 package=${2%.*}
    echo "$module/src/test/resources/${package//.//}/${class##*.}Inputs/$method"
}

ensure_ledger() {
    [[ -f $LEDGER ]] || printf 'date\tcommit\ttarget\tseconds\texecutions\texec_per_s\tfindings\tcorpus_files\tcorpus_bytes\tpeak_rss_mb\tcpu_seconds\n' > "$LEDGER"
}

# Rewrites the table between the markers in docs/reliability.md from the ledger, one row per target (never-run
# targets included, with zeros).
write_table() {
    ensure_ledger
    local table
    table=$(all_targets | awk -F'\t' -v goal="$TARGET_EXECUTIONS" -v skip="$FUZZ_SKIP" '
        FNR == NR { if (FNR > 1) {
                        t = $3; runs[t]++; total[t] += $5; found[t] += $7; rate[t] = $6; files[t] = $8
                        bytes[t] = $9; date[t] = $1; commit[t] = $2; seconds[t] += $4
                        if ($11 > 0) { cpuexec[t] += $5; cpu[t] += $11 } }
                    next }
        { n = split($2, parts, "."); id = parts[n] "#" $3; order[++count] = id; cls[id] = $2 }
        function human(x) { return x >= 1e6 ? sprintf("%.1f M", x / 1e6) : x >= 1e3 ? sprintf("%.0f k", x / 1e3) : x }
        function duration(s) { return s >= 3600 ? sprintf("%.1f h", s / 3600) : sprintf("%.0f min", s / 60) }
        END {
            print "| Fuzz target | Executions | Findings | Fuzzing time | Corpus (files, bytes) | exec/s (last run) | exec per CPU second | To 10 M on one idle core | Last run | Commit |"
            print "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
            for (i = 1; i <= count; i++) {
                id = order[i]
                if (!(id in runs)) {
                    note = (skip != "" && cls[id] ~ skip) ? "not fuzzed (FUZZ_SKIP)" : "not run yet"
                    printf "| `%s` | 0 | 0 | 0 | - | - | - | - | %s | - |\n", id, note
                    if (note == "not run yet") unmeasured++
                    continue
                }
                left = goal - total[id]
                percpu = cpu[id] > 0 ? cpuexec[id] / cpu[id] : 0
                eta = left <= 0 ? "reached" : percpu > 0 ? duration(left / percpu) : "-"
                if (left > 0 && percpu > 0) remaining += left / percpu
                if (left > 0 && percpu == 0) unmeasured++
                if (left <= 0) reached++
                speed = percpu > 0 ? sprintf("%d", percpu) : "-"
                printf "| `%s` | %s | %d | %s | %d, %d | %d | %s | %s | %s | %s |\n", id, human(total[id]), found[id], \
                    duration(seconds[id]), files[id], bytes[id], rate[id], speed, eta, date[id], commit[id]
            }
            printf "\n%d of %d targets have reached %s executions. With a whole idle core at their measured speed, the others " \
                "need about **%s** more of fuzzing, one target at a time%s.\n", reached, count, human(goal), \
                duration(remaining), unmeasured ? sprintf(" (and %d targets whose speed is not measured yet)", unmeasured) : ""
        }' "$LEDGER" -)
    if ! grep -q '^<!-- fuzz-table:begin' "$REPORT" 2>/dev/null; then
        echo "$REPORT has no <!-- fuzz-table:begin --> / <!-- fuzz-table:end --> markers" >&2
        return 3
    fi
    exec 7> "$OUT/table.lock"
    flock 7
    awk -v table="$table" '
        /^<!-- fuzz-table:begin/ { print; print "<!-- Generated by scripts/fuzz.sh from docs/fuzz-executions.tsv: do not edit. -->"; print table; skip = 1; next }
        /^<!-- fuzz-table:end/ { skip = 0 }
        !skip' "$REPORT" > "$REPORT.tmp"
    mv "$REPORT.tmp" "$REPORT"
    flock -u 7
}

if [[ $MODE == list ]]; then
    selected_targets
    exit 0
fi
if [[ $MODE == table ]]; then
    mkdir -p "$OUT"
    write_table
    log "table in $REPORT regenerated from $LEDGER"
    exit 0
fi

mapfile -t TARGETS < <(selected_targets)
if [[ ${#TARGETS[@]} -eq 0 ]]; then
    echo "no @FuzzTest matches --only '$ONLY'" >&2
    exit 2
fi
mkdir -p "$OUT"

MODULES=$(printf '%s\n' "${TARGETS[@]}" | cut -f1 | sort -u | paste -sd, -)
if [[ $BUILD == 1 ]]; then
    log "building $MODULES (test-compile) and their test classpaths"
    "${LOW_PRIORITY[@]}" mvn -B -q "${MVN_ARGS[@]}" -pl "$MODULES" -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/fuzz-classpath.txt -Dmdep.includeScope=test
fi
# The campaign runs on a copy of the compiled classes, so building in this checkout meanwhile cannot disturb it
# (one copy per campaign: another campaign may be running).
SNAPSHOT="$OUT/classes-$$"
rm -rf "$SNAPSHOT"
trap 'rm -rf "$SNAPSHOT"' EXIT
for dir in */target/classes */target/test-classes; do
    [[ -d $dir ]] && mkdir -p "$SNAPSHOT/${dir%%/*}" && cp -r "$dir" "$SNAPSHOT/${dir%%/*}/"
done
COMMIT=$(git rev-parse --short HEAD)
[[ -n $(git status --porcelain -- '*/src/main/*' '*/src/test/java/*' '*pom.xml') ]] && COMMIT="$COMMIT+changes"

classpath() {
    local module=$1
    [[ -f $module/target/fuzz-classpath.txt ]] || { echo "$module/target/fuzz-classpath.txt missing: run without --no-build" >&2; return 3; }
    # A stale one (a dependency added since) made a NoClassDefFoundError that looked like a finding.
    [[ $module/pom.xml -nt $module/target/fuzz-classpath.txt ]] && { echo "$module/target/fuzz-classpath.txt is older than $module/pom.xml: run without --no-build" >&2; return 3; }
    echo "$ROOT/$SNAPSHOT/$module/test-classes:$ROOT/$SNAPSHOT/$module/classes:$(sed "s#$ROOT/\([a-z0-9-]*\)/target/classes#$ROOT/$SNAPSHOT/\1/classes#g" "$module/target/fuzz-classpath.txt")"
}

# Runs Jazzer's command line on one @FuzzTest (it drives JUnit itself; -merge=1 works there, unlike under surefire).
jazzer() {
    local module=$1 class=$2 method=$3 scratch=$4 cp
    shift 4
    cp=$(classpath "$module")
    (cd "$module" && JAZZER_FUZZ=1 "${LOW_PRIORITY[@]}" java -Xmx"${FUZZ_HEAP_MB}m" -XX:+UseSerialGC \
        -cp "$cp" com.code_intelligence.jazzer.Jazzer \
        --target_class="$class" --target_method="$method" --instrument='org.conclave.**' \
        --reproducer_path="$ROOT/$scratch" \
        -timeout="$FUZZ_TIMEOUT_S" -rss_limit_mb="$FUZZ_RSS_LIMIT_MB" -malloc_limit_mb="$FUZZ_MALLOC_LIMIT_MB" \
        -max_len="$FUZZ_MAX_LEN" "$@")
}

ensure_ledger
# Executions of a target summed over the ledger.
executions_so_far() { awk -F'\t' -v t="$1" 'NR > 1 && $3 == t { n += $5 } END { print n + 0 }' "$LEDGER"; }
# libFuzzer's -print_final_stats=1 line "stat::NAME: VALUE", or nothing.
stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

FINDINGS=0
ERRORS=0
SUMMARY=()
for target in "${TARGETS[@]}"; do
    IFS=$'\t' read -r module class method <<< "$target"
    id=$(target_id "$module" "$class" "$method")
    inputs=$(inputs_dir "$module" "$class" "$method")
    scratch="$OUT/$id"
    # The lock lives until the next target's replaces descriptor 9: another campaign skips this target meanwhile.
    exec 9> "$OUT/$id.lock"
    if ! flock -n 9; then
        log "$id: another campaign in this checkout is fuzzing it; skipped"
        continue
    fi
    runs=()
    if (( TO_GOAL )); then
        left=$(( TARGET_EXECUTIONS - $(executions_so_far "$id") ))
        if (( left <= 0 )); then
            log "$id: has reached $TARGET_EXECUTIONS executions; skipped (--to-goal)"
            continue
        fi
        runs=(-runs="$left")
    fi
    rm -rf "$scratch"
    mkdir -p "$scratch/work" "$scratch/findings" "$scratch/merged" "$inputs/corpus"
    log "$id: fuzzing for $MINUTES min (log: $scratch/fuzz.log)"
    started=$(date +%s)
    status=0
    # CPU seconds too: niced on a busy machine the wall clock says little, executions per CPU second say more.
    { TIMEFORMAT='%U %S'; time jazzer "$module" "$class" "$method" "$scratch" --max_duration="${MINUTES}m" "${runs[@]}" \
        -print_final_stats=1 -artifact_prefix="$ROOT/$scratch/findings/" "$ROOT/$scratch/work" "$ROOT/$inputs" \
        > "$scratch/fuzz.log" 2>&1 || status=$?; } 2> "$scratch/cpu"
    seconds=$(( $(date +%s) - started ))
    cpu=$(awk '{ printf "%d", $1 + $2 }' "$scratch/cpu")

    executions=$(stat_of number_of_executed_units "$scratch/fuzz.log")
    # A finding stops libFuzzer before its final statistics: the last status line has the count.
    [[ -n $executions ]] || executions=$(grep -oE '^#[0-9]+' "$scratch/fuzz.log" | tail -1 | tr -d '#' || true)
    executions=${executions:-0}
    # Stopped early with SIGINT: libFuzzer prints its statistics and exits with 72; a normal end, not an error.
    interrupted=0
    grep -q 'libFuzzer: run interrupted' "$scratch/fuzz.log" && interrupted=1
    rate=$(stat_of average_exec_per_sec "$scratch/fuzz.log")
    [[ ${rate:-0} -gt 0 ]] || rate=$(( executions / (seconds > 0 ? seconds : 1) ))
    rss=$(stat_of peak_rss_mb "$scratch/fuzz.log")
    [[ -n $rss ]] || rss=$(grep -oE 'rss: [0-9]+Mb' "$scratch/fuzz.log" | tail -1 | tr -dc 0-9 || true)

    # libFuzzer also writes slow-unit-* files there: slow, not wrong, so not findings.
    rm -f "$scratch/findings"/slow-unit-*
    found=0
    for f in "$scratch/findings"/*; do
        [[ -f $f ]] || continue
        found=$((found + 1))
        mv "$f" "$inputs/"
        log "$id: FINDING $(basename "$f") -> $inputs/ (a regression input: fix, then commit it with the fix)"
    done
    if (( found == 0 )) && grep -q 'java.lang.OutOfMemoryError' "$scratch/fuzz.log"; then
        # The heap ran out outside any one input: memory grows from input to input. No single input reproduces it.
        found=1
        log "$id: FINDING memory grows without bound across inputs (OutOfMemoryError, no single input): $scratch/fuzz.log"
    fi
    if (( found > 0 )); then
        FINDINGS=$((FINDINGS + found))
        grep -m1 -A12 -E '^== Java Exception|ERROR: libFuzzer' "$scratch/fuzz.log" | sed 's/^/    /' || true
    elif (( status != 0 && !interrupted )) || (( executions == 0 )); then
        ERRORS=$((ERRORS + 1))
        log "$id: did not run (exit $status); last lines of $scratch/fuzz.log:"
        tail -15 "$scratch/fuzz.log" | sed 's/^/    /'
        SUMMARY+=("$id: ERROR (exit $status)")
        continue
    else
        # Minimize: seeds and findings first (kept as they are), then whatever of corpus/ and this run adds coverage.
        find "$inputs" -maxdepth 1 -type f -exec cp {} "$scratch/merged/" \;
        find "$scratch/merged" -maxdepth 1 -type f -printf '%f\n' | sort > "$scratch/seeds.txt"
        if jazzer "$module" "$class" "$method" "$scratch" -merge=1 "$ROOT/$scratch/merged" "$ROOT/$inputs/corpus" \
                "$ROOT/$scratch/work" > "$scratch/merge.log" 2>&1; then
            find "$inputs/corpus" -type f -delete
            find "$scratch/merged" -maxdepth 1 -type f -printf '%f\n' | sort | comm -23 - "$scratch/seeds.txt" |
                while read -r f; do cp "$scratch/merged/$f" "$inputs/corpus/"; done
        else
            log "$id: merge failed (corpus left as it was); see $scratch/merge.log"
        fi
    fi
    corpus_files=$(find "$inputs" -type f | wc -l)
    corpus_bytes=$(find "$inputs" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    printf '%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\n' "$(date -u +%Y-%m-%d)" "$COMMIT" "$id" "$seconds" \
        "$executions" "$rate" "$found" "$corpus_files" "$corpus_bytes" "${rss:-0}" "${cpu:-0}" >> "$LEDGER"
    # Recorded per target, so an interrupted campaign keeps what it measured.
    write_table
    SUMMARY+=("$id: $executions executions in ${seconds}s ($rate/s), $found finding(s), corpus $corpus_files files")
done

log "done:"
printf '  %s\n' "${SUMMARY[@]}"
log "executions: $LEDGER; table: $REPORT"
(( FINDINGS > 0 )) && { log "$FINDINGS finding(s): see above"; exit 1; }
(( ERRORS > 0 )) && exit 3
exit 0

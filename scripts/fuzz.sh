#!/bin/sh
# Builds one of the fuzz targets of Fuzz/ with libFuzzer and AddressSanitizer and runs it.
#
#   sh scripts/fuzz.sh TARGET [SECONDS] [libFuzzer options...]
#
# TARGET: FuzzEvents, FuzzFEEL, FuzzDefinitions or FuzzScenarios. SECONDS (default 60) bounds the
# run. It starts from the seeds in Fuzz/Seeds/TARGET (made from the committed examples and
# definitions by Fuzz/seed.sh) and keeps what it finds new in Fuzz/Corpus/TARGET (not committed).
# A crash is written to Fuzz/Findings/TARGET/ as the input that caused it; rerun one with
#   Fuzz/.build-fuzz/release/TARGET Fuzz/Findings/TARGET/crash-...
set -eu
target=${1:?"usage: sh scripts/fuzz.sh FuzzEvents|FuzzFEEL|FuzzDefinitions|FuzzScenarios [SECONDS]"}
seconds=${2:-60}
[ $# -ge 2 ] && shift 2 || shift 1
cd "$(dirname "$0")/../Fuzz"
swift build -c release --product "$target" --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xswiftc -g
sh ./seed.sh
mkdir -p "Corpus/$target" "Findings/$target"
# Dictionaries of the formats' own words help the mutations past the first checks.
dict=""
[ -f "Dictionaries/$target.dict" ] && dict="-dict=Dictionaries/$target.dict"
WAYMARK_ROOT=.. ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=lsan.supp ".build-fuzz/release/$target" "Corpus/$target" "Seeds/$target" \
    $dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="Findings/$target/" -print_final_stats=1 "$@"

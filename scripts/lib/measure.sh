# Shared by the benchmarks: one phase of terraform against the emulator, and its figures. Source it
# after lib/emulator.sh; it defines functions only. They read the calling script's `url`, `work`,
# `emulator_pid`, `provider_bin`, `terraform_bin` and `ticks` (getconf CLK_TCK).

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# run_phase LABEL DIR TERRAFORM-ARGS...: runs terraform in DIR and prints the figures.
run_phase() {
  local label=$1 dir=$2; shift 2
  curl -fsS -X DELETE "$url/_emulator/requests" >/dev/null
  local peak_file="$work/peak" cpu_file="$work/cpu"
  echo 0 >"$peak_file"
  echo 0 >"$cpu_file"
  local emulator_before
  emulator_before=$(cpu_ticks "$emulator_pid")
  (
    peak=0
    declare -A seen=()
    while :; do
      total=0
      for pid in $(pgrep -f "^$provider_bin" 2>/dev/null || true); do
        kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb && echo "$peak" >"$peak_file"
        t=$(cpu_ticks "$pid")
        [ "$t" -gt "${seen[$pid]:-0}" ] && seen[$pid]=$t
      done
      for pid in "${!seen[@]}"; do total=$((total + seen[$pid])); done
      echo "$total" >"$cpu_file"
      sleep 0.05
    done
  ) &
  local sampler=$!
  local start end code=0
  start=$(date +%s.%N)
  echo "n/a n/a" >"$work/time"
  local timer=()
  # GNU time (Debian package `time`) gives terraform's CPU seconds, its provider child included.
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%U %S' -o "$work/time")
  (cd "$dir" && "${timer[@]}" "$terraform_bin" "$@" >"$work/$label.log" 2>&1) || code=$?
  end=$(date +%s.%N)
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  local counts pairs reads writes passes wall peak_mib tf_cpu provider_cpu emulator_cpu load
  counts=$(curl -fsS "$url/_emulator/requests/counts")
  pairs=$(echo "$counts" | grep -o '"[^"]*":[0-9]*')
  reads=$(echo "$pairs" | awk -F'":' '/ GET / {s += $2} END {print s + 0}')
  writes=$(echo "$pairs" | awk -F'":' '/ (POST|PATCH|PUT|DELETE) / && !/oauth2/ {s += $2} END {print s + 0}')
  passes=$(echo "$pairs" | awk -F'":' '/userConfigurations"/ {s += $2} END {print s + 0}')
  wall=$(echo "$end - $start" | bc)
  peak_mib=$(echo "$(cat "$peak_file") / 1024" | bc -l)
  # GNU time writes "Command exited with non-zero status N" before its figures: read the last line.
  tf_cpu=$(tail -n 1 "$work/time" | awk '$1 == "n/a" {print "n/a"; next} {printf "%.1f", $1 + $2}')
  provider_cpu=$(echo "$(cat "$cpu_file") / $ticks" | bc -l)
  emulator_cpu=$(echo "($(cpu_ticks "$emulator_pid") - $emulator_before) / $ticks" | bc -l)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  printf '\n== %s (terraform %s: exit %d)\n' "$label" "$1" "$code"
  printf '   wall time:            %.1f s\n' "$wall"
  printf '   API reads / writes:   %d / %d (userConfigurations pages: %d)\n' "$reads" "$writes" "$passes"
  printf '   provider peak memory: %.1f MiB\n' "$peak_mib"
  printf '   CPU seconds:          terraform %s (incl. provider), provider %.1f, emulator %.1f\n' \
    "$tf_cpu" "$provider_cpu" "$emulator_cpu"
  echo "   requests per kind:    $counts"
  printf '   load average:         %s\n' "$load"
  # With BENCH_SUMMARY set, one tab-separated line per phase (scripts/bench-scale-both.sh's table).
  if [ -n "${BENCH_SUMMARY:-}" ]; then
    printf '%s\t%s\t%.1f\t%d\t%d\t%d\t%.1f\t%s\t%.1f\t%.1f\t%s\t%d\n' \
      "$("$terraform_bin" version 2>/dev/null | head -n 1 | sed 's/^Terraform v//')" "$label" \
      "$wall" "$reads" "$writes" "$passes" "$peak_mib" "$tf_cpu" "$provider_cpu" "$emulator_cpu" \
      "${load%% *}" "$code" >>"$BENCH_SUMMARY"
  fi
  if grep -q "still propagating" "$work/$label.log"; then echo "   (a propagation warning was printed)"; fi
  if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then tail -n 30 "$work/$label.log"; fi
}

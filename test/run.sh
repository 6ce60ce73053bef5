#!/usr/bin/env bash
# The test command (README "Testing", and what .ci/run calls):
#   1. typecheck + build (examples and benches run from dist/; the published bundle, dist/bundle);
#   2. unit tests — fixture replay, codec — with no privileges;
#   3. live tests inside a throwaway sandbox (tools/sandbox.sh: new user + net + uts + mount
#      namespace, private tmpfs on /run/netns); each live test file also unshares its own
#      netns and runs its assertions under BOTH FFI backends (koffi and ffi-napi);
#   4. proof that the machine's own network was not touched: its link list, /run/netns, its
#      netns inode, hostname and forwarding sysctls are compared before and after.
# Prints tap's summary and a closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NETLINK_TS_CHECK_LAZY=1  # every dump of the suite builds its objects lazily and eagerly and compares them (src/netlink/lazy.ts)

links() { ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' '; }
netns_dir() { ls -A /run/netns 2>/dev/null | tr '\n' ' '; }
host_state() { echo "hostname=$(cat /proc/sys/kernel/hostname) ip_forward=$(cat /proc/sys/net/ipv4/ip_forward) ipv6_forwarding=$(cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null)"; }
before_links=$(links); before_netns=$(netns_dir); host_ino=$(stat -L -c %i /proc/self/ns/net); before_state=$(host_state)

# One tsc program typechecks and emits everything (src, examples, bench, tools and the tests:
# tsconfig.test.json is tsconfig.json plus test/, so dist/src is what `tsc -p tsconfig.json`
# writes, and dist/test is unused), then esbuild bundles.
{ npx tsc -p tsconfig.test.json --noEmit false && npm run --silent bundle; } || { echo "typecheck/build failed"; echo "0 passed, 1 failed"; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# --disable-coverage: coverage instruments the FFI boundary and slows the live loops 10×.
# --timeout: a safety net per file, not a speed check (a loaded 2-core machine runs files 10×
# slower than an idle one, and they run side by side).
# Test files load through test/helpers/ts-loader.mjs (.taprc); tsc above was the typecheck.
TAP_ARGS=(--disable-coverage --reporter=tap --timeout=600)
TAP=(node node_modules/tap/dist/esm/run.mjs)
# tap rebuilds its Test class when the plugins in .taprc differ from the built ones (the first
# run after `npm ci`); do it here once, not in two tap runs at the same time.
if grep -q '@tapjs/typescript' node_modules/@tapjs/test/test-built/dist/esm/index.js; then "${TAP[@]}" build >/dev/null; fi

# 5. The package as published, packed once: publint and are-the-types-wrong on that tarball
#    (test/unit/pack.test.ts installs the same one), and the API reference (typedoc, warnings
#    are errors: every export documented and every type the API uses exported). Runs beside
#    the tests.
mkdir "$out/pack"
npm pack --pack-destination "$out/pack" >"$out/pack.txt" 2>&1 && tgz=$(ls "$out"/pack/*.tgz) && [ -f "$tgz" ] \
  || { cat "$out/pack.txt"; echo "npm pack failed"; echo "0 passed, 1 failed"; exit 1; }
export NLTS_PACKED_TARBALL="$tgz"
{ npx publint run --strict "$tgz" && npx attw "$tgz" --profile esm-only && npx typedoc; } >"$out/package.txt" 2>&1 &
pkg_pid=$!

# Unit tests (no privileges, outside the sandbox) and live tests (inside it) run side by side:
# they share nothing but the read-only build, and the live tests mostly wait on the kernel.
"${TAP[@]}" "${TAP_ARGS[@]}" -j2 test/unit/*.test.ts >"$out/unit.tap" 2>"$out/unit.err" &
unit_pid=$!
# The topology files build the seed labs (the same namespace and lab names as lab-N and each
# other) and compare whole-sandbox state; they run after the others, one at a time, in a sandbox of
# their own, so no other file's labs are in /run/netns or /proc beside theirs.
ALONE=(test/live/topology-killed.test.ts test/live/topology-lifecycle.test.ts test/live/topology-rollback.test.ts)
mapfile -t LIVE < <(ls test/live/*.test.ts | grep -v -x -F "${ALONE[@]/#/-e}")
tools/sandbox.sh "${TAP[@]}" "${TAP_ARGS[@]}" -j3 "${LIVE[@]}" >"$out/live.tap" 2>"$out/live.err"; live_rc=$?
tools/sandbox.sh "${TAP[@]}" "${TAP_ARGS[@]}" -j1 "${ALONE[@]}" >"$out/alone.tap" 2>"$out/alone.err" || live_rc=$((live_rc ? live_rc : $?))
wait $unit_pid; unit_rc=$?
wait $pkg_pid; pkg_rc=$?

fail=0
echo "=== package checks (publint, attw, typedoc) ==="
if [ $pkg_rc -eq 0 ]; then echo "ok"; else cat "$out/package.txt"; echo "package checks failed"; fail=$((fail+1)); fi
for f in unit live alone; do
  echo "=== $f tests ==="
  grep -E '^(not )?ok [0-9]+ - |^# ' "$out/$f.tap" | grep -v '^# Subtest' || true
  if grep -q '^not ok' "$out/$f.tap"; then
    echo "--- $f failures (full tap output) ---"; cat "$out/$f.tap"; cat "$out/$f.err"
  fi
done
[ $unit_rc -eq 0 ] || { echo "unit tests exited $unit_rc"; cat "$out/unit.err"; fail=$((fail+1)); }
[ $live_rc -eq 0 ] || { echo "live tests exited $live_rc"; cat "$out/live.err"; fail=$((fail+1)); }

# 4. The machine's own network must be exactly as before.
if [ "$(links)" != "$before_links" ]; then
  echo "SANDBOX LEAK: the machine's link list changed: before [$before_links] after [$(links)]"; fail=$((fail+1))
fi
if [ "$(netns_dir)" != "$before_netns" ]; then
  echo "SANDBOX LEAK: the machine's /run/netns changed: before [$before_netns] after [$(netns_dir)]"; fail=$((fail+1))
fi
if [ "$(host_state)" != "$before_state" ]; then
  echo "SANDBOX LEAK: the machine's hostname/sysctls changed: before [$before_state] after [$(host_state)]"; fail=$((fail+1))
fi
[ "$(stat -L -c %i /proc/self/ns/net)" = "$host_ino" ] || { echo "test runner left its netns"; fail=$((fail+1)); }

# Sum tap's own summaries (`# { total: N, pass: P, fail: F }`) of both runs; a run that
# printed no summary (it crashed) counts as one failure.
pass=0; failed=0
for f in unit live alone; do
  sum=$(grep -E '^# \{ total: [0-9]+' "$out/$f.tap" | tail -n1)
  if [ -z "$sum" ]; then echo "$f tests printed no summary"; failed=$((failed+1)); continue; fi
  p=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$sum"); n=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$sum")
  pass=$((pass+${p:-0})); failed=$((failed+${n:-0}))
done
failed=$((failed+fail))
echo "${pass} passed, ${failed} failed"
[ $failed -eq 0 ]

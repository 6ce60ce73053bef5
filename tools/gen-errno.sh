#!/usr/bin/env bash
# Regenerates src/ffi/errno.ts: errno names and numbers from the machine's uapi errno headers,
# messages as glibc's strerror() words them (what ip, bridge and nft print), not the headers'
# comments ("Operation not supported", not "Operation not supported on transport endpoint").
set -euo pipefail
cd "$(dirname "$0")/.."
{
echo "// Generated from /usr/include/asm-generic/errno-base.h and errno.h (Linux uapi; messages: glibc strerror) by tools/gen-errno.sh."
echo "// errno number → [code name, message]."
echo "export const ERRNO: Readonly<Record<number, readonly [string, string]>> = {"
grep -h -E '^#define\s+E[A-Z0-9]+\s+[0-9]+' /usr/include/asm-generic/errno-base.h /usr/include/asm-generic/errno.h \
  | sed -E 's/^#define\s+(E[A-Z0-9]+)\s+([0-9]+).*/\2 \1/' \
  | python3 -c '
import os, sys, json
for line in sys.stdin:
    n, name = line.split()
    print(f"  {n}: [\"{name}\", {json.dumps(os.strerror(int(n)))}],")
'
echo "};"
} > src/ffi/errno.ts

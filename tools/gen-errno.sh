#!/usr/bin/env bash
# Regenerates src/ffi/errno.ts from the machine's uapi errno headers.
set -euo pipefail
cd "$(dirname "$0")/.."
{
echo "// Generated from /usr/include/asm-generic/errno-base.h and errno.h (Linux uapi) by tools/gen-errno.sh."
echo "// errno number → [code name, message]."
echo "export const ERRNO: Readonly<Record<number, readonly [string, string]>> = {"
grep -h -E '^#define\s+E[A-Z0-9]+\s+[0-9]+' /usr/include/asm-generic/errno-base.h /usr/include/asm-generic/errno.h | sed -E 's/^#define\s+(E[A-Z0-9]+)\s+([0-9]+)\s*\/\*\s*(.*)\s*\*\/.*/  \2: ["\1", "\3"],/' | sed -E 's/ +"\],$/"],/'
echo "};"
} > src/ffi/errno.ts

#!/bin/sh
# A credential plugin for tests: counts its runs in $COUNT_FILE, saves KUBERNETES_EXEC_INFO next to it, and
# prints an ExecCredential. MODE=stale-first makes the first token one the test server refuses.
n=$(cat "$COUNT_FILE" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$COUNT_FILE"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$COUNT_FILE.info"
if [ "$MODE" = "stale-first" ] && [ "$n" -eq 1 ]; then token=stale; else token="ok-exec-$n"; fi
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' \
    "${ANSWER_VERSION:-$API}" "$token" "$EXP"

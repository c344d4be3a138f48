#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
# Live-sync latency and per-event cost; see bench-live.c. Usage: tests/bench/live.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
WAG_PLUGIN_DIR="$build/src/plugin" WAG_RELAY="$build/src/relay/wagateway-relay" \
  G_MESSAGES_DEBUG= "$build/tests/bench/bench-live" 2>/dev/null | grep -v '^#' 
# Group messages (bench-messages.c): 1,000 a second into an open 1,024-member chat.
WAG_PLUGIN_DIR="$build/src/plugin" G_MESSAGES_DEBUG= "$build/tests/bench/bench-messages" 2>/dev/null | grep -v '^#'

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
# Scale: login time, vendor calls, RSS and the longest main-loop stall at
# 2,000 groups + 100 communities x 10; see bench-scale.c.
# Usage: tests/bench/scale.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
WAG_PLUGIN_DIR="$build/src/plugin" G_MESSAGES_DEBUG= "$build/tests/bench/bench-scale" 2>/dev/null | grep -v '^#'

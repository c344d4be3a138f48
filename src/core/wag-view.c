/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-view.h"

G_DEFINE_QUARK(wag-session-error-quark, wag_session_error)

/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#pragma once
/* GETTEXT_PACKAGE is set by meson; the plugin binds the domain at load. */
#include <glib/gi18n-lib.h>

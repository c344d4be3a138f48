#pragma once
/* GETTEXT_PACKAGE is set by meson; the plugin binds the domain at load. */
#include <glib/gi18n-lib.h>

/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* People ids: phones in any common spelling, or opaque ...@lid ids. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* Canonical form used everywhere inside: digits only for phones
 * ("+55 11 99999-9999", "5511999999999@c.us", "...@s.whatsapp.net" all give
 * "5511999999999"); "...@lid" kept as is. NULL when it is neither. */
char *wag_phone_canonical(const char *input);
gboolean wag_phone_is_lid(const char *canonical);
/* Splits "a,b, c" into canonical ids; the invalid ones go to *invalid. */
GPtrArray *wag_phone_split(const char *list, GPtrArray **invalid);

/* "PHONE[,PHONE...] [reason]" as typed in a command: phones may be written
 * with spaces ("+55 11 99999-9999") or as bitlbee nicks ("_5544..."); the
 * first word that is not part of a phone starts the reason (reason may be
 * NULL: no reason wanted). *ids gets canonical ids, *invalid what was not
 * a phone. */
void wag_phone_parse_targets(const char *text, GPtrArray **ids, GPtrArray **invalid, char **reason);

G_END_DECLS

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

G_END_DECLS

/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Shared by the vendors' message files. */
#include "wag-messaging.h"

gboolean
wag_messaging_normalize(const WagVendor *v, JsonNode *body, GPtrArray *events, char **instance)
{
	if (!v || !v->messaging || !v->messaging->normalize)
		return TRUE;
	return v->messaging->normalize(body, events, instance);
}

WagEvent *
wag_message_event_new(const char *group, WagMessageType type)
{
	WagEvent *e = wag_event_new(WAG_EVENT_MESSAGE, group);
	e->message = wag_message_new(type);
	return e;
}

/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* One vendor call run to its end on the default main context, for core tests. */
#pragma once
#include "wag-http.h"

G_BEGIN_DECLS

typedef struct {
	gboolean done;
	guint status;
	JsonNode *json;  /* owned, or NULL */
	GError *error;   /* owned, or NULL */
} WagTestReply;

/* Sends req (taken) and iterates the main context until the reply (at most 10 s). */
WagTestReply wag_test_call(WagHttp *h, const char *base, WagRequest *req);
void wag_test_reply_clear(WagTestReply *r);

G_END_DECLS

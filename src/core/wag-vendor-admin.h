/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration per vendor (issue 18): the vendor files' admin
 * halves, kept apart so that no vendor file outgrows ~600 lines. Only the
 * vendor files include this; everyone else asks the WagVendor table. */
#pragma once
#include "wag-vendor.h"

G_BEGIN_DECLS

/* Each vendor's request builders live in its admin half, the lower of the
 * two files: the vendor file uses them and points its table at the admin
 * functions; the admin half reaches the table only through
 * wag_vendor_lookup(), so the two files do not form a circle. */
WagRequest *wag_zapi_request(const WagCreds *c, const char *method, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Z-API's error words with what they mean added (NULL stays NULL). */
char *wag_zapi_error_text(const char *vendor_text);
WagRequest *wag_greenapi_request(const WagCreds *c, const char *method, const char *api_method, JsonBuilder *body);
JsonBuilder *wag_greenapi_group_body(const char *group);
WagRequest *wag_wawp_request(const WagCreds *c, const char *method, const char *group, const char *tail,
                             JsonBuilder *body);
GError *wag_wawp_action_error(guint http_status, const char *vendor_text);

/* Z-API: the settings group-metadata names (adminOnlyMessage...). */
void wag_zapi_read_settings(JsonObject *o, WagGroup *g);
WagRequest *wag_zapi_req_edit(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error);
gboolean wag_zapi_parse_edit(const WagEdit *edit, JsonNode *body, GError **error);
WagRequest *wag_zapi_req_invite_link(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error);
char *wag_zapi_parse_invite_link(JsonNode *body, GError **error);

/* Green API: add, promote, demote (one participant per call). */
WagRequest *wag_greenapi_admin_request(const WagCreds *c, WagAction action, const WagGroup *target,
                                       const char *const *ids, guint n_ids, GError **error);
gboolean wag_greenapi_admin_parse(WagAction action, JsonNode *body, GError **error);
WagRequest *wag_greenapi_req_edit(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error);
gboolean wag_greenapi_parse_edit(const WagEdit *edit, JsonNode *body, GError **error);
WagRequest *wag_greenapi_req_invite_link(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error);
char *wag_greenapi_parse_invite_link(JsonNode *body, GError **error);

WagRequest *wag_wawp_req_edit(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error);
gboolean wag_wawp_parse_edit(const WagEdit *edit, JsonNode *body, GError **error);
WagRequest *wag_wawp_req_invite_link(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error);
char *wag_wawp_parse_invite_link(JsonNode *body, GError **error);
/* WAHA group.v2.update: the subject and settings it carries. */
void wag_wawp_group_update(JsonObject *payload, JsonObject *group, const char *group_id, GPtrArray *events);

G_END_DECLS

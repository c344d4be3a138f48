/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A group message (the `message` event kind): what a vendor's message
 * webhook says, normalized, and the one plain-text line a front end shows
 * for it. No markup here: a front end escapes the line for its own medium. */
#pragma once
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	WAG_MSG_TEXT,
	WAG_MSG_IMAGE,
	WAG_MSG_VIDEO,
	WAG_MSG_AUDIO,
	WAG_MSG_DOCUMENT,
	WAG_MSG_STICKER,
	WAG_MSG_LOCATION,
	WAG_MSG_CONTACT,
	WAG_MSG_POLL,
	WAG_MSG_REACTION,
	WAG_MSG_DELETED,
	WAG_MSG_OTHER,
	WAG_MSG_LAST
} WagMessageType;

typedef struct {
	char *message_id;  /* the vendor's */
	char *from;        /* canonical id of the sender */
	char *from_name;   /* the sender's WhatsApp name, or NULL */
	gboolean from_me;
	WagMessageType type;
	char *text;        /* text, caption, emoji of a reaction; may be NULL */
	char *quoted_id;   /* the message replied to, reacted to or deleted */
	char *media_url;   /* the vendor's link to the media, or NULL */
	GPtrArray *mentions; /* canonical ids */
} WagMessage;

/* Display bounds: longer text is cut and ends with "...". */
#define WAG_MESSAGE_MAX_CHARS 4096

WagMessage *wag_message_new(WagMessageType type);
void wag_message_free(WagMessage *m);
const char *wag_message_type_name(WagMessageType type);
WagMessageType wag_message_type_from_name(const char *name); /* unknown: OTHER */

/* Adds the message's members to an object being built (the event's JSON). */
void wag_message_build_members(const WagMessage *m, JsonBuilder *b);
/* Reads them back from an event object; never fails (missing = empty). */
WagMessage *wag_message_from_object(JsonObject *o);

/* Valid UTF-8, bounded: invalid bytes replaced, over max_chars cut with "...". */
char *wag_message_clean_text(const char *text, guint max_chars);
/* Finds "@DIGITS" in text and adds each canonical phone to mentions. */
void wag_message_scan_mentions(WagMessage *m);
/* The one plain line for a message: "text", "[image] caption URL",
 * "reacted 👍", "deleted a message"... user-facing, translated. */
char *wag_message_line(const WagMessage *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagMessage, wag_message_free)

G_END_DECLS

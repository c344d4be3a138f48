/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A headless libpurple core in the test process (like libpurple's
 * nullclient) that loads the plugin from the build directory. */
#pragma once
#include <purple.h>

typedef struct {
	char *conv;  /* conversation name */
	char *text;  /* as written (HTML-escaped) */
	PurpleMessageFlags flags;
} WagSeenLine;

void wag_harness_init(void);
/* Every debug line libpurple and the plugin printed so far. */
const char *wag_harness_debug_log(void);
/* Lines written in conversation `conv` containing `needle`. */
guint wag_harness_count_lines(const char *conv, const char *needle);

/* Creates and enables an account against api_base (the emulator); extra options
 * as key, value pairs (NULL-terminated), ints and bools written as text. */
PurpleAccount *wag_harness_account(const char *api_base, const char *vendor, const char *instance,
                                   const char *token, ...) G_GNUC_NULL_TERMINATED;
void wag_harness_remove_account(PurpleAccount *account);
/* Sets an account option from text, with the option's own type. */
void wag_harness_set_option(PurpleAccount *account, const char *key, const char *value);

/* Iterates the main loop until cond(data) or timeout; returns cond's value. */
gboolean wag_harness_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms);
void wag_harness_spin(guint ms);
gboolean wag_harness_wait_connected(PurpleAccount *account, guint timeout_ms);
/* Waits for a connection error on account; returns its description (owned by the harness). */
const char *wag_harness_wait_error(PurpleAccount *account, PurpleConnectionError *reason, guint timeout_ms);

PurpleConversation *wag_harness_join(PurpleAccount *account, const char *group);
/* Waits until the chat lists n users. */
gboolean wag_harness_wait_users(PurpleConversation *conv, guint n, guint timeout_ms);
/* Waits until the chat's topic is topic. */
gboolean wag_harness_wait_topic(PurpleConversation *conv, const char *topic, guint timeout_ms);
PurpleConvChatBuddyFlags wag_harness_flags(PurpleConversation *conv, const char *who);

/* Runs "/cmd args" as Pidgin does (without the slash here). */
void wag_harness_command(PurpleConversation *conv, const char *cmdline);
/* Sends chat text as bitlbee does (commands arrive as "/kick ..." text). */
void wag_harness_say(PurpleConversation *conv, const char *text);
/* Waits until a line containing needle appears in conv. */
gboolean wag_harness_wait_line(const char *conv, const char *needle, guint timeout_ms);

/* Open prompts (purple_request_action): their primary text, and answering
 * one by the caption of a button ("OK", "Cancel", "Accept", "Reject"). */
guint wag_harness_prompts(void);
/* Waits until at least one prompt is open. */
gboolean wag_harness_wait_prompt(guint timeout_ms);
const char *wag_harness_prompt_text(void); /* the newest, or NULL */
/* The newest prompt's button captions exactly as the plugin gave them, "|" between. */
const char *wag_harness_prompt_buttons(void);
gboolean wag_harness_answer(const char *caption);
void wag_harness_clear_lines(void);
/* Whether a line containing needle in conv carries flag. */
gboolean wag_harness_line_has_flag(const char *conv, const char *needle, PurpleMessageFlags flag);

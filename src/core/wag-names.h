/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What a user types for a group or a person, resolved to the vendor's ids:
 * an id, a title, a bitlbee nick or a name, when it is unambiguous. And the
 * lines that name people (owner, admins). Pure functions over the model. */
#pragma once
#include <glib.h>
#include "wag-model.h"

G_BEGIN_DECLS

/* g's subject, or its id when it has none. */
const char *wag_group_title(const WagGroup *g);

/* The group text names: its exact id, else the one group whose subject is
 * text (case-insensitive). NULL with *error set (for the user) otherwise:
 * unknown, or several groups share that title. */
WagGroup *wag_model_resolve_group(WagModel *m, const char *text, char **error);

/* The participant of g that text names: a canonical id or phone, a bitlbee
 * nick ("_5511..."), or a name that only one participant has
 * (case-insensitive, spaces as typed or as '_'). NULL with *error set when
 * text is a name matching none or several; NULL without error when text is
 * no name at all (a phone that is not a participant, say). */
WagParticipant *wag_group_resolve_person(WagGroup *g, const char *text, char **error);

/* "Name (5511...)" or the id alone when the vendor gave no name. */
char *wag_person_label(const WagParticipant *p);

/* "Owner: A. Admins: B, C." for g's known roster, or a line saying the
 * roster is not known yet. */
char *wag_group_admins_line(WagGroup *g);

/* text as typed after /kick, /approve or /decline, with each person given
 * by name or nick ("Ana Souza", "_Ana_Souza") replaced by their id; phones
 * are left as typed, and what follows the last name stays the reason. NULL
 * with *error set when a name matches nobody or several people. */
char *wag_names_rewrite_targets(WagGroup *g, const char *text, char **error);

/* How WhatsApp writes a mention of id in text: "@" and its number (a
 * lid's without its "@lid"). */
char *wag_names_at(const char *id);

/* Mentions bounded per message, like those received. */
#define WAG_NAMES_MAX_MENTIONS 64

/* Text typed for the group with its mentions made WhatsApp's: "@NAME",
 * "@nick" or "@PHONE" naming one participant, and IRC's leading "nick: ",
 * become "@PHONE" (the form WhatsApp renders as the name), and the phones
 * are added to ids (canonical, once each). Anything else stays as typed. */
char *wag_names_mentions(WagGroup *g, const char *text, GPtrArray *ids);

G_END_DECLS

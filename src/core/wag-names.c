/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Resolving what users type (titles, nicks, names) to ids, and naming
 * people in lines. IRC users see titles and nicks, never the vendor's ids,
 * so every place that takes an id from the user goes through here. */
#include "wag-names.h"
#include "wag-i18n.h"
#include "wag-phone.h"
#include <string.h>

const char *
wag_group_title(const WagGroup *g)
{
	return g->subject && *g->subject ? g->subject : g->id;
}

static gboolean
same_text(const char *a, const char *b)
{
	g_autofree char *fa = NULL, *fb = NULL;

	if (!a || !b)
		return FALSE;
	fa = g_utf8_casefold(a, -1);
	fb = g_utf8_casefold(b, -1);
	return strcmp(fa, fb) == 0;
}

WagGroup *
wag_model_resolve_group(WagModel *m, const char *text, char **error)
{
	WagGroup *found = NULL, *g;
	GHashTableIter it;
	guint matches = 0;

	*error = NULL;
	if (!text || !*text) {
		*error = g_strdup(_("No group id given"));
		return NULL;
	}
	if ((g = wag_model_lookup(m, text)))
		return g;
	g_hash_table_iter_init(&it, m->groups);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *) &g))
		if (!g->is_announcement && same_text(g->subject, text)) {
			found = g;
			matches++;
		}
	if (matches == 1)
		return found;
	*error = matches ?
		g_strdup_printf(_("%u groups are called \"%s\": give the group id instead (see the room list)."),
		                matches, text) :
		g_strdup_printf(_("No group or community with the id or title \"%s\" (see the room list)."), text);
	return NULL;
}

/* In place: without spaces and '_'. */
static char *
wag_names_squeeze(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (*r != ' ' && *r != '_')
			*w++ = *r;
	*w = '\0';
	return s;
}

/* A name in the form every way of typing it compares equal: without
 * spaces or '_' (bitlbee's nick_format writes "Ana_Souza" or "AnaSouza",
 * and adds '_' to a nick that is taken), casefolded, without accents
 * ("Joao" finds "João"; letters of other scripts stay as they are). */
static char *
name_key(const char *name)
{
	g_autofree char *squeezed = wag_names_squeeze(g_strdup(name));
	g_autofree char *folded = g_utf8_casefold(squeezed, -1);
	g_autofree char *split = g_utf8_normalize(folded, -1, G_NORMALIZE_NFD);
	GString *key = g_string_new(NULL);

	for (const char *c = split; c && *c; c = g_utf8_next_char(c))
		if (g_unichar_type(g_utf8_get_char(c)) != G_UNICODE_NON_SPACING_MARK)
			g_string_append_unichar(key, g_utf8_get_char(c));
	return g_string_free(key, FALSE);
}

/* Who a typed name can be: per key, the one participant it names, or
 * how many it names. */
typedef struct {
	WagParticipant *p;
	guint n;
} Named;

static void
index_add(GHashTable *index, char *key, WagParticipant *p)
{
	Named *w = g_hash_table_lookup(index, key);

	if (!w) {
		w = g_new0(Named, 1);
		w->p = p;
		g_hash_table_insert(index, key, w);
		w->n = 1;
		return;
	}
	g_free(key);
	if (w->p != p)
		w->n++;
}

/* Every way a participant's name can be typed, by name_key(): the whole
 * name, and apart (marked "\1") its first word(s), "Maria" of "Maria
 * Fernanda Lima". Built once per command or message, so that a text with
 * thousands of "@" costs one pass over the roster, not one per "@" (5,000
 * in a group of 1,024 took 5 s of the main loop). */
static GHashTable *
names_index(WagGroup *g)
{
	GHashTable *index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	WagParticipant *p;

	g_hash_table_iter_init(&it, g->participants);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *) &p)) {
		g_auto(GStrv) words = p->name ? g_strsplit_set(p->name, " \t", -1) : NULL;
		guint n = words ? g_strv_length(words) : 0;

		for (guint k = n; k > 0; k--) {
			char *saved = words[k];
			g_autofree char *head = NULL;
			g_autofree char *bare = NULL;
			words[k] = NULL;
			head = g_strjoinv(" ", words);
			words[k] = saved;
			bare = name_key(head);
			if (*bare)
				index_add(index, k == n ? g_steal_pointer(&bare) : g_strconcat("\1", bare, NULL), p);
		}
	}
	return index;
}

/* How many participants text names: by their whole name, or else, when
 * no one has it as a whole name, by its first word(s); *found is the one. */
static guint
index_lookup(GHashTable *index, const char *text, WagParticipant **found)
{
	g_autofree char *key = name_key(text);
	g_autofree char *start = g_strconcat("\1", key, NULL);
	Named *w = *key ? g_hash_table_lookup(index, key) : NULL;

	if (!w && *key)
		w = g_hash_table_lookup(index, start);
	if (found)
		*found = w && w->n == 1 ? w->p : NULL;
	return w ? w->n : 0;
}

/* A phone as a nick writes it: "_5544999999999", and "_5544999999999_"
 * when bitlbee found the nick taken (two accounts in one group). */
static char *
nick_phone(const char *text)
{
	g_autofree char *bare = g_strdup(text);
	char *start = bare;
	gsize len;

	while (*start == '_')
		start++;
	len = strlen(start);
	while (len && start[len - 1] == '_')
		start[--len] = '\0';
	return wag_phone_canonical(start);
}

/* wag_group_resolve_person() with g's names_index() (built when needed). */
static WagParticipant *
resolve(WagGroup *g, GHashTable **index, const char *text, guint *matches, char **error)
{
	g_autofree char *id = NULL;
	WagParticipant *found = NULL;

	*error = NULL;
	*matches = 0;
	if (!g || !text || !*text)
		return NULL;
	id = nick_phone(text);
	if (id)
		return g_hash_table_lookup(g->participants, id);
	if (!*index)
		*index = names_index(g);
	*matches = index_lookup(*index, text, &found);
	if (*matches == 1)
		return found;
	*error = *matches ? g_strdup_printf(_("%u participants are called \"%s\": give the phone number instead."),
	                                    *matches, text)
	                  : g_strdup_printf(_("No participant called \"%s\" in this group."), text);
	return NULL;
}

WagParticipant *
wag_group_resolve_person(WagGroup *g, const char *text, char **error)
{
	g_autoptr(GHashTable) index = NULL;
	guint matches;

	return resolve(g, &index, text, &matches, error);
}

char *
wag_person_label(const WagParticipant *p)
{
	if (p->name && *p->name)
		return g_strdup_printf("%s (%s)", p->name, p->id);
	return g_strdup(p->id);
}

char *
wag_group_admins_line(WagGroup *g)
{
	g_autoptr(GPtrArray) people = NULL;
	g_autoptr(GString) owners = g_string_new(NULL);
	g_autoptr(GString) admins = g_string_new(NULL);

	if (!g || !g->roster_loaded)
		return g_strdup(_("The participants are not known yet; try again when they are shown."));
	people = wag_group_sorted_participants(g);
	for (guint i = 0; i < people->len; i++) {
		WagParticipant *p = people->pdata[i];
		GString *to = p->role == WAG_ROLE_OWNER ? owners : p->role == WAG_ROLE_ADMIN ? admins : NULL;
		g_autofree char *label = NULL;

		if (!to)
			continue;
		label = wag_person_label(p);
		g_string_append_printf(to, "%s%s", to->len ? ", " : "", label);
	}
	/* Translators: "Owner: Ana (5511…). Admins: Bia (5511…), 5544…." */
	return g_strdup_printf(_("Owner: %s. Admins: %s."), owners->len ? owners->str : _("none known"),
	                       admins->len ? admins->str : _("none"));
}

static gboolean
looks_like_phone(const char *word)
{
	if (*word == '_')
		word++;
	return g_ascii_isdigit(*word) || *word == '+' || *word == '(';
}

/* A name typed as the start of text: the longest run of words that names
 * one participant. Returns the participant and sets *rest to what follows. */
static WagParticipant *
leading_name(WagGroup *g, GHashTable **index, const char *text, const char **rest, char **error)
{
	g_auto(GStrv) words = g_strsplit_set(text, " \t", -1);
	guint n = g_strv_length(words);

	for (guint take = n; take > 0; take--) {
		g_autofree char *candidate = NULL;
		g_autofree char *why = NULL;
		WagParticipant *p;
		guint matches;
		char *saved = words[take];

		words[take] = NULL;
		candidate = g_strjoinv(" ", words);
		words[take] = saved;
		g_strstrip(candidate);
		if (!*candidate)
			continue;
		p = resolve(g, index, candidate, &matches, &why);
		/* Several people with that name: say so rather than guess. */
		if (!p && matches > 1) {
			*error = g_steal_pointer(&why);
			return NULL;
		}
		if (p) {
			const char *r = text;
			/* Skip as many words in text as were taken. */
			for (guint w = 0; w < take; w++) {
				while (*r == ' ' || *r == '\t')
					r++;
				r += strlen(words[w]);
			}
			*rest = r;
			return p;
		}
	}
	/* Nobody by that name: the text stays as typed (and is refused as a
	 * phone number if it is not one). */
	return NULL;
}

char *
wag_names_rewrite_targets(WagGroup *g, const char *text, char **error)
{
	g_auto(GStrv) pieces = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GHashTable) index = NULL;
	guint n;

	*error = NULL;
	if (!text || !g || !g->roster_loaded)
		return g_strdup(text);
	pieces = g_strsplit(text, ",", -1);
	n = g_strv_length(pieces);
	for (guint i = 0; i < n; i++) {
		const char *piece = pieces[i];
		const char *rest = "";
		WagParticipant *p;

		while (*piece == ' ' || *piece == '\t')
			piece++;
		if (i)
			g_string_append_c(out, ',');
		if (*piece == '_' && looks_like_phone(piece)) {
			/* A nick: "_5544999999999", or "..._" when bitlbee found it taken. */
			gsize len = strcspn(piece, " \t");
			g_autofree char *word = g_strndup(piece, len);
			g_autofree char *id = nick_phone(word);
			if (id) {
				g_string_append(out, id);
				g_string_append(out, piece + len);
				continue;
			}
		}
		if (!*piece || looks_like_phone(piece)) {
			g_string_append(out, pieces[i]);
			continue;
		}
		p = leading_name(g, &index, piece, &rest, error);
		if (*error)
			return NULL;
		if (!p) {
			g_string_append(out, pieces[i]);
			continue;
		}
		/* Only the last piece may carry a reason after the name. */
		if (i + 1 < n && *rest && strspn(rest, " \t") != strlen(rest)) {
			g_clear_pointer(error, g_free);
			*error = g_strdup_printf(_("No participant called \"%s\" in this group."), piece);
			return NULL;
		}
		g_string_append(out, p->id);
		g_string_append(out, rest);
	}
	return g_strdup(out->str);
}

/* A mention may open after a space or an opening bracket or quote, and
 * inside WhatsApp's *bold*, _italics_ or ~strike~ ("/me hugs @Ana" is
 * sent as "_hugs @Ana_"); never in the middle of an e-mail address. */
static gboolean
opens_mention(const char *text, const char *at)
{
	gunichar c;

	while (at > text && strchr("*_~", at[-1]))
		at--;
	if (at == text)
		return TRUE;
	c = g_utf8_get_char(g_utf8_find_prev_char(text, at));
	return g_unichar_isspace(c) || c == '"' || c == '\'' || g_unichar_type(c) == G_UNICODE_OPEN_PUNCTUATION ||
	       g_unichar_type(c) == G_UNICODE_INITIAL_PUNCTUATION;
}

/* Where a mention's word ends before what closes a sentence, a quote or
 * WhatsApp's formatting: "@Ana," "(@Ana)" "@Ana_" "@Ana…" "«@Ana»". */
static const char *
mention_end(const char *start, const char *end)
{
	while (end > start) {
		const char *prev = g_utf8_find_prev_char(start, end);
		gunichar c = g_utf8_get_char(prev);
		if (c < 0x80 ? !strchr(".,:;!?)]}'\"*_~", (int) c) : !g_unichar_ispunct(c))
			break;
		end = prev;
	}
	return end;
}

char *
wag_names_at(const char *id)
{
	return g_strdup_printf("@%.*s", (int) strcspn(id, "@"), id);
}

static void
append_mention(GString *out, const char *id)
{
	g_autofree char *at = wag_names_at(id);
	g_string_append(out, at);
}

/* The participant a word names for a mention, or NULL, as
 * wag_group_resolve_person() would. A phone counts when it is a
 * participant, or when the roster is not known yet (the vendor then
 * decides); a name or nick needs the roster. */
static char *
mention_target(WagGroup *g, GHashTable **index, const char *word)
{
	g_autofree char *phone = NULL;
	g_autofree char *why = NULL;
	WagParticipant *p;
	guint matches;

	if (!*word)
		return NULL;
	if (!g || !g->roster_loaded) {
		phone = nick_phone(word);
		return g_steal_pointer(&phone);
	}
	p = resolve(g, index, word, &matches, &why);
	return p ? g_strdup(p->id) : NULL;
}

/* Where "nick: " or "nick, " opening text ends (at the blank after the
 * mark), within a name's length; NULL when text opens otherwise. */
static const char *
leading_address(const char *text)
{
	for (const char *q = text + 1; *q && q - text < 64; q++)
		if ((*q == ':' || *q == ',') && (q[1] == ' ' || q[1] == '\t'))
			return q + 1;
	return NULL;
}

static void
add_mention(GPtrArray *ids, const char *id)
{
	if (ids->len < WAG_NAMES_MAX_MENTIONS && !g_ptr_array_find_with_equal_func(ids, id, g_str_equal, NULL))
		g_ptr_array_add(ids, g_strdup(id));
}

char *
wag_names_mentions(WagGroup *g, const char *typed, GPtrArray *ids)
{
	GString *out = g_string_new(NULL);
	g_autofree char *valid = NULL;
	g_autoptr(GHashTable) index = NULL;
	const char *text, *p, *sp;

	if (!typed)
		return g_string_free(out, FALSE);
	/* Read by characters below: never past the end of a broken one. */
	valid = g_utf8_make_valid(typed, -1);
	text = p = valid;
	/* IRC's way to address someone: "nick: text" (what Tab completes;
	 * Pidgin completes a name with spaces: "Carla Dias: text"). */
	sp = leading_address(text);
	if (sp && *text != '@') {
		g_autofree char *word = g_strndup(text, sp - 1 - text);
		g_autofree char *id = NULL;
		/* "11 98888-7777, ligue" addresses no one. */
		if (!strchr(word, ' ') || !wag_phone_canonical(word))
			id = mention_target(g, &index, word);
		if (id) {
			add_mention(ids, id);
			append_mention(out, id);
			p = sp;
		}
	}
	while (*p) {
		const char *end, *stop;
		g_autofree char *word = NULL;
		g_autofree char *id = NULL;

		if (*p != '@' || !opens_mention(text, p)) {
			g_string_append_c(out, *p++);
			continue;
		}
		end = p + 1;
		while (*end && !g_unichar_isspace(g_utf8_get_char(end)))
			end = g_utf8_next_char(end);
		/* "@Ana," names Ana; "@Ana🌸" may be someone's whole name. */
		stop = mention_end(p + 1, end);
		word = g_strndup(p + 1, stop - p - 1);
		id = mention_target(g, &index, word);
		if (!id && stop < end) {
			g_free(word);
			word = g_strndup(p + 1, end - p - 1);
			if ((id = mention_target(g, &index, word)))
				stop = end;
		}
		if (!id) {
			g_string_append_len(out, p, end - p);
			p = end;
			continue;
		}
		/* WhatsApp shows "@PHONE" as the person's name, and only a
		 * mention written so is one. */
		add_mention(ids, id);
		append_mention(out, id);
		p = stop;
	}
	return g_string_free(out, FALSE);
}

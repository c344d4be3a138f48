/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */
#include "wag-store.h"
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char *path;
	char *data;
	gboolean append;
	gboolean remove;
	GTask *load;
} Write;

static GThreadPool *pool;
static GMutex lock;
static GCond idle;
static guint queued;

static void
ensure_dir(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_mkdir_with_parents(dir, 0700);
}

static void
do_write(gpointer data, gpointer user_data)
{
	Write *w = data;

	if (w->load) {
		g_autoptr(GError) err = NULL;
		char *text = NULL;
		if (g_file_get_contents(w->path, &text, NULL, &err))
			g_task_return_pointer(w->load, text, g_free);
		else if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_task_return_new_error(w->load, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", err->message);
		else
			g_task_return_new_error(w->load, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err->message);
		g_object_unref(w->load);
	} else if (w->remove) {
		ensure_dir(w->path);
		if (g_unlink(w->path) != 0 && errno != ENOENT)
			g_warning("cannot remove %s: %s", w->path, g_strerror(errno));
	} else if (w->append) {
		gsize len = strlen(w->data);
		ensure_dir(w->path);
		int fd = g_open(w->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, w->data, len) != (gssize) len)
			g_warning("cannot append to %s: %s", w->path, g_strerror(errno));
		if (fd >= 0)
			close(fd);
	} else {
		g_autoptr(GError) err = NULL;
		ensure_dir(w->path);
		if (!g_file_set_contents_full(w->path, w->data, -1,
		                              G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err))
			g_warning("cannot write %s: %s", w->path, err->message);
	}
	g_free(w->path);
	g_free(w->data);
	g_free(w);
	g_mutex_lock(&lock);
	if (--queued == 0)
		g_cond_broadcast(&idle);
	g_mutex_unlock(&lock);
}

static void
push(Write *w)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		/* One thread: writes land in the order they were asked for. */
		pool = g_thread_pool_new(do_write, NULL, 1, FALSE, NULL);
		g_once_init_leave(&once, 1);
	}
	g_mutex_lock(&lock);
	queued++;
	g_mutex_unlock(&lock);
	g_thread_pool_push(pool, w, NULL);
}

void
wag_store_append(const char *path, const char *line)
{
	Write *w = g_new0(Write, 1);
	w->path = g_strdup(path);
	w->data = g_strconcat(line, "\n", NULL);
	w->append = TRUE;
	push(w);
}

void
wag_store_replace(const char *path, const char *contents)
{
	Write *w = g_new0(Write, 1);
	w->path = g_strdup(path);
	w->data = g_strdup(contents);
	w->remove = contents == NULL;
	push(w);
}

void
wag_store_load(const char *path, GCancellable *cancellable, GAsyncReadyCallback cb, gpointer data)
{
	Write *w = g_new0(Write, 1);
	w->path = g_strdup(path);
	w->load = g_task_new(NULL, cancellable, cb, data);
	g_task_set_source_tag(w->load, wag_store_load);
	push(w);
}

char *
wag_store_load_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}

void
wag_store_flush(void)
{
	g_mutex_lock(&lock);
	while (queued > 0)
		g_cond_wait(&idle, &lock);
	g_mutex_unlock(&lock);
}

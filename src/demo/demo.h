/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* wagateway-demo: an emulated vendor with sample groups on 127.0.0.1, plus
 * the relay's event stream on the same port, so that one address serves as
 * both api_base and relay_url. Nothing is stored; nothing leaves the host. */
#pragma once
#include "vendor-emu.h"
#include "wag-vendor.h"

G_BEGIN_DECLS

#define DEMO_INSTANCE "DEMO1234"
#define DEMO_TOKEN "demo-token"
#define DEMO_CLIENT_TOKEN "demo-client-token"
#define DEMO_RELAY_TOKEN "demo-relay-token"
#define DEMO_ME "5511988888888"
#define DEMO_KICK "5544999999999"      /* the member the README kicks */
#define DEMO_REQUESTER "5544911111111" /* asks to join the first group */
#define DEMO_TALKER "5511977776666"    /* says what is typed in the demo's terminal */

typedef struct {
	const WagVendor *vendor;
	char *first_group; /* the group the README opens, in the vendor's id form */
} DemoWorld;

/* A new emulator of world->vendor seeded with the sample groups. */
WagEmu *demo_world_seed(DemoWorld *world);
void demo_world_clear(DemoWorld *world);
/* What to type, in plain words, for Pidgin, Finch and bitlbee. */
void demo_world_print(const DemoWorld *world, guint port);
/* The sample person's name. */
const char *demo_world_name(const char *phone);

typedef struct _DemoFront DemoFront;

/* Listens on 127.0.0.1:port (0: any free port) and passes vendor calls to
 * emu; /events plays the relay. NULL with error when the port is taken. */
DemoFront *demo_front_new(WagEmu *emu, const DemoWorld *world, guint port, GError **error);
guint demo_front_port(DemoFront *front);
/* text, said by DEMO_TALKER in the first group, reaches the plugin as the
 * vendor would bring it: a relay event, or Green API's notification queue. */
void demo_front_say(DemoFront *front, const char *text);
void demo_front_free(DemoFront *front);

G_END_DECLS

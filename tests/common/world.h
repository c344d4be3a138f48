/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The same small world for every test: one group per vendor (and for
 * Z-API a community with a linked group), played by the vendor emulator.
 * No libpurple here: the core's tests use it too. */
#pragma once
#include "vendor-emu.h"

#define FX_INSTANCE "3C5A9F0E1B2D"
#define FX_TOKEN "tok-8d1f2a9e77c4"
#define FX_CLIENT_TOKEN "ctk-55aa09bb31"
#define FX_OWNER "5511999999999"  /* created the group */
#define FX_ME "5511988888888"     /* this account, an admin */
#define FX_MEMBER "5544999999999"
#define FX_MEMBER2 "5544977777777"

typedef struct {
	const char *vendor;
	const char *group;     /* a plain group */
	const char *linked;    /* a group linked to the community (Z-API) */
	const char *community; /* Z-API only */
	const char *announce;
	const char *bad_state; /* the vendor's word for "scan the QR code" */
	const char *info_path; /* what the roster read's path contains */
	const char *remove_path;
} VendorCase;

extern const VendorCase fx_zapi, fx_green, fx_wawp;
extern const VendorCase *const fx_vendors[]; /* NULL-terminated */

WagEmu *fx_emu(const VendorCase *vc);
void fx_assert_no_secret(const char *text);

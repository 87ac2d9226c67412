/* readout.h: everything the library's public calls tell about a config's stored data, as
 * text: its sessions (listing, states, balances, verify, report), their orders, cash
 * movements, journal entries, audit trails and metadata. Two readouts of the same data are
 * the same text whatever the store's layout, which is how a file migrated to a new schema
 * is shown to read back as it did (tests/storage/sqlite-migrate.c; the readout of the
 * committed release file was made by the release itself, tests/storage/data/README.md). */
#ifndef PSS_TEST_READOUT_H
#define PSS_TEST_READOUT_H

#include <possession.h>

#include "fixture.h"

/* Appends the readout of config_id's data to out; returns 0 or the first failing call's code
 * (which is also in the text). */
int readout_config(pss_ctx *ctx, const char *config_id, fix_text *out);

#endif

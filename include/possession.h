/* possession.h: the umbrella header of libpossession, point-of-sale session logic. */
#ifndef POSSESSION_H
#define POSSESSION_H

/** @file
 * @brief Includes the whole public API of libpossession. */

#include "possession/common.h"
#include "possession/ctx.h"
#include "possession/storage.h"
#include "possession/memstore.h"
#include "possession/money.h"
#include "possession/id.h"
#include "possession/config.h"
#include "possession/session.h"
#include "possession/order.h"
#include "possession/cash.h"
#include "possession/close.h"
#include "possession/report.h"
#include "possession/journal.h"
#include "possession/audit.h"
#include "possession/meta.h"
#include "possession/fiscal.h"

#endif

/* possession.h: the umbrella header of libpossession, point-of-sale session logic. */
#ifndef POSSESSION_H
#define POSSESSION_H

/** @file
 * @brief Includes the whole public API of libpossession. */

#include "possession/common.h"
#include "possession/ctx.h"
#include "possession/storage.h"
#include "possession/memstore.h"

#endif

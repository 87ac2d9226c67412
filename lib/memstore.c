/* memstore.c: placeholder */
#include "internal.h"

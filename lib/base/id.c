/* id.c: UUID ids through libuuid, always handled as canonical lower-case text. */
#include "possession/id.h"

#include <stdbool.h>
#include <string.h>
#include <uuid/uuid.h>

int pss_id_generate(char out[PSS_ID_SIZE])
{
    if (!out)
        return PSS_EINVAL;
    uuid_t raw;
    uuid_generate_random(raw);
    uuid_unparse_lower(raw, out);
    return 0;
}

/* Whether 36 bytes are already a UUID's canonical lower-case text: hex digits with dashes at
 * 8, 13, 18 and 23. */
static bool canonical(const char *text)
{
    for (int i = 0; i < PSS_ID_SIZE - 1; i++) {
        char c = text[i];
        bool ok = i == 8 || i == 13 || i == 18 || i == 23
                      ? c == '-'
                      : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (!ok)
            return false;
    }
    return true;
}

int pss_id_normalize(const char *text, char out[PSS_ID_SIZE])
{
    if (!text || !out || strlen(text) != PSS_ID_SIZE - 1)
        return PSS_EINVAL;
    /* Ids nearly always arrive canonical (ours, and most hosts'): for those, checking and
     * copying gives what parsing and unparsing give, at a tenth of the cost of libuuid's
     * parse (bench/README.md). Every other spelling goes through libuuid. */
    if (canonical(text)) {
        memcpy(out, text, PSS_ID_SIZE);
        return 0;
    }
    uuid_t raw;
    if (uuid_parse(text, raw) != 0)
        return PSS_EINVAL;
    uuid_unparse_lower(raw, out);
    return 0;
}

/* id.c: UUID ids through libuuid, always handled as canonical lower-case text. */
#include "possession/id.h"

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

int pss_id_normalize(const char *text, char out[PSS_ID_SIZE])
{
    if (!text || !out || strlen(text) != PSS_ID_SIZE - 1)
        return PSS_EINVAL;
    uuid_t raw;
    if (uuid_parse(text, raw) != 0)
        return PSS_EINVAL;
    uuid_unparse_lower(raw, out);
    return 0;
}

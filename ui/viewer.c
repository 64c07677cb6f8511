/* Placeholder until the viewer lands: opens nothing. */
#include "viewer.h"

#include <stdio.h>

struct viewer *viewer_open(int shmid, bool color, char *err, size_t errlen)
{
    (void)color;
    snprintf(err, errlen, "shm %d: the segment viewer is not built yet", shmid);
    return NULL;
}

void viewer_close(struct viewer *v)
{
    (void)v;
}

void viewer_refresh(struct viewer *v)
{
    (void)v;
}

unsigned viewer_key(struct viewer *v, int key, bool is_key_code, bool *close)
{
    (void)v;
    (void)key;
    (void)is_key_code;
    *close = true;
    return 1;
}

void viewer_draw(struct viewer *v, int y0, int height)
{
    (void)v;
    (void)y0;
    (void)height;
}

const char *viewer_message(struct viewer *v, bool *error)
{
    (void)v;
    *error = false;
    return NULL;
}

bool viewer_prompting(const struct viewer *v, int *y, int *x)
{
    (void)v;
    *y = *x = 0;
    return false;
}

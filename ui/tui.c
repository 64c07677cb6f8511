#include "tui.h"

#include <stdio.h>

int tui_run(const struct options *o)
{
    (void)o;
    fprintf(stderr, "ipctop: the interactive monitor is not built yet; use -b or --json\n");
    return 1;
}

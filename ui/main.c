/* ipctop's entry point: parse the command line, run the mode it asks for. */
#include "options.h"
#include "reap.h"
#include "dump.h"
#include "run.h"
#include "tui.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    struct options o;
    char err[512];
    switch (options_parse(argc, argv, &o, err, sizeof err)) {
    case OPT_HELP: fputs(options_usage(), stdout); return 0;
    case OPT_VERSION: printf("ipctop %s\n", IPCTOP_VERSION); return 0;
    case OPT_ERROR: fprintf(stderr, "ipctop: %s\n", err); return 2;
    case OPT_RUN: break;
    }
    switch (o.mode) {
    case MODE_BATCH: return run_batch(&o);
    case MODE_JSON: return run_json(&o);
    case MODE_LIMITS: return run_limits(&o);
    case MODE_REAP: return run_reap(&o);
    case MODE_DUMP: return run_dump(&o);
    case MODE_PEEK: return run_peek(&o);
    case MODE_TUI: break;
    }
    return tui_run(&o);
}

/* ipctop's entry point: parse the command line, run the mode it asks for. */
#include "options.h"
#include "reap.h"
#include "dump.h"
#include "output.h"
#include "run.h"
#include "tui.h"

#include <malloc.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    struct options o;
    char err[512];
    enum options_result r = options_parse(argc, argv, &o, err, sizeof err);
    if (r == OPT_ERROR) {
        fprintf(stderr, "ipctop: %s\n", err);
        return 2;
    }
    /* Every refresh builds arrays of the same large sizes (the diff, the verdicts, who uses
     * what: megabytes at 96,000 objects) and frees the previous refresh's. glibc would give
     * that memory back to the kernel and take it again, a page fault for every page, every
     * second (a quarter of the model's time): modes that refresh again and again keep it
     * instead (fixed thresholds also stop glibc's own adjusting of them). A single frame
     * does not: there the arrays it frees make room for the output's (peak RSS of
     * `-b -n 1` at 96,000 objects: 37 MB with the thresholds, 28 MB without). */
    if (r == OPT_RUN && options_repeats(&o)) {
        mallopt(M_MMAP_THRESHOLD, 32 << 20); /* the largest glibc takes */
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    }
    /* every mode but the monitor writes to stdout, and checks every write (out_finish) */
    if (r != OPT_RUN || o.mode != MODE_TUI) {
        if (!out_stdout_open()) return 1;
        out_stdout_init();
    }
    if (r == OPT_HELP) {
        fputs(options_usage(), stdout);
        return out_finish(stdout, 0);
    }
    if (r == OPT_VERSION) {
        printf("ipctop %s\n", IPCTOP_VERSION);
        return out_finish(stdout, 0);
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

/*
 * reap — `ipctop --reap`: removes the leak candidates that match the filters, each with
 * compare-and-remove, one line (or JSON record) per object. For scripts and cron.
 *
 * "Possibly leaked" objects (something needed for the verdict could not be seen) are
 * listed but never removed. Exit status: 0 when every removal attempted succeeded (an
 * object already gone counts as done) or nothing matched, 1 when any failed.
 */
#ifndef IPCTOP_REAP_H
#define IPCTOP_REAP_H

#include "options.h"

int run_reap(const struct options *o);

#endif

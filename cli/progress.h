/*
 * A progress line for long commands: "LABEL: done / total UNIT, rate UNIT/s,
 * M:SS left", redrawn in place on standard error at most four times a second.
 *
 * It is shown only when standard error is a terminal (or PUHUI_PROGRESS=1,
 * which the tests use to see it through a pipe); otherwise every call is a
 * no-op, so scripts and logs stay clean. The meter is safe to call from the
 * library's progress callbacks, which run on the calling thread.
 */
#ifndef PUHUI_CLI_PROGRESS_H
#define PUHUI_CLI_PROGRESS_H

#include <stdint.h>

#include "cli.h"

typedef struct ph_cli_progress ph_cli_progress;

/* A meter labelled LABEL counting UNIT ("rows", "firms", ...; "bytes" is
 * shown in MiB with one decimal). NULL (and no
 * output ever) when standard error is not a terminal or out of memory: every
 * function below accepts NULL. */
ph_cli_progress *ph_cli_progress_start(ph_cli *cli, const char *label, const char *unit);

/* Report `done` of `total` (total 0: unknown, no time left shown). Redraws
 * when a quarter second has passed since the last redraw. */
void ph_cli_progress_update(ph_cli_progress *p, uint64_t done, uint64_t total);

/* The library's progress callbacks (void *user, done, total) with the meter
 * as `user`. */
void ph_cli_progress_cb(void *meter, uint64_t done, uint64_t total);

/* Draw the final state and end the line; frees the meter. */
void ph_cli_progress_finish(ph_cli_progress *p);

#endif

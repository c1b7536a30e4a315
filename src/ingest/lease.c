/*
 * The lease on a running file: which run loads it (the ingest_run id, the
 * process id and the host) and when it last showed signs of life (the
 * heartbeat, renewed at each batch commit). Two runs on one database (two
 * `puhui ingest` processes, or two ph_ingest objects of one process, e.g.
 * an embedding server) must not load the same file: the second would
 * "resume" rows the first is still writing and both would report the full
 * counts. A run releases its leases when it ends, failed or not (its
 * unfinished files stay 'running'). A running record is therefore resumed
 * only when its holder is gone:
 *   - no lease (released by a run that ended, or written before schema
 *     version 9);
 *   - the heartbeat is more than lease_stale_seconds old (a host that
 *     died, a process id reused after a crash), or as far in the future (a
 *     host whose clock ran ahead, then crashed: otherwise never stale);
 *   - on this host, when its process no longer exists (a crash or a kill).
 * A run recognises its own leases by the run id, never by the process id:
 * another run of this very process holds its lease like any other.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest_internal.h"

void ing_lease_self(ing_lease *self, int64_t run_id)
{
    memset(self, 0, sizeof(*self));
    self->pid = (int64_t)getpid();
    if (gethostname(self->host, sizeof(self->host) - 1) != 0)
        snprintf(self->host, sizeof(self->host), "unknown");
    self->heartbeat = (int64_t)time(NULL);
    self->run_id = run_id;
}

static int process_exists(int64_t pid)
{
    if (pid <= 0 || (int64_t)(pid_t)pid != pid)
        return 0;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int ing_lease_live(const ing_lease *holder, const ing_lease *self, int64_t stale_seconds)
{
    if (holder->pid == 0)
        return 0; /* no lease recorded, or released */
    if (holder->run_id == self->run_id)
        return 0; /* this run's own */
    int64_t age = self->heartbeat - holder->heartbeat;
    if (age > stale_seconds || -age > stale_seconds)
        return 0; /* too old, or from a clock far ahead */
    if (strcmp(holder->host, self->host) != 0)
        return 1; /* another host, heartbeat fresh */
    return process_exists(holder->pid); /* this process too: another run of it */
}

void ing_lease_describe(const ing_lease *holder, const ing_lease *self, char *out, size_t size)
{
    int64_t age = self->heartbeat - holder->heartbeat;
    snprintf(out, size, "run %lld, process %lld on host %s (last heartbeat %llds %s)",
             (long long)holder->run_id, (long long)holder->pid, holder->host,
             (long long)(age < 0 ? -age : age), age < 0 ? "in the future" : "ago");
}

ph_status ing_lease_release(ph_store *store, int64_t run_id, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "UPDATE ingest_file SET lease_pid = NULL, lease_host = NULL, "
                                    "lease_heartbeat = NULL WHERE run_id = ? AND state = 'running'",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, run_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/*
 * The lease on a running file: who loads it (process id and host) and when
 * it last showed signs of life (the heartbeat, renewed at each batch
 * commit). Two `puhui ingest` processes on one database must not load the
 * same file: the second would "resume" rows the first is still writing and
 * both would report the full counts. A running record is therefore resumed
 * only when its holder is gone:
 *   - on this host, when its process no longer exists (a crash or a kill),
 *     or when it is this very process (an earlier run of it that failed);
 *   - on any host, when the heartbeat is older than lease_stale_seconds
 *     (a host that died, or a process id reused after a crash);
 *   - a record without a lease (written before schema version 9).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest_internal.h"

void ing_lease_self(ing_lease *self)
{
    memset(self, 0, sizeof(*self));
    self->pid = (int64_t)getpid();
    if (gethostname(self->host, sizeof(self->host) - 1) != 0)
        snprintf(self->host, sizeof(self->host), "unknown");
    self->heartbeat = (int64_t)time(NULL);
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
        return 0; /* no lease recorded */
    if (self->heartbeat - holder->heartbeat > stale_seconds)
        return 0;
    if (strcmp(holder->host, self->host) != 0)
        return 1; /* another host, heartbeat fresh */
    if (holder->pid == self->pid)
        return 0;
    return process_exists(holder->pid);
}

void ing_lease_describe(const ing_lease *holder, const ing_lease *self, char *out, size_t size)
{
    snprintf(out, size, "process %lld on host %s (last heartbeat %llds ago)",
             (long long)holder->pid, holder->host,
             (long long)(self->heartbeat - holder->heartbeat));
}

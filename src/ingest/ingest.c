/*
 * An ingestion run: options, the ingest_run record, the known firms, the
 * files in dependency order, and for each file its ingest_file record (a
 * new one, or the unfinished one of an interrupted run, resumed).
 */
#include <string.h>
#include <sys/stat.h>

#include "puhui/enterprise.h"
#include "puhui/schema.h"

#include "ingest/ingest_internal.h"

/* Per-connection settings for the run, and the defaults they replace. */
#define BULK_PRAGMAS                                                                         \
    "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; "                               \
    "PRAGMA wal_autocheckpoint = 65536;"
#define DEFAULT_PRAGMAS                                                                      \
    "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; "                               \
    "PRAGMA wal_autocheckpoint = 1000;"

/* The schema version that brought the leases and the quarantine's column
 * numbers (the feed tables and the ingestion record came with version 3). */
#define INGEST_SCHEMA 9

struct ph_ingest {
    const ph_ctx *ctx;
    ph_store *store;
    ph_ingest_options opts;
    char *command;
    char known_on_text[PH_DATE_FORMAT_MAX];
    ph_date known_on;
    int64_t run_id;
    int failed;
    ing_firm_set *firms;
    ing_lease self;           /* this run and process, for the leases it takes */
    ph_ingest_file_result *results;
    size_t result_count, result_cap;
    uint64_t bytes_done, bytes_total; /* of this ph_ingest_paths call's files (progress) */
};

void ph_ingest_options_init(ph_ingest_options *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->version = PH_INGEST_OPTIONS_VERSION;
    opts->batch_rows = PH_INGEST_DEFAULT_BATCH_ROWS;
    opts->threads = 2;
    opts->max_rejects = (uint64_t)ing_limit_default("max_rejects");
    opts->max_reject_share = ing_limit_default("max_reject_share");
}

/* "2025-03-01T08:30:00Z" by the context's clock */
static void utc_now(const ph_ctx *ctx, char out[32])
{
    if (ph_ctx_utc_now(ctx, out, NULL) != PH_OK)
        out[0] = '\0';
}

static ph_status check_options(const ph_ctx *ctx, const ph_ingest_options *o, ph_date *known_on,
                               ph_error *err)
{
    if (o->version != PH_INGEST_OPTIONS_VERSION)
        return ph_error_set(err, PH_EMISUSE, "version", NULL,
                            "ph_ingest_options must be set up with ph_ingest_options_init "
                            "(version %u expected, got %u)",
                            PH_INGEST_OPTIONS_VERSION, o->version);
    if (o->threads < 0 || o->threads > 2) {
        char shown[16];
        snprintf(shown, sizeof(shown), "%d", o->threads);
        return ph_error_set(err, PH_EINVAL, "threads", shown,
                            "expected 1 (one thread), 2 or 0 (a reader thread beside the writer)");
    }
    if (!(o->max_reject_share >= 0.0 && o->max_reject_share <= 1.0)) {
        char shown[32];
        snprintf(shown, sizeof(shown), "%g", o->max_reject_share);
        return ph_error_set(err, PH_EINVAL, "max_reject_share", shown,
                            "expected a share from 0 to 1 (1: no limit)");
    }
    if (o->known_on == NULL)
        return ph_ctx_today(ctx, known_on, err);
    size_t len = strlen(o->known_on);
    ph_error inner;
    if (len != 10 || ph_date_parse(o->known_on, len, known_on, &inner) != PH_OK)
        return ph_error_set(err, PH_EINVAL, "known_on", o->known_on,
                            "expected a date as YYYY-MM-DD");
    return PH_OK;
}

static ph_status known_enterprise(void *user, const char *uscc, ph_error *err)
{
    ph_ingest *ing = user;
    if (uscc == NULL || strlen(uscc) != 18)
        return PH_OK;
    return ing_firm_set_add(ing->firms, uscc, ING_KNOWN_ENTERPRISE, err);
}

/* Institutions identified by a USCC (core enterprises) are firms too. */
static ph_status known_institution(void *user, const char *id, const char *name,
                                   const char *kind, ph_error *err)
{
    (void)name;
    (void)kind;
    ph_ingest *ing = user;
    if (id == NULL || strlen(id) != 18)
        return PH_OK;
    return ing_firm_set_add(ing->firms, id, ING_KNOWN_INSTITUTION, err);
}

/* Load the registered enterprises and known institutions. */
static ph_status load_firms(ph_ingest *ing, ph_error *err)
{
    ph_status st = ing_firm_set_new(ing->ctx, &ing->firms, err);
    if (st == PH_OK)
        st = ph_enterprise_each(ing->store, known_enterprise, ing, err);
    if (st == PH_OK)
        st = ph_institution_each(ing->store, known_institution, ing, err);
    return st;
}

static ph_status start_run(ph_ingest *ing, ph_error *err)
{
    char now[32];
    utc_now(ing->ctx, now);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(ing->store,
                                    "INSERT INTO ingest_run (started_at, known_on, command) "
                                    "VALUES (?, ?, ?) RETURNING id",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, ing->known_on_text, -1, err);
    if (st == PH_OK)
        st = ing->command ? ph_stmt_bind_text(s, 3, ing->command, -1, err)
                          : ph_stmt_bind_null(s, 3, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(s, &ing->run_id, err);
    ph_stmt_free(s);
    return st;
}

ph_status ph_ingest_new(ph_store *store, const ph_ingest_options *opts, ph_ingest **out,
                        ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ingest_new: store and out must not be NULL");
    ph_ingest_options o;
    ph_ingest_options_init(&o);
    if (opts != NULL)
        o = *opts;
    ph_date known_on;
    ph_status st = check_options(ph_store_ctx(store), &o, &known_on, err);
    if (st != PH_OK)
        return st;
    if (o.batch_rows == 0)
        o.batch_rows = PH_INGEST_DEFAULT_BATCH_ROWS;
    if (o.threads == 0)
        o.threads = 2;
    st = ph_store_require_schema(store, INGEST_SCHEMA, "ingestion", err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_ingest *ing = ph_calloc(ctx, 1, sizeof(*ing));
    if (ing == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ing->ctx = ctx;
    ing->store = store;
    ing->opts = o;
    ing->known_on = known_on;
    ing->opts.known_on = NULL;
    ing->opts.command = NULL;
    if (o.command != NULL && (ing->command = ph_strdup(ctx, o.command)) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = ph_date_format(known_on, ing->known_on_text, sizeof(ing->known_on_text), err);
    /* Bulk-load settings of this connection only, undone by ph_ingest_free:
     * a page cache of 64 MiB holds the parts of the feed tables' B-trees a
     * batch (sorted by key) writes to; a fixed size, so that memory stays
     * flat as the province grows (it was 256 MiB: the peak grew with the
     * database up to that size, 355 MB at 20,000 firms against 222 at 5,000);
     * temporary data stays in memory; the write-ahead log is copied back
     * into the database every 256 MiB rather than every 4 MiB, so a batch
     * commit seldom waits for a checkpoint (measured: a third faster). The
     * journal (WAL) and synchronous=NORMAL stay the store's, so a commit
     * that returned is as durable as any other. */
    if (st == PH_OK)
        st = ph_store_exec(store, BULK_PRAGMAS, err);
    if (st == PH_OK)
        st = load_firms(ing, err);
    if (st == PH_OK)
        st = start_run(ing, err);
    if (st != PH_OK) {
        ing->failed = 1;
        ing->run_id = 0;
        ph_ingest_free(ing);
        return st;
    }
    *out = ing;
    return PH_OK;
}

void ph_ingest_free(ph_ingest *ing)
{
    if (ing == NULL)
        return;
    if (!ing->failed && ing->run_id != 0) {
        char now[32];
        utc_now(ing->ctx, now);
        ph_stmt *s = NULL;
        if (ph_store_prepare(ing->store, "UPDATE ingest_run SET finished_at = ? WHERE id = ?",
                             &s, NULL) == PH_OK &&
            ph_stmt_bind_text(s, 1, now, -1, NULL) == PH_OK &&
            ph_stmt_bind_int64(s, 2, ing->run_id, NULL) == PH_OK)
            (void)ph_stmt_step(s, NULL);
        ph_stmt_free(s);
    }
    if (ing->failed && ing->run_id != 0)
        (void)ing_lease_release(ing->store, ing->run_id, NULL); /* again, if it failed then */
    (void)ph_store_exec(ing->store, DEFAULT_PRAGMAS, NULL);
    for (size_t i = 0; i < ing->result_count; i++) {
        ph_free(ing->ctx, (char *)ing->results[i].path);
        ph_free(ing->ctx, (char *)ing->results[i].note);
    }
    ph_free(ing->ctx, ing->results);
    ing_firm_set_free(ing->firms);
    ph_free(ing->ctx, ing->command);
    ph_free(ing->ctx, ing);
}

size_t ph_ingest_result_count(const ph_ingest *ing)
{
    return ing != NULL ? ing->result_count : 0;
}

const ph_ingest_file_result *ph_ingest_result_at(const ph_ingest *ing, size_t index)
{
    return ing != NULL && index < ing->result_count ? &ing->results[index] : NULL;
}

int64_t ph_ingest_run_id(const ph_ingest *ing)
{
    return ing != NULL ? ing->run_id : 0;
}

const char *ph_ingest_known_on(const ph_ingest *ing)
{
    return ing != NULL ? ing->known_on_text : NULL;
}

/* --- the ingest_file record ---------------------------------------------------------- */

/* What the run knows about one of its files before reading it. */
typedef struct planned_file {
    int64_t file_id;
    int resumed;
    int skipped;             /* a live run holds it: not read */
    char *note;              /* for the result: why skipped, or what was rolled back */
    ph_ingest_counts counts; /* committed by an interrupted run */
} planned_file;

static int claimed(const planned_file *plan, size_t count, int64_t id)
{
    for (size_t i = 0; i < count; i++)
        if (plan[i].file_id == id)
            return 1;
    return 0;
}

static ph_status set_note(ph_ingest *ing, planned_file *p, const char *text, ph_error *err)
{
    ph_free(ing->ctx, p->note);
    p->note = ph_strdup(ing->ctx, text);
    return p->note != NULL ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

/* An unfinished record of another version of the file, left by a crashed
 * run: what it had committed is taken back and it ends 'failed', so the
 * new version is loaded afresh and nothing of the old one is left behind
 * unreported. */
static ph_status undo_replaced(ph_ingest *ing, const ing_input *in, planned_file *p,
                               int64_t old_id, const char *old_checksum, ph_error *err)
{
    int64_t removed = 0;
    ph_status st = ing_rollback_file(ing->store, in->feed, old_id, &removed, err);
    char outcome[512];
    snprintf(outcome, sizeof(outcome),
             "replaced: the file changed after an interrupted ingestion (checksum %s, now %s); "
             "the %lld rows it had committed were rolled back",
             old_checksum, in->checksum, (long long)removed);
    if (st == PH_OK)
        st = ing_file_fail(ing->store, old_id, outcome, err);
    if (st == PH_OK) {
        char note[600];
        snprintf(note, sizeof(note), "ingest_file %lld %s", (long long)old_id, outcome);
        st = set_note(ing, p, note, err);
    }
    return st;
}

/* A running record of the file's path found in ingest_file. */
typedef struct running_record {
    int64_t id;
    char checksum[80];
    ph_ingest_counts counts;
    ing_lease holder;
} running_record;

static ph_status running_records(ph_ingest *ing, const ing_input *in, running_record **out,
                                 size_t *count, ph_error *err)
{
    ph_stmt *s = NULL;
    size_t cap = 0;
    *out = NULL;
    *count = 0;
    ph_status st = ph_store_prepare(ing->store,
                                    "SELECT id, checksum, rows_read, accepted, unchanged, "
                                    "superseded, rejected, lease_pid, lease_host, "
                                    "lease_heartbeat, run_id FROM ingest_file WHERE path = ? AND feed = ? "
                                    "AND state = 'running' ORDER BY id",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, in->stored_path, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, in->feed->name, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 4;
            running_record *grown = ph_realloc(ing->ctx, *out, cap * sizeof(*grown));
            if (grown == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            *out = grown;
        }
        running_record *r = &(*out)[(*count)++];
        memset(r, 0, sizeof(*r));
        r->id = ph_stmt_column_int64(s, 0);
        const char *checksum = ph_stmt_column_text(s, 1);
        snprintf(r->checksum, sizeof(r->checksum), "%s", checksum ? checksum : "");
        uint64_t *fields[] = {&r->counts.rows, &r->counts.accepted, &r->counts.unchanged,
                              &r->counts.superseded, &r->counts.rejected};
        for (int i = 0; i < 5; i++)
            *fields[i] = (uint64_t)ph_stmt_column_int64(s, i + 2);
        r->holder.pid = ph_stmt_column_int64(s, 7);
        const char *host = ph_stmt_column_text(s, 8);
        snprintf(r->holder.host, sizeof(r->holder.host), "%s", host ? host : "");
        r->holder.heartbeat = ph_stmt_column_int64(s, 9);
        r->holder.run_id = ph_stmt_column_int64(s, 10);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/*
 * What to do with the file, from the running records of its path: skip it
 * when a live run holds any of them (lease.c); otherwise resume the first
 * unclaimed one with the same checksum, and roll back those of another
 * checksum (the file was replaced after a crash). *file_id 0: start afresh.
 */
static ph_status find_unfinished(ph_ingest *ing, const ing_input *in, planned_file *plan,
                                 size_t planned, ph_error *err)
{
    planned_file *p = &plan[planned];
    running_record *records = NULL;
    size_t count = 0;
    int64_t stale_after = (int64_t)ing_limit_default("lease_stale_seconds");
    ph_status st = running_records(ing, in, &records, &count, err);
    for (size_t i = 0; st == PH_OK && i < count; i++) {
        if (claimed(plan, planned, records[i].id) ||
            !ing_lease_live(&records[i].holder, &ing->self, stale_after))
            continue;
        char holder[400], note[600];
        ing_lease_describe(&records[i].holder, &ing->self, holder, sizeof(holder));
        snprintf(note, sizeof(note),
                 "skipped: another run is ingesting this file (ingest_file %lld, %s); run the "
                 "command again when it has finished",
                 (long long)records[i].id, holder);
        p->skipped = 1;
        st = set_note(ing, p, note, err);
        break;
    }
    for (size_t i = 0; st == PH_OK && !p->skipped && i < count; i++) {
        const running_record *r = &records[i];
        if (claimed(plan, planned, r->id))
            continue;
        if (strcmp(r->checksum, in->checksum) != 0) {
            st = undo_replaced(ing, in, p, r->id, r->checksum, err);
        } else if (p->file_id == 0) {
            p->file_id = r->id;
            p->counts = r->counts;
        }
    }
    ph_free(ing->ctx, records);
    return st;
}

static ph_status exec_bound(ph_ingest *ing, const char *sql, const char *const *texts,
                            size_t ntexts, const int64_t *ints, size_t nints, int64_t *returned,
                            ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(ing->store, sql, &s, err);
    for (size_t i = 0; st == PH_OK && i < ntexts; i++)
        st = ph_stmt_bind_text(s, (int)i + 1, texts[i], -1, err);
    for (size_t i = 0; st == PH_OK && i < nints; i++)
        st = ph_stmt_bind_int64(s, (int)(ntexts + i) + 1, ints[i], err);
    if (st == PH_OK)
        st = returned != NULL ? ph_stmt_step_id(s, returned, err) : ph_stmt_step(s, err);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

static const char *format_name(ing_format f)
{
    return f == ING_JSONL ? "jsonl" : "csv";
}

/* Take the file's record (resumed or new) under this run's lease. */
static ph_status open_file_record(ph_ingest *ing, const ing_input *in, planned_file *plan,
                                  size_t planned, ph_error *err)
{
    planned_file *p = &plan[planned];
    int64_t *file_id = &p->file_id;
    ph_status st = find_unfinished(ing, in, plan, planned, err);
    if (st != PH_OK || p->skipped)
        return st;
    p->resumed = *file_id != 0;
    if (p->resumed) {
        const char *texts[] = {ing->self.host};
        const int64_t ints[] = {ing->run_id, ing->self.pid, ing->self.heartbeat, *file_id};
        return exec_bound(ing,
                          "UPDATE ingest_file SET lease_host = ?, run_id = ?, lease_pid = ?, "
                          "lease_heartbeat = ? WHERE id = ?",
                          texts, 1, ints, 4, NULL, err);
    }
    char now[32];
    utc_now(ing->ctx, now);
    const char *texts[] = {in->feed->name, in->stored_path, format_name(in->format), in->checksum,
                           now, ing->self.host};
    const int64_t ints[] = {ing->run_id, ing->self.pid, ing->self.heartbeat};
    return exec_bound(ing,
                      "INSERT INTO ingest_file (feed, path, format, checksum, started_at, "
                      "lease_host, state, run_id, lease_pid, lease_heartbeat) VALUES (?, ?, ?, ?, "
                      "?, ?, 'running', ?, ?, ?) RETURNING id",
                      texts, 6, ints, 3, file_id, err);
}

static ph_status add_result(ph_ingest *ing, const ing_input *in, planned_file *plan,
                            const ph_ingest_counts *counts, ph_error *err)
{
    if (ing->result_count == ing->result_cap) {
        size_t cap = ing->result_cap ? ing->result_cap * 2 : 8;
        ph_ingest_file_result *grown = ph_realloc(ing->ctx, ing->results, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        ing->results = grown;
        ing->result_cap = cap;
    }
    char *path = ph_strdup(ing->ctx, in->stored_path);
    if (path == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ing->results[ing->result_count++] =
        (ph_ingest_file_result){plan->file_id, in->feed->name, path, format_name(in->format),
                                plan->resumed, *counts, plan->skipped, plan->note};
    plan->note = NULL; /* the result owns it now */
    return PH_OK;
}

/*
 * Every file of the run gets its ingest_file record (a new one, or the
 * unfinished one it resumes) before any is read, in one transaction: a run
 * killed half-way leaves all its unfinished files 'running', so the next
 * run resumes each under its own id, and the stored rows' file_id are
 * those an uninterrupted run gives them. The transaction takes the write
 * lock at once, so two runs planning together see each other's leases.
 */
static ph_status plan_files(ph_ingest *ing, const ing_input *inputs, size_t n,
                            planned_file *plan, ph_error *err)
{
    ing_lease_self(&ing->self, ing->run_id);
    ph_status st = ph_store_begin(ing->store, err);
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = open_file_record(ing, &inputs[i], plan, i, err);
    if (st == PH_OK)
        st = ph_store_commit(ing->store, err);
    if (st != PH_OK)
        ph_store_rollback(ing->store, NULL);
    return st;
}

/* A file past the bad-row limits: take back its earlier batches and record
 * why, in one transaction. `why` is the refusal, returned to the caller. */
static ph_status refuse_file(ph_ingest *ing, const ing_input *in, const planned_file *plan,
                             const ph_error *why, ph_error *err)
{
    ph_error inner;
    ph_status st = ph_store_begin(ing->store, &inner);
    if (st == PH_OK)
        st = ing_rollback_file(ing->store, in->feed, plan->file_id, NULL, &inner);
    if (st == PH_OK)
        st = ing_file_fail(ing->store, plan->file_id, why->detail, &inner);
    if (st == PH_OK)
        st = ph_store_commit(ing->store, &inner);
    if (st != PH_OK) {
        ph_store_rollback(ing->store, NULL);
        if (err != NULL)
            *err = inner;
        return st;
    }
    if (err != NULL)
        *err = *why;
    return why->code;
}

/* The size of a file in bytes, 0 when it cannot be read. */
static uint64_t file_size(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 ? (uint64_t)info.st_size : 0;
}

/* One more file is behind us (read, skipped or failed): tell the meter. */
static void file_passed(ph_ingest *ing, uint64_t size)
{
    ing->bytes_done += size;
    if (ing->opts.progress_bytes != NULL)
        ing->opts.progress_bytes(ing->opts.progress_user, ing->bytes_done, ing->bytes_total);
}

static ph_status ingest_one(ph_ingest *ing, const ing_input *in, planned_file *plan,
                            ph_error *err)
{
    ph_ingest_counts counts = plan->counts;
    uint64_t size = file_size(in->path);
    if (plan->skipped) {
        file_passed(ing, size);
        return add_result(ing, in, plan, &counts, err);
    }
    ing_source *src = NULL;
    ph_status st = ing_source_open(ing->ctx, in->path, in->format, in->feed, &src, err);
    int refused = 0;
    if (st == PH_OK) {
        /* rows of the biggest feeds take at least about 32 bytes */
        uint64_t expected = size / 32;
        ing_file_job job = {ing->store,        in,
                            src,               ing->firms,
                            ing->known_on,     plan->file_id,
                            counts.rows,       expected,
                            ing->opts.batch_rows, ing->opts.threads,
                            &counts,           {ing->opts.max_rejects, ing->opts.max_reject_share},
                            &refused,          ing->opts.progress,
                            ing->opts.progress_user, ing->bytes_done,
                            ing->bytes_total,  ing->opts.progress_bytes};
        ph_error why; /* the refusal must be rolled back even when err is NULL */
        ph_error_clear(&why);
        st = ing_pipeline_run(&job, &why);
        if (st != PH_OK && refused) {
            ph_error_locate(&why, in->stored_path, 0, 0);
            st = refuse_file(ing, in, plan, &why, err);
        } else if (st != PH_OK && err != NULL) {
            *err = why;
        }
    }
    ing_source_free(src);
    if (st == PH_OK) {
        char now[32];
        utc_now(ing->ctx, now);
        const char *texts[] = {now};
        const int64_t ints[] = {plan->file_id};
        st = exec_bound(ing, "UPDATE ingest_file SET state = 'done', finished_at = ? WHERE id = ?",
                        texts, 1, ints, 1, NULL, err);
    }
    if (st == PH_OK)
        st = add_result(ing, in, plan, &counts, err);
    if (st == PH_OK)
        file_passed(ing, size);
    return st;
}

/* Open every file and check its header before anything is recorded. */
static ph_status check_headers(ph_ingest *ing, const ing_input *inputs, size_t n, ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        /* a feed added to the catalog after the feed tables came (version
         * 3) needs the migration that made its tables */
        char what[96];
        snprintf(what, sizeof(what), "the feed %s", inputs[i].feed->name);
        st = ph_store_require_schema(ing->store, ph_schema_feed_version(inputs[i].feed), what,
                                     err);
        if (st != PH_OK) {
            ph_error_locate(err, inputs[i].path, 0, 0);
            break;
        }
        ing_source *src = NULL;
        st = ing_source_open(ing->ctx, inputs[i].path, inputs[i].format, inputs[i].feed, &src,
                             err);
        ing_source_free(src);
    }
    return st;
}

/* --- the paths --------------------------------------------------------------------------- */

/* Registration first (every other feed names its firms), then reference
 * data (lenders and core enterprises are named by credit and supply-chain
 * rows), then the rest. */
static int dependency_rank(const ph_feed *feed)
{
    if (strcmp(feed->name, "registration") == 0)
        return 0;
    return feed->area == PH_FEED_AREA_REFERENCE ? 1 : 2;
}

static void order_inputs(ing_input *inputs, size_t count)
{
    for (size_t i = 1; i < count; i++) { /* insertion sort: stable, and lists are short */
        ing_input in = inputs[i];
        size_t j = i;
        while (j > 0 && dependency_rank(inputs[j - 1].feed) > dependency_rank(in.feed)) {
            inputs[j] = inputs[j - 1];
            j--;
        }
        inputs[j] = in;
    }
}

ph_status ph_ingest_paths(ph_ingest *ing, const char *const *paths, size_t count, ph_error *err)
{
    if (ing == NULL || (paths == NULL && count > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ingest_paths: ing and paths must not be NULL");
    ing_input *inputs = NULL;
    size_t n = 0, cap = 0;
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < count; i++) {
        struct stat info;
        if (paths[i] == NULL) {
            st = ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_ingest_paths: paths[%zu] is NULL",
                              i);
        } else if (stat(paths[i], &info) != 0) {
            st = ph_error_set(err, PH_EIO, "path", paths[i],
                              "cannot read it: no such file or directory");
        } else if (S_ISDIR(info.st_mode)) {
            st = ing_manifest_inputs(ing->ctx, paths[i], &inputs, &n, &cap, err);
        } else {
            if (n == cap) {
                size_t grown_cap = cap ? cap * 2 : 16;
                ing_input *grown = ph_realloc(ing->ctx, inputs, grown_cap * sizeof(*grown));
                if (grown == NULL) {
                    st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                    break;
                }
                inputs = grown;
                cap = grown_cap;
            }
            st = ing_input_for_file(ing->ctx, paths[i], &inputs[n], err);
            if (st == PH_OK)
                n++;
        }
    }
    if (st == PH_OK)
        order_inputs(inputs, n);
    ing->bytes_done = ing->bytes_total = 0;
    for (size_t i = 0; st == PH_OK && i < n; i++)
        ing->bytes_total += file_size(inputs[i].path);
    if (st == PH_OK)
        st = check_headers(ing, inputs, n, err);
    planned_file *plan = NULL;
    if (st == PH_OK && n > 0 && (plan = ph_calloc(ing->ctx, n, sizeof(*plan))) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    int plan_made = 0;
    if (st == PH_OK) {
        st = plan_files(ing, inputs, n, plan, err);
        plan_made = 1;
    }
    size_t first_result = ing->result_count;
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = ingest_one(ing, &inputs[i], &plan[i], err);
    /* the other files are done: now say the first one left to another run */
    for (size_t i = 0; st == PH_OK && i < n; i++)
        if (plan[i].skipped) {
            const ph_ingest_file_result *r = &ing->results[first_result + i];
            st = ph_error_set(err, PH_EBUSY, NULL, NULL, "%s", r->note);
            ph_error_locate(err, r->path, 0, 0);
        }
    for (size_t i = 0; plan != NULL && i < n; i++)
        ph_free(ing->ctx, plan[i].note);
    ph_free(ing->ctx, plan);
    for (size_t i = 0; i < n; i++)
        ing_input_clear(ing->ctx, &inputs[i]);
    ph_free(ing->ctx, inputs);
    /* The run has ended: what it left unfinished is free for the next run
     * at once (a lease kept would block another run of this process until
     * it went stale). */
    if (plan_made && ing->run_id != 0) {
        ph_error lease_err;
        ph_status released = ing_lease_release(ing->store, ing->run_id, &lease_err);
        if (st == PH_OK && released != PH_OK) {
            st = released;
            if (err != NULL)
                *err = lease_err;
        }
    }
    if (st != PH_OK)
        ing->failed = 1;
    return st;
}

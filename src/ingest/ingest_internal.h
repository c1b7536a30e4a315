/*
 * Ingestion's private parts, shared by the files of src/ingest:
 *   reason.c    the reject reasons and how a field error maps to one
 *   hash.c      the 64-bit hashes, the set of known firms, the key set
 *   jsonl.c     reading a JSON Lines object into the catalog's fields
 *   source.c    one record at a time from a CSV or JSONL file
 *   check.c     checking and converting a record into a batch
 *   batch.c     the batch of checked rows handed from reader to writer
 *   writer.c    applying a batch to the database
 *   manifest.c  a generated directory: its manifest and checksums
 *   pipeline.c  one file: reader thread, queue, writer
 *   ingest.c    the run: options, files in order, results
 *   rejected.c  listing the quarantine
 *   limits.c    the bad-row limits past which a file is refused
 *   lease.c     the lease on a running file: whose it is, whether it is live
 *   rollback.c  taking back what one file committed
 */
#ifndef PH_INGEST_INTERNAL_H
#define PH_INGEST_INTERNAL_H

#include "puhui/date.h"
#include "puhui/feed.h"
#include "puhui/ingest.h"
#include "puhui/store.h"

#include <stddef.h>
#include <stdint.h>

/* --- hash.c ---------------------------------------------------------------- */

/* A fast 64-bit hash of bytes (not cryptographic), seeded. */
uint64_t ing_hash_bytes(const void *data, size_t len, uint64_t seed);
/* Mix one 64-bit word into a running hash. */
uint64_t ing_hash_mix(uint64_t h, uint64_t word);

/* What a USCC names, as bits of the known-firm set. */
#define ING_KNOWN_ENTERPRISE 0x1u
#define ING_KNOWN_INSTITUTION 0x2u

/* The set of registered enterprises and known institutions, by their
 * 18-character code (open addressing, grows at 50% load). */
typedef struct ing_firm_set ing_firm_set;

ph_status ing_firm_set_new(const ph_ctx *ctx, ing_firm_set **out, ph_error *err);
void ing_firm_set_free(ing_firm_set *set);
/* Add kinds to `code` (18 bytes). */
ph_status ing_firm_set_add(ing_firm_set *set, const char *code, unsigned kinds, ph_error *err);
/* The kinds known for `code` (18 bytes); 0 when unknown. */
unsigned ing_firm_set_kinds(const ing_firm_set *set, const char *code);

/* The natural keys seen in one file: an 88-bit fingerprint of the key's
 * values and the line that had it first. Two different keys share a
 * fingerprint with probability about n^2 / 2^89: never in practice.
 * `expected` keys (0: unknown) size the table up front. */
typedef struct ing_key_set ing_key_set;

ph_status ing_key_set_new(const ph_ctx *ctx, uint64_t expected, ing_key_set **out,
                          ph_error *err);
void ing_key_set_free(ing_key_set *set);
/* Insert the key (h1, h2) first seen at `line`. *first_line receives 0 when
 * it is new, else the line that had it first (and nothing is inserted). */
ph_status ing_key_set_insert(ing_key_set *set, uint64_t h1, uint64_t h2, uint64_t line,
                             uint64_t *first_line, ph_error *err);

/* --- reason.c --------------------------------------------------------------- */

/* The reason for a field that ph_feed_check_field refused. */
ph_reject_reason ing_reason_of_field(const ph_feed_column *col, size_t len);

/* --- batch.c ---------------------------------------------------------------- */

typedef enum ing_kind { ING_NULL = 0, ING_INT, ING_REAL, ING_TEXT } ing_kind;

/* One stored column's value. Text lives in the batch's arena. */
typedef struct ing_value {
    uint8_t kind;
    size_t len;    /* ING_TEXT: bytes */
    union {
        int64_t i;
        double d;
        size_t off; /* ING_TEXT: offset in the arena */
    } u;
} ing_value;

/* A good row: its feed's column_count values start at values[first]. */
typedef struct ing_row {
    uint64_t line;
    int64_t hash;
    size_t first;
    ph_date known_on; /* from the time column; meaningless when has_time is 0 */
    int has_time;
} ing_row;

#define ING_NO_TEXT SIZE_MAX

/* A bad row: texts are arena offsets, ING_NO_TEXT for NULL. */
typedef struct ing_reject {
    uint64_t line;
    ph_reject_reason reason;
    int field_number; /* 1-based column of the field, 0 when none */
    size_t field, value, detail, raw;
} ing_reject;

typedef struct ing_batch {
    const ph_ctx *ctx;
    ing_row *rows;
    size_t row_count, row_cap;
    ing_value *values;
    size_t value_count, value_cap;
    ing_reject *rejects;
    size_t reject_count, reject_cap;
    char *text;
    size_t text_len, text_cap;
    uint64_t records;   /* input records this batch accounts for (rows + rejects) */
    uint64_t bytes_end; /* bytes of the file consumed when the batch was delivered */
    int last;           /* 1: the file ends with this batch */
    ph_status status;   /* not PH_OK: reading failed here (error in `error`) */
    int refused;        /* with status: the file is refused as a whole (rolled back) */
    ph_error error;
} ing_batch;

ing_batch *ing_batch_new(const ph_ctx *ctx);
void ing_batch_free(ing_batch *b);
void ing_batch_clear(ing_batch *b);
/* Append text to the arena; *off receives its offset. PH_ENOMEM. */
ph_status ing_batch_text(ing_batch *b, const char *s, size_t len, size_t *off, ph_error *err);
/* Room for one more row of `columns` values; returns the row, its values
 * zeroed, or NULL on PH_ENOMEM (err set). */
ing_row *ing_batch_add_row(ing_batch *b, size_t columns, ph_error *err);
/* Drop the last row added (it turned out bad). */
void ing_batch_drop_row(ing_batch *b, size_t columns);
ph_status ing_batch_add_reject(ing_batch *b, uint64_t line, ph_reject_reason reason,
                               int field_number, const char *field, const char *value, size_t value_len,
                               const char *detail, const char *raw, size_t raw_len,
                               ph_error *err);
/* Sort the good rows by the key columns (indexes key[0..nkey)), in the
 * order of the table's B-tree, so inserts walk the tree forwards. */
void ing_batch_sort(ing_batch *b, const int *key, size_t nkey);

/* --- text.c ------------------------------------------------------------------ */

/* A growing byte buffer. */
typedef struct ing_text {
    const ph_ctx *ctx;
    char *data;
    size_t len, cap;
} ing_text;

ph_status ing_text_reserve(ing_text *t, size_t more, ph_error *err);
void ing_text_free(ing_text *t);
/* Append the string s (kept NUL-terminated), unless *st already holds an
 * error; an allocation failure is left in *st. How the writer and rollback
 * build their SQL: one check of *st after the whole statement. */
void ing_text_add(ing_text *t, const char *s, ph_status *st, ph_error *err);
/* Append s[0..len), escaping every byte that is not part of well-formed
 * UTF-8, and control characters other than tab, as \xNN: the result is
 * always valid UTF-8 text. */
ph_status ing_text_escaped(ing_text *t, const char *s, size_t len, ph_error *err);
/* The record as a CSV line (quoted where needed), escaped as above: what a
 * quarantined row's `raw` holds. Replaces t's contents; NUL-terminated. */
ph_status ing_text_csv_line(ing_text *t, const char *const *fields, const size_t *lens,
                            size_t count, ph_error *err);

/* --- source.c --------------------------------------------------------------- */

typedef enum ing_format { ING_CSV, ING_JSONL } ing_format;

/* One record of the input. When bad is set the record could not be read as
 * fields: reason, field (may be NULL), value (may be NULL), detail say why;
 * raw is what the line held, when known (NULL otherwise). */
typedef struct ing_record {
    uint64_t line;
    int bad;
    ph_reject_reason reason;
    int field_number; /* 1-based column of `field`, 0 when none */
    const char *field;
    const char *value;
    size_t value_len;
    const char *detail;
    const char *raw;
    size_t raw_len;
    const char **fields;  /* column_count pointers, in catalog order */
    size_t *lens;
} ing_record;

typedef struct ing_source ing_source;

/* Open `path` as `format` holding `feed`, checking a CSV header against
 * the catalog: PH_EINVAL naming the missing, unexpected or misplaced column.
 * `source_name` names the file in errors. */
ph_status ing_source_open(const ph_ctx *ctx, const char *path, ing_format format,
                          const ph_feed *feed, ing_source **out, ph_error *err);
/* The fields of a good record as a CSV line (for its quarantine `raw`). */
ph_status ing_source_raw(ing_source *src, const ing_record *rec, const char **raw,
                         size_t *len, ph_error *err);
void ing_source_free(ing_source *src);
/* PH_OK with *rec filled (valid until the next call), PH_DONE at the end,
 * or a file-level error (I/O). */
ph_status ing_source_next(ing_source *src, ing_record *rec, ph_error *err);
/* 1 after ing_source_next failed because the file is refused as a whole
 * (a bad record that ran away: ing_limits_check_bad_record), not because
 * reading failed. */
int ing_source_refused(const ing_source *src);
/* Bytes of the file consumed by the records read so far (for progress). */
uint64_t ing_source_bytes(const ing_source *src);

/* --- jsonl.c ---------------------------------------------------------------- */

/* Parse one JSON line (no newline) into fields[column_count]/lens, in the
 * catalog's order: strings decoded into `scratch` (at least len bytes + 1
 * per column), numbers as their text, null or absent as empty. On a bad line
 * returns PH_EINVAL with *reason, err's field, value and detail set. */
ph_status ing_jsonl_parse(const ph_feed *feed, const char *line, size_t len, char *scratch,
                          const char **fields, size_t *lens, ph_reject_reason *reason,
                          ph_error *err);

/* --- check.c ---------------------------------------------------------------- */

typedef struct ing_checker ing_checker;

/* A checker of one feed's records, filling batches. `firms` is shared with
 * the run and updated as registration and reference rows are accepted.
 * `expected_rows` (0: unknown) sizes its key set. */
ph_status ing_checker_new(const ph_ctx *ctx, const ph_feed *feed, ing_firm_set *firms,
                          uint64_t expected_rows, ing_checker **out, ph_error *err);
void ing_checker_free(ing_checker *c);
/* Check one record; a good row is added to `b` (unless skip), a bad one as a
 * reject (unless skip). Skipped records (already committed by an
 * interrupted run) still register their keys and firms. Fails only on
 * PH_ENOMEM. When ing_checker_replay_needed says so afterwards, the record
 * was not checked: its key broke the file's grouping, and the checker now
 * needs every earlier record of the file passed again with skip set
 * before this one is checked again. */
ph_status ing_checker_record(ing_checker *c, const ing_record *rec, int skip, ing_batch *b,
                             ph_error *err);
/* 1 once after a record that needs the earlier ones replayed (above). */
int ing_checker_replay_needed(ing_checker *c);
/* The key columns' indexes. */
const int *ing_checker_key(const ing_checker *c, size_t *count);

/* --- limits.c --------------------------------------------------------------- */

typedef struct ing_limits {
    uint64_t max_rejects;     /* more bad rows than this: refused */
    double max_reject_share;  /* a larger share of bad records at the end: refused (for
                               * files of share_min_records records or more) */
} ing_limits;

/* A default from the table of limits ("max_rejects", "max_reject_share",
 * "share_min_records", "lease_stale_seconds"); 0 for an unknown name. */
double ing_limit_default(const char *name);
/* A bad record the CSV reader skipped (line where it starts, physical
 * lines it spans, whether it ran to the end of the file inside a quote
 * opened at quote_line): PH_EINVAL refusing the whole file when it ran to
 * the end inside the quote or spans more than bad_record_max_lines lines;
 * PH_OK otherwise. */
ph_status ing_limits_check_bad_record(const char *path, uint64_t line, uint64_t lines,
                                      int unclosed, uint64_t quote_line, ph_error *err);
/* PH_EINVAL with the refusal (naming path, the counts and the limit) when
 * `counts` are past a limit; the share is checked only `at_end`. */
ph_status ing_limits_check(const ing_limits *limits, const char *path,
                           const ph_ingest_counts *counts, int at_end, ph_error *err);

/* --- lease.c ---------------------------------------------------------------- */

typedef struct ing_lease {
    int64_t pid;       /* 0: no lease */
    char host[256];
    int64_t heartbeat; /* seconds since 1970, UTC */
    int64_t run_id;    /* the ingest_run holding it: identifies the run itself */
} ing_lease;

/* This process now, for run `run_id`. */
void ing_lease_self(ing_lease *self, int64_t run_id);
/* 1 when `holder` is a run that may still be loading its file. */
int ing_lease_live(const ing_lease *holder, const ing_lease *self, int64_t stale_seconds);
/* "process 123 on host h (last heartbeat 4s ago)". */
void ing_lease_describe(const ing_lease *holder, const ing_lease *self, char *out, size_t size);
/* Release every lease run `run_id` still holds (its unfinished files stay
 * 'running', resumable at once by any run). Outside a transaction. */
ph_status ing_lease_release(ph_store *store, int64_t run_id, ph_error *err);

/* --- rollback.c ------------------------------------------------------------- */

/* Inside the caller's transaction: delete the feed rows file_id wrote
 * (*rows_removed, may be NULL), put back the versions it superseded, and
 * delete its quarantine entries. */
ph_status ing_rollback_file(ph_store *store, const ph_feed *feed, int64_t file_id,
                            int64_t *rows_removed, ph_error *err);
/* Mark the record 'failed' with `outcome` and finished_at now. */
ph_status ing_file_fail(ph_store *store, int64_t file_id, const char *outcome, ph_error *err);

/* --- writer.c --------------------------------------------------------------- */

typedef struct ing_writer ing_writer;

ph_status ing_writer_new(ph_store *store, const ph_feed *feed, int64_t file_id, const char *path,
                         ph_date run_known_on, const ing_limits *limits, ing_writer **out,
                         ph_error *err);
void ing_writer_free(ing_writer *w);
/* Apply a batch in one transaction, together with `counts` (updated here)
 * and the progress and lease heartbeat in ingest_file. A batch that takes
 * the file past a limit is not committed: PH_EINVAL with the refusal, and
 * *refused set to 1. */
ph_status ing_writer_apply(ing_writer *w, const ing_batch *b, ph_ingest_counts *counts,
                           int *refused, ph_error *err);

/* --- manifest.c ------------------------------------------------------------- */

typedef struct ing_input {
    char *path;            /* as opened */
    char *stored_path;     /* absolute: in ingest_file and quarantine */
    const ph_feed *feed;
    ing_format format;
    char checksum[80];     /* "blake2b-256:..." */
} ing_input;

/* The BLAKE2b-256 checksum of a file, as "blake2b-256:<hex>". */
ph_status ing_file_checksum(const ph_ctx *ctx, const char *path, char out[80], ph_error *err);

/* The stored files a manifest lists under dir, checksums verified, appended
 * to *inputs (grown with ctx). */
ph_status ing_manifest_inputs(const ph_ctx *ctx, const char *dir, ing_input **inputs,
                              size_t *count, size_t *cap, ph_error *err);

/* Resolve the feed and format of a plain file from its name. */
ph_status ing_input_for_file(const ph_ctx *ctx, const char *path, ing_input *out,
                             ph_error *err);
void ing_input_clear(const ph_ctx *ctx, ing_input *in);

/* --- pipeline.c ------------------------------------------------------------- */

typedef struct ing_file_job {
    ph_store *store;
    const ing_input *input;
    ing_source *source;      /* opened, header checked; the job reads it to the end */
    ing_firm_set *firms;
    ph_date run_known_on;
    int64_t file_id;
    uint64_t skip;           /* records already committed by an interrupted run */
    uint64_t expected_rows;  /* an estimate from the file's size, 0 if unknown */
    size_t batch_rows;
    int threads;
    ph_ingest_counts *counts; /* in: committed so far; out: final */
    ing_limits limits;
    int *refused;             /* out: 1 when the file was refused for its bad rows */
    void (*progress)(void *user, const char *path, const ph_ingest_counts *so_far);
    void *progress_user;
    /* bytes of the run's inputs before this file, and of all of them */
    uint64_t bytes_before, bytes_total;
    void (*progress_bytes)(void *user, uint64_t done, uint64_t total);
} ing_file_job;

ph_status ing_pipeline_run(const ing_file_job *job, ph_error *err);

#endif /* PH_INGEST_INTERNAL_H */

/*
 * puhui — ingestion: feed files into the data hub's tables (docs/ingest.md).
 *
 * A feed file (CSV as `puhui gen` writes it, or JSON Lines) is read, every
 * field is checked against the feed catalog (feed.h), and each row lands in
 * feed_<name> (schema.h) unless it is bad, in which case it goes to the
 * quarantine table with the reason, the field, the value and the raw line.
 * A bad row never stops the file: the good rows of the same file still land.
 *
 * Rows are idempotent by their natural key:
 *   accepted    a new key: inserted;
 *   unchanged   the key exists with the same row hash: nothing is written;
 *   superseded  the key exists with another row hash (a correction): the old
 *               version is copied to feed_<name>_history (superseded_on = the
 *               new version's known_on, superseded_by = this file) and the
 *               row is replaced;
 *   rejected    the row is quarantined (once: re-ingesting the same file
 *               adds no second entry for the same line and reason).
 *
 * Point in time: every stored row carries known_on, the first day the
 * platform could know it: the row's time column (a month: its last day) plus
 * the feed's lag_days; a snapshot feed (no time column) is known from the
 * run's known_on. A correction is known only when it arrives: its known_on
 * is the later of its own date and the run's known_on.
 *
 * Crash safety: rows are committed in batches together with the file's
 * progress in ingest_file. A process killed at any moment loses nothing
 * committed; running the same ingestion again finds the file's unfinished
 * ingest_file record (same path and checksum), skips the rows already
 * committed and completes the job, with the same final tables as an
 * uninterrupted run.
 *
 * Reading and checking run on one thread and writing on the calling thread
 * (with `threads` = 2, the default), joined by a bounded queue of batches.
 * Another process, or another ph_ingest of this process on its own
 * connection, may ingest into the same database at the same time: each
 * running file is held by a lease of the run (its ingest_run id), a file
 * held by another live run is skipped rather than loaded twice, and a run
 * releases its leases when ph_ingest_paths returns (its unfinished files
 * stay resumable).
 */
#ifndef PUHUI_INGEST_H
#define PUHUI_INGEST_H

#include <stdint.h>

#include "puhui/common.h"
#include "puhui/feed.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a row was quarantined. The names ("bad_uscc") are stable: they are
 * stored in quarantine.reason and printed by `puhui ingest --rejected`. */
typedef enum ph_reject_reason {
    PH_REJECT_INVALID_UTF8 = 0,    /* bytes that are not UTF-8 (GBK exports), or a NUL */
    PH_REJECT_MALFORMED_RECORD,    /* broken CSV quoting, or a JSON line that is not a
                                    * flat object of strings, numbers and nulls */
    PH_REJECT_WRONG_FIELD_COUNT,   /* fewer or more fields than the header (a cut line) */
    PH_REJECT_MISSING_VALUE,       /* a required field is empty */
    PH_REJECT_BAD_USCC,            /* not a valid USCC (length, characters, check chars) */
    PH_REJECT_BAD_NUMBER,          /* an int, money, share or decimal field malformed or
                                    * out of range */
    PH_REJECT_BAD_DATE,            /* a date or month malformed, impossible or out of range */
    PH_REJECT_UNKNOWN_CODE,        /* an enum, region, division or industry code not known */
    PH_REJECT_BAD_TEXT,            /* text or an identifier with forbidden characters */
    PH_REJECT_DUPLICATE_KEY,       /* the natural key of an earlier line of the same file */
    PH_REJECT_UNKNOWN_ENTERPRISE,  /* a firm not registered, or an institution not known */
    PH_REJECT_REASON_COUNT
} ph_reject_reason;

/* "invalid_utf8", "malformed_record", "wrong_field_count", "missing_value",
 * "bad_uscc", "bad_number", "bad_date", "unknown_code", "bad_text",
 * "duplicate_key", "unknown_enterprise"; NULL outside the enum. */
PH_EXTERN const char *ph_reject_reason_name(ph_reject_reason reason);

/* The reason named `name`. Errors: PH_EINVAL (field "reason") listing the
 * names; PH_EMISUSE for NULL arguments. */
PH_EXTERN ph_status ph_reject_reason_parse(const char *name, ph_reject_reason *out,
                                           ph_error *err);

/* What happened to the rows of one file. */
typedef struct ph_ingest_counts {
    uint64_t rows;       /* data records read (good and bad) */
    uint64_t accepted;
    uint64_t unchanged;
    uint64_t superseded;
    uint64_t rejected;
} ph_ingest_counts;

#define PH_INGEST_OPTIONS_VERSION 1
#define PH_INGEST_DEFAULT_BATCH_ROWS 100000

typedef struct ph_ingest_options {
    unsigned version;     /* PH_INGEST_OPTIONS_VERSION (ph_ingest_options_init) */
    const char *known_on; /* "YYYY-MM-DD": when this run's data became known (snapshots,
                           * corrections); NULL = today (ph_ctx_today) */
    size_t batch_rows;    /* rows per committed transaction; 0 = the default */
    int threads;          /* 1: read and write on the calling thread; 2 (default, also 0):
                           * read and check on a second thread */
    const char *command;  /* recorded in ingest_run.command; may be NULL */
    /* Called on the calling thread after each committed batch; may be NULL. */
    void (*progress)(void *user, const char *path, const ph_ingest_counts *so_far);
    void *progress_user;
    /* A file with more bad rows than max_rejects (checked before each batch
     * commits), or whose bad rows are more than max_reject_share of its
     * records (0..1, checked at its end, for files of 1,000 records or
     * more), is refused and rolled back
     * (docs/ingest.md, "Limits"). UINT64_MAX and 1.0: no limit. */
    uint64_t max_rejects;
    double max_reject_share;
    /* Called on the calling thread after each committed batch and after
     * each file with the bytes of the run's input files read and committed
     * so far (`done`) out of their total size (`total`), for a progress
     * meter; receives progress_user; may be NULL. Files skipped or already
     * finished count as done. */
    void (*progress_bytes)(void *user, uint64_t done, uint64_t total);
} ph_ingest_options;

/* Defaults: known_on today, 100,000-row batches, 2 threads, at most
 * 100,000 and 10% bad rows per file. */
PH_EXTERN void ph_ingest_options_init(ph_ingest_options *opts);

/* The outcome of one file. */
typedef struct ph_ingest_file_result {
    int64_t file_id;         /* its ingest_file row */
    const char *feed;        /* the catalog's name (static) */
    const char *path;        /* the path as stored: absolute, symbolic links resolved */
    const char *format;      /* "csv" or "jsonl" */
    int resumed;             /* 1 when it completed an interrupted ingestion */
    ph_ingest_counts counts; /* for a resumed file, including the rows committed before */
    int skipped;             /* 1: another live run holds the file's lease; nothing done */
    const char *note;        /* why it was skipped, or what an interrupted ingestion of an
                              * earlier version of the file left and how it was undone;
                              * NULL when there is nothing to say */
} ph_ingest_file_result;

typedef struct ph_ingest ph_ingest;

/*
 * Start an ingestion run on `store` (schema version 9 or later: `puhui
 * init`): records an ingest_run, loads the registered enterprises and known
 * institutions, and sets per-connection pragmas for bulk loading
 * (cache_size 256 MiB, temp_store MEMORY, wal_autocheckpoint 65536 pages;
 * ph_ingest_free sets SQLite's defaults back). WAL and synchronous=NORMAL
 * stay as the store set them, so durability is the store's: a commit that
 * returned survives a killed process. `opts` may be NULL; it is copied. The
 * store must outlive the run.
 * Errors: PH_EMISUSE (NULL store or out, options not initialised); PH_EINVAL
 * (bad known_on, threads not 0..2, max_reject_share not 0..1); PH_ESCHEMA when the schema is too old
 * ("run puhui init"); store errors.
 */
PH_EXTERN ph_status ph_ingest_new(ph_store *store, const ph_ingest_options *opts,
                                  ph_ingest **out, ph_error *err);

/*
 * Ingest `count` paths: each a feed file (NAME.csv or NAME.jsonl, NAME a
 * feed of the catalog's feeds/ or reference/ area) or a directory holding a
 * manifest.json written by `puhui gen` (every feeds/ and reference/ file it
 * lists; truth/ files are never ingested). Directories' files have their
 * BLAKE2b-256 checksums verified against the manifest before anything is
 * ingested. All files are then ingested in dependency order (registration,
 * then reference files, then the other feeds; otherwise in the order given).
 * A file-level problem stops the run at that file, files before it staying
 * ingested: PH_EINVAL for an unknown feed name (the message lists the known
 * ones), a header that does not match the catalog (naming the missing or
 * unexpected column), an empty file (CSV or JSON Lines alike), a checksum
 * mismatch, a manifest that cannot be read, a file past the bad-row limits
 * or with a CSV bad record that runs to the end of the file inside a quote
 * or over 1,000 lines (field "bad_record_max_lines") (refused: its
 * ingest_file record ends 'failed', every row it had committed is rolled
 * back); PH_EIO for files that cannot be read; store
 * errors. Bad rows within the limits are not errors: they are counted as
 * rejected.
 * Leases: a file whose unfinished record is held by a live run (another
 * process, see docs/ingest.md "Leases") is skipped, the others are
 * ingested, and the call then returns PH_EBUSY naming the file and the
 * holder; its result has skipped = 1 and a note. An unfinished record of
 * the same path with another checksum (the file was replaced after a
 * crash) is rolled back and marked 'failed'; the new file's result says so
 * in its note.
 */
PH_EXTERN ph_status ph_ingest_paths(ph_ingest *ing, const char *const *paths, size_t count,
                                    ph_error *err);

/* Files ingested so far by this run, in the order they were done. */
PH_EXTERN size_t ph_ingest_result_count(const ph_ingest *ing);
/* Result `index`, or NULL past the end. Valid until ph_ingest_free. */
PH_EXTERN const ph_ingest_file_result *ph_ingest_result_at(const ph_ingest *ing, size_t index);

/* The run's ingest_run id and its known_on ("YYYY-MM-DD", owned by ing). */
PH_EXTERN int64_t ph_ingest_run_id(const ph_ingest *ing);
PH_EXTERN const char *ph_ingest_known_on(const ph_ingest *ing);

/* Record the end of the run (ingest_run.finished_at) and free it. NULL is
 * allowed. A run freed after a failure keeps finished_at NULL. */
PH_EXTERN void ph_ingest_free(ph_ingest *ing);

/* One quarantined row, for ph_ingest_each_rejected. Strings are valid during
 * the callback only; field, value and raw may be NULL. */
typedef struct ph_rejected_row {
    int64_t id;
    int64_t file_id;
    const char *feed;
    const char *path;
    int64_t line;
    const char *field;
    const char *value;
    const char *reason; /* a ph_reject_reason_name */
    const char *detail;
    const char *raw;
    int64_t field_number; /* the field's 1-based column in the feed; 0 when the row as a
                           * whole was refused (or it was quarantined before schema 9) */
} ph_rejected_row;

typedef ph_status (*ph_rejected_fn)(void *user, const ph_rejected_row *row, ph_error *err);

/*
 * Call `fn` for quarantined rows in the order they were quarantined (a
 * file's in line order), those of feed `feed` only unless it is NULL, at most
 * `limit` of them (0: all). A callback status other than PH_OK stops the
 * walk and is returned.
 * Errors: PH_EMISUSE (NULL store or fn); PH_EINVAL for a feed the catalog
 * does not store; PH_ESCHEMA for a schema older than version 9; store errors.
 */
PH_EXTERN ph_status ph_ingest_each_rejected(ph_store *store, const char *feed, uint64_t limit,
                                            ph_rejected_fn fn, void *user, ph_error *err);

/* One file an ingestion finished, for ph_ingest_files_after. Strings are
 * valid during the callback only. */
typedef struct ph_ingest_file_info {
    int64_t id;          /* its ingest_file row: the file_id of the rows it wrote */
    int64_t run_id;
    const char *feed;    /* the catalogue's name */
    const char *path;    /* as stored: absolute */
    const char *finished_at;
    uint64_t rows, accepted, superseded, rejected;
} ph_ingest_file_info;

typedef ph_status (*ph_ingest_file_fn)(void *user, const ph_ingest_file_info *file,
                                       ph_error *err);

/*
 * Every file whose ingestion is done (state 'done') with an id above
 * `after`, by id: what a consumer of new rows reads after its cursor (the
 * early warning's `puhui watch --follow`, monitor.h), the rows of file F
 * being those of the feed tables with file_id F. Files still running or
 * failed are not reported (a running file's id may come before a done one:
 * a consumer keeps as cursor the highest id it took). One indexed range
 * read of ingest_file; the statement is open during the calls, so fn must
 * not write to the store. Errors: PH_EMISUSE for a NULL store or fn;
 * PH_EINVAL (field "after") for a negative id; PH_ESCHEMA before schema 3;
 * fn's status; store errors.
 */
PH_EXTERN ph_status ph_ingest_files_after(ph_store *store, int64_t after, ph_ingest_file_fn fn,
                                          void *user, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_INGEST_H */

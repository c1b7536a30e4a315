/*
 * puhui — common definitions: status codes, the error record, the context.
 *
 * One error convention for the whole library (docs/errors.md):
 *   - every fallible function returns a ph_status (PH_OK on success);
 *   - its last argument is a `ph_error *err` that may be NULL; on failure it
 *     is filled with the status, where the bad input was (source, line,
 *     column), which field and value, and what was expected;
 *   - output parameters are written only on success.
 *
 * The library keeps no mutable global state. A ph_ctx carries the allocator
 * and the logger; it is immutable after creation and may be shared by threads.
 */
#ifndef PUHUI_COMMON_H
#define PUHUI_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PH_EXTERN __attribute__((visibility("default")))
#define PH_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PH_EXTERN
#define PH_PRINTF(fmt, args)
#endif

/* Status codes. Zero is success, PH_DONE ends an iteration, errors are < 0. */
typedef enum ph_status {
    PH_OK = 0,
    PH_DONE = 1,        /* no more items (end of a stream or result set) */
    PH_EINVAL = -1,     /* bad input: malformed or invalid value */
    PH_ERANGE = -2,     /* value out of range, or arithmetic overflow */
    PH_ENOMEM = -3,     /* allocation failed */
    PH_EIO = -4,        /* operating-system I/O error (open, read, write) */
    PH_ENOTFOUND = -5,  /* the thing asked for does not exist */
    PH_EEXISTS = -6,    /* the thing to create exists already */
    PH_ESTORE = -7,     /* the storage backend failed */
    PH_ESCHEMA = -8,    /* database schema is newer than this library */
    PH_EMISUSE = -9,    /* API misuse: NULL argument, buffer too small, bad state */
    PH_EBUSY = -10,     /* resource busy: database locked past the timeout */
    PH_EDENIED = -11,   /* not permitted: no live consent for this read */
    PH_EVERIFY = -12    /* a proof or signature does not verify */
} ph_status;

/* Short, stable name of a status: "PH_EINVAL". */
PH_EXTERN const char *ph_status_name(ph_status status);

/* True for the statuses caused by bad input (the CLI's exit code 2). */
PH_EXTERN int ph_status_is_input_error(ph_status status);

#define PH_ERROR_SOURCE_MAX 256
#define PH_ERROR_FIELD_MAX 64
#define PH_ERROR_VALUE_MAX 96
#define PH_ERROR_DETAIL_MAX 512
#define PH_ERROR_MESSAGE_MAX 1024

/*
 * The error record. Callers allocate it (usually on the stack) and pass a
 * pointer; the library fills it. Each part is empty ("" or 0) when it does
 * not apply. `value` is the offending input with control and non-UTF-8 bytes
 * escaped as \xNN; a value longer than the buffer ends in "..." so the
 * shortening is visible. `message` is the whole sentence, composed from the
 * parts: "SOURCE:LINE:COLUMN: field FIELD, value 'VALUE': DETAIL".
 */
typedef struct ph_error {
    ph_status code;
    char source[PH_ERROR_SOURCE_MAX];
    uint64_t line;
    uint64_t column;
    char field[PH_ERROR_FIELD_MAX];
    char value[PH_ERROR_VALUE_MAX];
    char detail[PH_ERROR_DETAIL_MAX];
    char message[PH_ERROR_MESSAGE_MAX];
} ph_error;

/* Reset to "no error". */
PH_EXTERN void ph_error_clear(ph_error *err);

/*
 * Fill `err` (if not NULL) with `code`, the field and value (each may be NULL)
 * and a printf-style detail; clears any location (add one afterwards with
 * ph_error_locate), so an uninitialised record is fine. Returns `code`
 * so that callers can write `return ph_error_set(err, PH_EINVAL, ...)`.
 */
PH_EXTERN ph_status ph_error_set(ph_error *err, ph_status code, const char *field,
                                 const char *value, const char *fmt, ...) PH_PRINTF(5, 6);

/* Like ph_error_set, for a value that is not NUL-terminated. */
PH_EXTERN ph_status ph_error_setn(ph_error *err, ph_status code, const char *field,
                                  const char *value, size_t value_len, const char *fmt,
                                  ...) PH_PRINTF(6, 7);

PH_EXTERN ph_status ph_error_setv(ph_error *err, ph_status code, const char *field,
                                  const char *value, size_t value_len, const char *fmt,
                                  va_list ap) PH_PRINTF(6, 0);

/*
 * Say where the error happened: a source name (file path or stream name,
 * NULL keeps the current one), 1-based line and column (0 = unknown).
 * Used by readers that find a bad value deep inside a parser that knew only
 * the value. Recomposes `message`. Does nothing when err is NULL.
 */
PH_EXTERN void ph_error_locate(ph_error *err, const char *source, uint64_t line,
                               uint64_t column);

/* Name the field, when a lower layer knew only the value. */
PH_EXTERN void ph_error_set_field(ph_error *err, const char *field);

/* --- Rounding ----------------------------------------------------------- */

/*
 * How a result that falls between two representable values is rounded.
 * PH_ROUND_HALF_UP is zero, so it is the default of zero-initialised options.
 * The examples round to whole units. Names and parsing: money.h
 * (ph_rounding_name, ph_rounding_parse).
 */
typedef enum ph_rounding {
    PH_ROUND_HALF_UP = 0, /* nearest; ties away from zero:  2.5 ->  3, -2.5 -> -3 */
    PH_ROUND_HALF_EVEN,   /* nearest; ties to even (banker's): 2.5 -> 2, 3.5 -> 4 */
    PH_ROUND_DOWN,        /* toward zero (truncate):        2.9 ->  2, -2.9 -> -2 */
    PH_ROUND_UP,          /* away from zero:                2.1 ->  3, -2.1 -> -3 */
    PH_ROUND_FLOOR,       /* toward -infinity:              2.9 ->  2, -2.1 -> -3 */
    PH_ROUND_CEILING      /* toward +infinity:              2.1 ->  3, -2.9 -> -2 */
} ph_rounding;

/* --- Context ------------------------------------------------------------ */

typedef enum ph_log_level {
    PH_LOG_DEBUG = 0,
    PH_LOG_INFO = 1,
    PH_LOG_WARN = 2,
    PH_LOG_ERROR = 3,
    PH_LOG_OFF = 4
} ph_log_level;

/* A custom allocator. The calls that run on several threads (generation,
 * ingestion, the features batch, ph_model_predict_threads) call it from all
 * of them at once, so it must be thread-safe, as malloc is. */
typedef struct ph_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
    void *user;
} ph_allocator;

typedef void (*ph_log_fn)(void *user, ph_log_level level, const char *message);

/* A clock: the current time in seconds since 1970-01-01T00:00:00Z, or -1
 * when it cannot tell. Tests pass one that returns a chosen instant, so
 * "today" is theirs to set without any global state. */
typedef int64_t (*ph_clock_fn)(void *user);

/* Options for ph_ctx_new. Zero-initialise, then set what you need. */
typedef struct ph_ctx_options {
    const ph_allocator *allocator; /* NULL: the C library's malloc/realloc/free */
    ph_log_fn log;                 /* NULL: write "puhui: LEVEL: msg" to stderr */
    void *log_user;
    ph_log_level log_level;        /* messages below this level are dropped */
    ph_clock_fn now;               /* NULL: the system clock (time()) */
    void *now_user;                /* passed to `now` */
} ph_ctx_options;

typedef struct ph_ctx ph_ctx;

/* Create a context. `options` may be NULL for all defaults (log level WARN). */
PH_EXTERN ph_status ph_ctx_new(const ph_ctx_options *options, ph_ctx **out, ph_error *err);
PH_EXTERN void ph_ctx_free(ph_ctx *ctx);

/* Allocation through the context's allocator. ph_malloc(ctx, 0) returns NULL.
 * Every string or buffer the library returns to its caller is freed this one
 * way, ph_free with the context its function names, never free()
 * (docs/errors.md, "Memory the library returns"). */
PH_EXTERN void *ph_malloc(const ph_ctx *ctx, size_t size);
PH_EXTERN void *ph_calloc(const ph_ctx *ctx, size_t count, size_t size);
PH_EXTERN void *ph_realloc(const ph_ctx *ctx, void *ptr, size_t size);
PH_EXTERN void ph_free(const ph_ctx *ctx, void *ptr);
PH_EXTERN char *ph_strdup(const ph_ctx *ctx, const char *s);

/*
 * Read the whole file at `path` into a buffer allocated with `ctx` (free it
 * with ph_free); *len gets its size (the buffer is not NUL-terminated).
 * `what` names the file in errors ("model file"; NULL: "file"). Errors:
 * PH_EIO naming the path and the system's reason, PH_ENOMEM. Outputs are
 * written only on success.
 */
PH_EXTERN ph_status ph_read_file(const ph_ctx *ctx, const char *path, const char *what,
                                 char **data, size_t *len, ph_error *err);

/* Room for a content checksum: 64 hex digits and the NUL. */
#define PH_CHECKSUM_HEX 65

/* The content checksum every stored document carries (models, policies,
 * subsidy programmes): BLAKE2b-256 of `len` bytes as 64 lower-case hex
 * digits. Cannot fail; costs one pass over the bytes. */
PH_EXTERN void ph_checksum_hex(const void *data, size_t len, char out[PH_CHECKSUM_HEX]);

/* Room for a timestamp "2025-03-01T08:30:00Z" and its NUL. */
#define PH_UTC_MAX 21

/* An instant (seconds since 1970-01-01T00:00:00Z) as "2025-03-01T08:30:00Z",
 * the form every stored timestamp takes. PH_ERANGE (field "clock") for a
 * negative or unrepresentable instant; PH_EMISUSE for a NULL buf. */
PH_EXTERN ph_status ph_utc_format(int64_t seconds, char buf[PH_UTC_MAX], ph_error *err);

/* The context's clock (ph_ctx_options.now; the system clock by default or
 * for a NULL ctx): seconds since 1970-01-01T00:00:00Z, -1 when the clock
 * cannot tell. Costs one call of the clock. Every decision that depends on
 * "now" (is a consent live?) reads this, never time() directly. */
PH_EXTERN int64_t ph_ctx_now(const ph_ctx *ctx);

/* ph_ctx_now as a timestamp "2025-03-01T08:30:00Z". PH_ERANGE when the
 * clock gives no usable time; PH_EMISUSE for a NULL buf. */
PH_EXTERN ph_status ph_ctx_utc_now(const ph_ctx *ctx, char buf[PH_UTC_MAX], ph_error *err);

PH_EXTERN void ph_log(const ph_ctx *ctx, ph_log_level level, const char *fmt, ...)
    PH_PRINTF(3, 4);
PH_EXTERN int ph_log_enabled(const ph_ctx *ctx, ph_log_level level);

/* Library version. */
#define PH_VERSION_MAJOR 0
#define PH_VERSION_MINOR 1
#define PH_VERSION_PATCH 0
#define PH_VERSION_STRING "0.1.0"

PH_EXTERN const char *ph_version(void);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_COMMON_H */

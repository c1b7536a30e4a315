/*
 * Helpers shared by the CSV reader's stream tests (test_csv_stream.c,
 * test_csv_reference.c).
 */
#ifndef PH_CSV_TEST_H
#define PH_CSV_TEST_H

#include "ph_test.h"

/* A growing string (plain malloc; test code only). */
typedef struct csvt_text {
    char *s;
    size_t len, cap;
} csvt_text;

void csvt_text_add(csvt_text *t, const void *s, size_t n);
void csvt_text_printf(csvt_text *t, const char *fmt, ...) PH_PRINTF(2, 3);

/* What a parse produced: each record rendered as
 * "L<line>:<len>:<bytes>,<len>:<bytes>,...@<line>:<column>;\n" (the record's
 * line, its fields, where its last field starts), and how it ended. */
typedef struct csvt_outcome {
    csvt_text records;
    ph_status status; /* PH_DONE, or the error */
    ph_error err;
} csvt_outcome;

void csvt_outcome_free(csvt_outcome *o);

/* Read every record of `r` (opened with status `open_status`, error
 * `open_err`) into `out`, then free the reader. */
void csvt_finish(ph_status open_status, ph_csv_reader *r, const ph_error *open_err,
                 csvt_outcome *out);

/* Fail unless both parses gave the same records, status and message. */
void csvt_assert_same(const csvt_outcome *a, const csvt_outcome *b);

/* Parse from memory, or through a read callback handing out `chunk` bytes at
 * a time. */
void csvt_parse_memory(const ph_ctx *ctx, const char *doc, size_t len,
                       const ph_csv_options *o, csvt_outcome *out);
void csvt_parse_chunked(const ph_ctx *ctx, const char *doc, size_t len, size_t chunk,
                        const ph_csv_options *o, csvt_outcome *out);

#endif

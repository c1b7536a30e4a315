/*
 * The CSV reader as ingest drives it: every record of the input, and on a
 * bad record ph_csv_recover then on to the next, until the end or an error
 * that cannot be recovered from. The first byte picks the options and
 * whether the input arrives whole (memory) or in small pieces through a
 * callback with a tiny buffer, so the refill and record-spanning paths run.
 */
#include "fuzz_common.h"

#include "puhui/csv.h"

typedef struct chunks {
    const uint8_t *data;
    size_t size, pos, step;
} chunks;

static ph_status read_chunk(void *user, char *buf, size_t capacity, size_t *got, ph_error *err)
{
    (void)err;
    chunks *c = user;
    size_t n = c->size - c->pos;
    if (n > c->step)
        n = c->step;
    if (n > capacity)
        n = capacity;
    memcpy(buf, c->data + c->pos, n);
    c->pos += n;
    *got = n;
    return PH_OK;
}

/* Read every field of the current record, as ingest's checks do. */
static void touch_fields(ph_csv_reader *csv)
{
    size_t n = ph_csv_field_count(csv);
    for (size_t i = 0; i < n; i++) {
        const char *p;
        size_t len;
        if (ph_csv_field(csv, i, &p, &len, NULL) == PH_OK && len > 0)
            (void)(volatile char)p[len - 1];
        ph_error where;
        ph_error_clear(&where);
        ph_csv_locate_error(csv, i, &where);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;

    ph_csv_options opts;
    ph_csv_options_init(&opts);
    static const char delimiters[] = {',', ';', '\t', '|'};
    opts.delimiter = delimiters[mode & 3];
    opts.has_header = !(mode & 4);
    opts.allow_ragged = (mode & 8) != 0;
    opts.skip_empty_lines = !(mode & 16);
    opts.max_record_bytes = (mode & 32) ? 64 : PH_CSV_DEFAULT_MAX_RECORD_BYTES;
    opts.buffer_size = 4 + (mode & 7);

    ph_ctx *ctx = fuzz_ctx();
    ph_csv_reader *csv = NULL;
    ph_error err;
    ph_error_clear(&err);
    chunks in = {data, size, 0, 1 + (size_t)(mode >> 6) * 5};
    ph_status st = (mode & 64) ? ph_csv_open_callback(ctx, read_chunk, &in, &opts, &csv, &err)
                               : ph_csv_open_memory(ctx, data, size, &opts, &csv, &err);
    if (st == PH_OK) {
        for (size_t i = 0; i < ph_csv_header_count(csv); i++)
            (void)ph_csv_column(csv, ph_csv_header_name(csv, i));
        for (;;) {
            st = ph_csv_next(csv, &err);
            if (st == PH_OK) {
                touch_fields(csv);
                continue;
            }
            if (st == PH_DONE)
                break;
            uint64_t line = 0;
            if (ph_csv_recover(csv, &line, &err) != PH_OK)
                break;
            touch_fields(csv); /* a record read whole stays readable */
        }
        (void)ph_csv_record_count(csv);
        (void)ph_csv_bytes_consumed(csv);
    }
    ph_csv_free(csv);
    ph_ctx_free(ctx);
    return 0;
}

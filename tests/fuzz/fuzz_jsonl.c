/*
 * The JSON Lines reader of ingest (src/ingest/jsonl.c) behind the record
 * source that ingest reads files with: line splitting, the UTF-8 check, the
 * object parser, then the catalog's field check on every good record, as
 * ingest's check step does. The input's first line names the feed
 * ("credit_loans"); the rest is the file. The source reads a path, so the
 * file is written to the target's temporary directory.
 */
#include "fuzz_common.h"

#include "ingest/ingest_internal.h"
#include "puhui/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size < 64 ? size : 64);
    if (nl == NULL)
        return -1;
    char name[64];
    size_t name_len = (size_t)(nl - data);
    memcpy(name, data, name_len);
    name[name_len] = '\0';
    const ph_feed *feed = ph_feed_find(name);
    if (feed == NULL)
        return -1; /* not an input of this target: keep it out of the corpus */
    const char *path = fuzz_file(nl + 1, size - name_len - 1, "feed.jsonl");

    ph_ctx *ctx = fuzz_ctx();
    ing_source *src = NULL;
    ph_error err;
    ph_error_clear(&err);
    if (ing_source_open(ctx, path, ING_JSONL, feed, &src, &err) == PH_OK) {
        ing_record rec;
        while (ing_source_next(src, &rec, &err) == PH_OK) {
            if (rec.bad)
                continue;
            for (size_t i = 0; i < feed->column_count; i++) {
                ph_error field_err;
                (void)ph_feed_check_field(&feed->columns[i], rec.fields[i], rec.lens[i],
                                          &field_err);
            }
            const char *raw;
            size_t raw_len;
            (void)ing_source_raw(src, &rec, &raw, &raw_len, &err);
        }
    }
    ing_source_free(src);
    ph_ctx_free(ctx);
    return 0;
}

/*
 * Where a member of a JSON document is: the line and column of a member's
 * key or an array element, found by walking the text along a path.
 *
 * jansson keeps no positions for values, so a loader that finds a bad value
 * after parsing (a share out of range, shares that do not sum to 100%) could
 * only name the member. A policy author wants the line as well; this walk
 * gives it. It runs only on text jansson has already accepted, and only
 * when an error is reported, so it favours being short over being fast; it
 * still checks every bound, so odd text gives "not found", never a crash.
 */
#include "json/json_internal.h"

#include <string.h>

typedef struct walker {
    const char *p, *end;
    uint64_t line, column;
} walker;

static void step(walker *w)
{
    unsigned char c = (unsigned char)*w->p++;
    if (c == '\n') {
        w->line++;
        w->column = 1;
    } else if ((c & 0xC0) != 0x80) { /* columns count characters, as jansson's do */
        w->column++;
    }
}

static void skip_space(walker *w)
{
    while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\n' || *w->p == '\r'))
        step(w);
}

/* Past a string starting at its opening quote; *raw and *raw_len: its bytes
 * between the quotes, escapes undecoded. 0 when the text ends first. */
static int skip_string(walker *w, const char **raw, size_t *raw_len)
{
    step(w); /* the opening quote */
    const char *start = w->p;
    while (w->p < w->end && *w->p != '"') {
        if (*w->p == '\\' && w->p + 1 < w->end)
            step(w);
        step(w);
    }
    if (w->p >= w->end)
        return 0;
    if (raw != NULL) {
        *raw = start;
        *raw_len = (size_t)(w->p - start);
    }
    step(w); /* the closing quote */
    return 1;
}

/* Past one value of any kind; nesting counted without recursion. */
static int skip_value(walker *w)
{
    size_t depth = 0;
    for (;;) {
        if (w->p >= w->end)
            return depth == 0; /* a scalar may end the text */
        char c = *w->p;
        if (c == '"') {
            if (!skip_string(w, NULL, NULL))
                return 0;
            if (depth == 0)
                return 1;
        } else if (c == '{' || c == '[') {
            depth++;
            step(w);
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return 1; /* a scalar that ended at its container's close */
            step(w);
            if (--depth == 0)
                return 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            return 1;
        } else {
            step(w);
        }
    }
}

/* At a value that must be an object, find member `key`: leave w at its key's
 * opening quote. */
static int find_member(walker *w, const char *key)
{
    if (w->p >= w->end || *w->p != '{')
        return 0;
    step(w);
    size_t key_len = strlen(key);
    for (;;) {
        skip_space(w);
        if (w->p >= w->end || *w->p != '"')
            return 0;
        walker at = *w;
        const char *raw;
        size_t raw_len;
        if (!skip_string(w, &raw, &raw_len))
            return 0;
        if (raw_len == key_len && memcmp(raw, key, key_len) == 0) {
            *w = at;
            return 1;
        }
        skip_space(w);
        if (w->p >= w->end || *w->p != ':')
            return 0;
        step(w);
        skip_space(w);
        if (!skip_value(w))
            return 0;
        skip_space(w);
        if (w->p >= w->end || *w->p != ',')
            return 0;
        step(w);
    }
}

/* From a member's key to the start of its value. */
static int to_value(walker *w)
{
    if (!skip_string(w, NULL, NULL))
        return 0;
    skip_space(w);
    if (w->p >= w->end || *w->p != ':')
        return 0;
    step(w);
    skip_space(w);
    return 1;
}

/* At a value that must be an array, go to element `index`. */
static int find_element(walker *w, size_t index)
{
    if (w->p >= w->end || *w->p != '[')
        return 0;
    step(w);
    for (size_t i = 0;; i++) {
        skip_space(w);
        if (w->p >= w->end || *w->p == ']')
            return 0;
        if (i == index)
            return 1;
        if (!skip_value(w))
            return 0;
        skip_space(w);
        if (w->p >= w->end || *w->p != ',')
            return 0;
        step(w);
    }
}

int pjson_locate(const char *text, size_t len, const pjson_step *path, size_t n,
                      uint64_t *line, uint64_t *column)
{
    walker w = {text, text + len, 1, 1};
    skip_space(&w);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && path[i - 1].key != NULL && !to_value(&w))
            return 0;
        if (path[i].key != NULL ? !find_member(&w, path[i].key)
                                : !find_element(&w, path[i].index))
            return 0;
    }
    *line = w.line;
    *column = w.column;
    return 1;
}

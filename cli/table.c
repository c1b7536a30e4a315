/* Tabular output for every subcommand: aligned text or JSON. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct ph_cli_table {
    size_t columns;
    char **headers;
    int *numeric;
    size_t rows;
    size_t capacity;
    char **cells; /* rows * columns, row-major */
};

/* The CLI is a program, not the library: running out of memory while
 * printing a table ends it with a message rather than a half-printed table. */
static void *checked(void *p)
{
    if (p == NULL) {
        fputs("puhui: error: out of memory\n", stderr);
        exit(PH_EXIT_FAILURE);
    }
    return p;
}

static char *copy_text(const char *s)
{
    size_t len = strlen(s ? s : "") + 1;
    char *copy = checked(malloc(len));
    memcpy(copy, s ? s : "", len);
    return copy;
}

ph_cli_table *ph_cli_table_new(const char *const *headers, const int *numeric, size_t columns)
{
    ph_cli_table *t = checked(calloc(1, sizeof(*t)));
    t->columns = columns;
    t->headers = checked(calloc(columns, sizeof(char *)));
    t->numeric = checked(calloc(columns, sizeof(int)));
    for (size_t c = 0; c < columns; c++) {
        t->headers[c] = copy_text(headers[c]);
        t->numeric[c] = numeric ? numeric[c] : 0;
    }
    return t;
}

void ph_cli_table_add(ph_cli_table *t, const char *const *cells)
{
    if (t->rows == t->capacity) {
        size_t capacity = t->capacity ? t->capacity * 2 : 16;
        t->cells = checked(realloc(t->cells, capacity * t->columns * sizeof(char *)));
        t->capacity = capacity;
    }
    char **row = t->cells + t->rows * t->columns;
    for (size_t c = 0; c < t->columns; c++)
        row[c] = copy_text(cells[c]);
    t->rows++;
}

void ph_cli_table_free(ph_cli_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->rows * t->columns; i++)
        free(t->cells[i]);
    for (size_t c = 0; t->headers && c < t->columns; c++)
        free(t->headers[c]);
    free(t->cells);
    free(t->headers);
    free(t->numeric);
    free(t);
}

/* Wide characters by Unicode East Asian Width (the ranges that matter here:
 * CJK, Hangul, full-width forms). */
static int is_wide(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
        {0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
        {0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x20000, 0x3fffd},
    };
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return 1;
    return 0;
}

size_t ph_cli_display_width(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t width = 0;
    while (*s) {
        uint32_t cp;
        size_t n;
        if (*s < 0x80) {
            cp = *s;
            n = 1;
        } else if ((*s & 0xe0) == 0xc0 && s[1]) {
            cp = ((uint32_t)(*s & 0x1f) << 6) | (s[1] & 0x3f);
            n = 2;
        } else if ((*s & 0xf0) == 0xe0 && s[1] && s[2]) {
            cp = ((uint32_t)(*s & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
            n = 3;
        } else if ((*s & 0xf8) == 0xf0 && s[1] && s[2] && s[3]) {
            cp = ((uint32_t)(*s & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
                 ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
            n = 4;
        } else {
            cp = '?';
            n = 1;
        }
        width += is_wide(cp) ? 2 : 1;
        s += n;
    }
    return width;
}

static void print_cell(FILE *out, const char *text, size_t width, int right)
{
    size_t pad = width - ph_cli_display_width(text);
    if (right)
        fprintf(out, "%*s%s", (int)pad, "", text);
    else
        fprintf(out, "%s%*s", text, (int)pad, "");
}

static void print_row(FILE *out, char *const *cells, const size_t *widths, const int *numeric,
                      size_t columns)
{
    for (size_t c = 0; c < columns; c++) {
        if (c > 0)
            fputs("  ", out);
        /* no trailing blanks after the last, left-aligned column */
        if (c + 1 == columns && !numeric[c])
            fputs(cells[c], out);
        else
            print_cell(out, cells[c], widths[c], numeric[c]);
    }
    fputc('\n', out);
}

json_t *ph_cli_table_json(const ph_cli_table *t)
{
    json_t *array = json_array();
    for (size_t r = 0; r < t->rows; r++) {
        json_t *object = json_object();
        char *const *row = t->cells + r * t->columns;
        for (size_t c = 0; c < t->columns; c++) {
            char *end = NULL;
            long long n = strtoll(row[c], &end, 10);
            json_t *v = (t->numeric[c] && row[c][0] != '\0' && *end == '\0')
                            ? json_integer(n)
                            : json_string(row[c]);
            json_object_set_new(object, t->headers[c], v);
        }
        json_array_append_new(array, object);
    }
    return array;
}

void ph_cli_print_json(const ph_cli *cli, json_t *document)
{
    json_dumpf(document, cli->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', cli->out);
    json_decref(document);
}

void ph_cli_table_print(const ph_cli *cli, const ph_cli_table *t, const char *title)
{
    if (cli->format == PH_FORMAT_JSON) {
        ph_cli_print_json(cli, ph_cli_table_json(t));
        return;
    }
    size_t *widths = checked(calloc(t->columns, sizeof(size_t)));
    for (size_t c = 0; c < t->columns; c++) {
        widths[c] = ph_cli_display_width(t->headers[c]);
        for (size_t r = 0; r < t->rows; r++) {
            size_t w = ph_cli_display_width(t->cells[r * t->columns + c]);
            if (w > widths[c])
                widths[c] = w;
        }
    }
    if (title != NULL)
        fprintf(cli->out, "%s\n", title);
    print_row(cli->out, t->headers, widths, t->numeric, t->columns);
    for (size_t r = 0; r < t->rows; r++)
        print_row(cli->out, t->cells + r * t->columns, widths, t->numeric, t->columns);
    free(widths);
}

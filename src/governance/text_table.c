/*
 * A small aligned text table for the governance reports (the model report
 * and the champion/challenger comparison): cells are copied in, widths are
 * measured in terminal columns when printed.
 */
#include <stdio.h>

#include "governance/governance_internal.h"

/* Terminal columns of UTF-8 text: East Asian wide characters count two, so
 * that a table of Chinese segment names stays aligned. */
static size_t display_width(const char *text)
{
    static const struct {
        unsigned first, last;
    } wide[] = {{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
                {0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
                {0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x20000, 0x3fffd}};
    const unsigned char *s = (const unsigned char *)text;
    size_t width = 0;
    while (*s) {
        unsigned cp = *s, n = 1;
        if (*s >= 0xf0)
            cp = *s & 0x07u, n = 4;
        else if (*s >= 0xe0)
            cp = *s & 0x0fu, n = 3;
        else if (*s >= 0xc0)
            cp = *s & 0x1fu, n = 2;
        for (unsigned i = 1; i < n && s[i]; i++)
            cp = (cp << 6) | (s[i] & 0x3fu);
        for (unsigned i = 0; i < n && *s; i++)
            s++;
        int is_wide = 0;
        for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]) && !is_wide; k++)
            is_wide = cp >= wide[k].first && cp <= wide[k].last;
        width += is_wide ? 2 : 1;
    }
    return width;
}

void gov_table_add(gov_table *t, const char *const *cells)
{
    if (t->failed)
        return;
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        void *grown = ph_realloc(t->ctx, t->cells, cap * sizeof(*t->cells));
        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->cells = grown;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->columns; c++)
        snprintf(t->cells[t->rows][c], GOV_CELL_MAX, "%s", cells[c]);
    t->rows++;
}

/* Print with two spaces of indent and two between columns; row 0 is the
 * header. No trailing blanks after a left-aligned last column. */
void gov_table_print(const gov_table *t, FILE *out)
{
    size_t widths[GOV_TABLE_MAX_COLUMNS] = {0};
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->columns; c++) {
            size_t w = display_width(t->cells[r][c]);
            widths[c] = w > widths[c] ? w : widths[c];
        }
    for (size_t r = 0; r < t->rows; r++) {
        fputs("  ", out);
        for (size_t c = 0; c < t->columns; c++) {
            const char *cell = t->cells[r][c];
            size_t pad = widths[c] - display_width(cell);
            int last_left = c + 1 == t->columns && !t->right[c];
            if (last_left && cell[0] == '\0')
                break; /* no trailing blanks */
            if (c > 0)
                fputs("  ", out);
            if (t->right[c])
                fprintf(out, "%*s%s", (int)pad, "", cell);
            else if (!last_left)
                fprintf(out, "%s%*s", cell, (int)pad, "");
            else
                fputs(cell, out);
        }
        fputc('\n', out);
    }
}

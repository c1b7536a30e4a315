/*
 * The progress line of long commands (see progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ph_cli_progress {
    FILE *out;
    char label[64];
    char unit[24];
    double started;   /* monotonic seconds */
    double last_draw; /* monotonic seconds of the last redraw */
    uint64_t done, total;
    size_t width; /* length of the last line drawn, to blank what is left of it */
    int bytes;    /* counts bytes: shown in MiB */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int wanted(FILE *err)
{
    const char *force = getenv("PUHUI_PROGRESS");
    if (force && strcmp(force, "1") == 0)
        return 1;
    if (force && strcmp(force, "0") == 0)
        return 0;
    return isatty(fileno(err));
}

ph_cli_progress *ph_cli_progress_start(ph_cli *cli, const char *label, const char *unit)
{
    if (!wanted(cli->err))
        return NULL;
    ph_cli_progress *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->out = cli->err;
    snprintf(p->label, sizeof(p->label), "%s", label);
    p->bytes = strcmp(unit, "bytes") == 0;
    snprintf(p->unit, sizeof(p->unit), "%s", p->bytes ? "MiB" : unit);
    p->started = now_seconds();
    p->last_draw = 0.0;
    return p;
}

/* 1234567 as "1,234,567". */
static void grouped(char *buf, size_t n, uint64_t v);

/* A count in the meter's unit: grouped digits, or bytes as MiB ("12.5"). */
static void amount(const ph_cli_progress *p, char *buf, size_t n, double v)
{
    if (p->bytes)
        snprintf(buf, n, "%.1f", v / (1024.0 * 1024.0));
    else
        grouped(buf, n, (uint64_t)v);
}

static void grouped(char *buf, size_t n, uint64_t v)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

static void duration(char *buf, size_t n, double seconds)
{
    unsigned long s = seconds < 0 ? 0 : (unsigned long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, n, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%lu:%02lu", s / 60, s % 60);
}

static void draw(ph_cli_progress *p, double now, int final)
{
    char done[32], total[32], rate[32], tail[64] = "";
    double elapsed = now - p->started;
    double per_second = elapsed > 0 ? (double)p->done / elapsed : 0.0;
    amount(p, done, sizeof(done), (double)p->done);
    amount(p, total, sizeof(total), (double)p->total);
    amount(p, rate, sizeof(rate), per_second);
    if (final) {
        char d[32];
        duration(d, sizeof(d), elapsed);
        snprintf(tail, sizeof(tail), ", %s elapsed", d);
    } else if (p->total > p->done && per_second > 0) {
        char d[32];
        duration(d, sizeof(d), (double)(p->total - p->done) / per_second);
        snprintf(tail, sizeof(tail), ", %s left", d);
    }
    char line[256];
    int len;
    if (p->total > 0)
        len = snprintf(line, sizeof(line), "%s: %s / %s %s, %s %s/s%s", p->label, done, total,
                       p->unit, rate, p->unit, tail);
    else
        len = snprintf(line, sizeof(line), "%s: %s %s, %s %s/s%s", p->label, done, p->unit,
                       rate, p->unit, tail);
    size_t width = len < 0 ? 0 : (size_t)len >= sizeof(line) ? sizeof(line) - 1 : (size_t)len;
    fprintf(p->out, "\r%s", line);
    for (size_t i = width; i < p->width; i++)
        fputc(' ', p->out);
    p->width = width;
    if (final)
        fputc('\n', p->out);
    fflush(p->out);
    p->last_draw = now;
}

void ph_cli_progress_update(ph_cli_progress *p, uint64_t done, uint64_t total)
{
    if (!p)
        return;
    p->done = done;
    p->total = total;
    double now = now_seconds();
    if (now - p->last_draw >= 0.25)
        draw(p, now, 0);
}

void ph_cli_progress_cb(void *meter, uint64_t done, uint64_t total)
{
    ph_cli_progress_update(meter, done, total);
}

void ph_cli_progress_finish(ph_cli_progress *p)
{
    if (!p)
        return;
    draw(p, now_seconds(), 1);
    free(p);
}

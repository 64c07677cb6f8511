#include "procstat.h"

#include "format.h"

#include <string.h>

/* A decimal number at *p (a '-' first when sign), up to end; *p moves past it. */
static bool number(const char **p, const char *end, bool sign, uint64_t *v, bool *neg)
{
    const char *s = *p;
    *neg = false;
    if (sign && s < end && *s == '-') {
        *neg = true;
        s++;
    }
    if (s == end || *s < '0' || *s > '9') return false;
    uint64_t x = 0;
    for (; s < end && *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (x > (UINT64_MAX - d) / 10) return false;
        x = x * 10 + d;
    }
    *v = x;
    *p = s;
    return true;
}

bool procstat_parse(const char *buf, size_t len, struct proc_stat *out)
{
    const char *p = buf, *end = buf + len;
    uint64_t v;
    bool neg;
    if (!number(&p, end, false, &v, &neg) || v == 0 || v > INT32_MAX) return false;
    out->pid = (int32_t)v;
    if (end - p < 2 || p[0] != ' ' || p[1] != '(') return false;
    const char *name = p + 2;
    /* the name ends at the last ')': the fields after it hold none */
    const char *close = NULL;
    for (const char *q = end; q > name;)
        if (*--q == ')') {
            close = q;
            break;
        }
    if (!close) return false;
    size_t n = (size_t)(close - name);
    const char *nul = memchr(name, '\0', n);
    if (nul) n = (size_t)(nul - name);
    if (n > PROCSTAT_COMM_MAX) n = PROCSTAT_COMM_MAX;
    memcpy(out->comm, name, n);
    out->comm[n] = '\0';
    out->comm_len = n;
    p = close + 1;
    if (end - p < 3 || p[0] != ' ' || p[1] < '!' || p[1] > '~' || p[2] != ' ') return false;
    out->state = p[1];
    p += 2;
    /* fields 4 (ppid) to 22 (starttime), each after one space */
    for (int field = 4; field <= 22; field++) {
        if (p == end || *p != ' ') return false;
        p++;
        if (!number(&p, end, true, &v, &neg)) return false;
        if (field == 9 || field == 22) {
            if (neg) return false;
            if (field == 9)
                out->flags = v;
            else
                out->start_tics = v;
        }
    }
    /* then more fields, or the end of the line */
    return p == end || *p == ' ' || *p == '\n';
}

bool procstat_sched_exec_start(const char *buf, size_t len, double *ms)
{
    static const char key[] = "se.exec_start";
    const size_t klen = sizeof key - 1;
    const char *end = buf + len;
    for (const char *line = buf; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *le = nl ? nl : end;
        if ((size_t)(le - line) > klen && memcmp(line, key, klen) == 0 &&
            (line[klen] == ' ' || line[klen] == ':')) {
            const char *p = line + klen;
            while (p < le && *p == ' ') p++;
            if (p == le || *p != ':') return false;
            p++;
            while (p < le && *p == ' ') p++;
            /* digits, an optional fraction, then the end of the line */
            const char *s = p;
            while (p < le && *p >= '0' && *p <= '9') p++;
            if (p == s) return false;
            if (p < le && *p == '.') {
                const char *f = ++p;
                while (p < le && *p >= '0' && *p <= '9') p++;
                if (p == f) return false;
            }
            if (p != le || p - s > 40) return false;
            char num[48];
            memcpy(num, s, (size_t)(p - s));
            num[p - s] = '\0';
            *ms = strtod_c(num, NULL);
            return true;
        }
        line = nl ? nl + 1 : end;
    }
    return false;
}

/* Baseline for scripts/bench.sh: a plain libcsv pass (strict mode) over one or more files that counts records and fields.
 * dolbom's own cost is reported as a ratio to this, measured in the same script run. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts { size_t fields, records, bytes; };

static void on_field(void *s, size_t len, void *data) { struct counts *c = data; c->fields++; c->bytes += len; (void)s; }
static void on_record(int ch, void *data) { struct counts *c = data; c->records++; (void)ch; }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: csvcount FILE...\n"); return 64; }
    struct counts c = {0, 0, 0};
    static char buf[1 << 18];
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 66; }
        struct csv_parser p;
        csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            if (csv_parse(&p, buf, n, on_field, on_record, &c) != n) {
                fprintf(stderr, "%s: parse error: %s\n", argv[i], csv_strerror(csv_error(&p)));
                return 65;
            }
        }
        csv_fini(&p, on_field, on_record, &c);
        csv_free(&p);
        fclose(f);
    }
    printf("%zu records, %zu fields, %zu bytes\n", c.records, c.fields, c.bytes);
    return 0;
}

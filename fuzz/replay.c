/*
 * Replays fuzz inputs without libFuzzer: every file named on the command
 * line, or found in a directory named there, is passed once to
 * LLVMFuzzerTestOneInput. Any contract violation aborts (the test fails).
 * Lets the seed corpus and the regression inputs run in gcc, valgrind and
 * cross builds as part of `meson test`.
 */
#define _POSIX_C_SOURCE 200809L /* opendir, stat */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? 2 * cap : 4096;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return 1;
            }
            buf = grown;
        }
        size_t got = fread(buf + size, 1, cap - size, f);
        size += got;
        if (got == 0) {
            break;
        }
    }
    fclose(f);
    /* an exactly sized copy, so the harness's reads past the end are caught */
    uint8_t *exact = malloc(size ? size : 1);
    memcpy(exact, buf, size);
    free(buf);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int run_path(const char *path, size_t *files) {
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*files;
        return run_file(path);
    }
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return 1;
    }
    int failures = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(len);
        snprintf(child, len, "%s/%s", path, e->d_name);
        failures += run_path(child, files);
        free(child);
    }
    closedir(d);
    return failures;
}

int main(int argc, char **argv) {
    size_t files = 0;
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        failures += run_path(argv[i], &files);
    }
    printf("replayed %zu input(s), %d unreadable\n", files, failures);
    return failures == 0 && files > 0 ? 0 : 1;
}

/*
 * report_atomic.c — write-then-rename files (see report_atomic.h).
 *
 * The temporary name comes from mkstemps, so two runs writing beside the same target never
 * share a temporary file. Durability follows the usual sequence: fsync the data, rename, fsync
 * the folder. The umask is read from /proc/self/status rather than set and reset with
 * umask(2), which would race with other threads of the host program.
 */
#include "report_atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "strbuf.h"

static dx_status io_error(dx_diags *diags, const char *path, const char *what, int err)
{
    if (diags)
        (void)dx_diags_add(diags, DX_SEV_ERROR, path, 0, 0, "report.io", NULL, "%s: %s", what,
                           strerror(err));
    return DX_ERR_IO;
}

/* The process's umask as Linux reports it; 022 when it cannot be read. */
static mode_t process_umask(void)
{
    mode_t mask = 022;
    FILE *fp = fopen("/proc/self/status", "r");
    char line[128];
    while (fp && fgets(line, sizeof line, fp))
        if (strncmp(line, "Umask:", 6) == 0) {
            mask = (mode_t)strtoul(line + 6, NULL, 8) & 0777;
            break;
        }
    if (fp)
        fclose(fp);
    return mask;
}

/* "dir/audit.xlsx" -> "dir/audit.XXXXXX.xlsx.tmp"; *suffix_len gets the length after the Xs. */
static char *temp_template(const char *target, int *suffix_len)
{
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        dot = base + strlen(base);
    dx_strbuf b = DX_STRBUF_INIT;
    if (dx_strbuf_append(&b, target, (size_t)(dot - target)) != DX_OK ||
        dx_strbuf_printf(&b, ".XXXXXX%s.tmp", dot) != DX_OK) {
        dx_strbuf_free(&b);
        return NULL;
    }
    *suffix_len = (int)strlen(dot) + 4;
    return dx_strbuf_detach(&b);
}

dx_status dx_atomic_open(dx_atomic_file *f, const char *target, int want_stream,
                         dx_diags *diags)
{
    int suffix_len = 0;
    char *tmp = temp_template(target, &suffix_len);
    char *copy = dx_strdup(target);
    if (!tmp || !copy) {
        dx_free(tmp);
        dx_free(copy);
        return DX_ERR_NOMEM;
    }
    int fd = mkstemps(tmp, suffix_len);
    if (fd < 0) {
        int err = errno;
        dx_free(tmp);
        dx_free(copy);
        return io_error(diags, target, "cannot create a temporary file beside it", err);
    }
    struct stat st;
    mode_t mode = stat(target, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~process_umask());
    (void)fchmod(fd, mode);
    FILE *fp = want_stream ? fdopen(fd, "wb") : NULL;
    if (want_stream && !fp) {
        int err = errno;
        close(fd);
        unlink(tmp);
        dx_free(tmp);
        dx_free(copy);
        return err == ENOMEM ? DX_ERR_NOMEM : io_error(diags, target, "cannot open", err);
    }
    if (!want_stream)
        close(fd);
    f->target = copy;
    f->tmp = tmp;
    f->fp = fp;
    return DX_OK;
}

dx_status dx_atomic_sync(dx_atomic_file *f, dx_diags *diags)
{
    int fd, err = 0;
    if (f->fp) {
        if (fflush(f->fp) != 0 || ferror(f->fp))
            err = errno ? errno : EIO;
        fd = fileno(f->fp);
        if (!err && fsync(fd) != 0)
            err = errno;
        if (fclose(f->fp) != 0 && !err)
            err = errno;
        f->fp = NULL;
    } else {
        fd = open(f->tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            err = errno;
        if (fd >= 0)
            close(fd);
    }
    return err ? io_error(diags, f->target, "cannot write", err) : DX_OK;
}

dx_status dx_atomic_rename(dx_atomic_file *f, dx_diags *diags)
{
    if (rename(f->tmp, f->target) != 0)
        return io_error(diags, f->target, "cannot replace", errno);
    dx_free(f->tmp);
    f->tmp = NULL;
    char *dir = dx_strdup(f->target);
    if (!dir)
        return DX_OK; /* renamed; only the folder's fsync is skipped */
    char *slash = strrchr(dir, '/');
    const char *path = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    dx_free(dir);
    return DX_OK;
}

void dx_atomic_discard(dx_atomic_file *f)
{
    if (f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    dx_free(f->tmp);
    dx_free(f->target);
    f->fp = NULL;
    f->tmp = NULL;
    f->target = NULL;
}

/* fetch.c — see fetch.h. */
#include "fetch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void init_curl(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct sink {
    dx_strbuf buf;
    int too_big;
    int no_memory;
} sink;

static size_t on_data(char *data, size_t size, size_t count, void *ctx)
{
    sink *s = ctx;
    size_t n = size * count;
    dx_status st = dx_strbuf_append(&s->buf, data, n);
    if (st == DX_ERR_LIMIT)
        s->too_big = 1;
    else if (st != DX_OK)
        s->no_memory = 1;
    return st == DX_OK ? n : 0; /* anything else aborts the transfer */
}

static dx_status fail(dx_diags *diags, const char *url, const char *why)
{
    dx_status st = dx_diags_add(diags, DX_SEV_ERROR, url, 0, 0, "lists.download", NULL,
                                "download failed: %s", why);
    return st != DX_OK ? st : DX_ERR_IO;
}

dx_status dx_fetch(const char *url, size_t max_bytes, long timeout_seconds, dx_diags *diags,
                   unsigned char **out, size_t *len)
{
    pthread_once(&curl_once, init_curl);
    if (curl_init_result != CURLE_OK)
        return fail(diags, url, curl_easy_strerror(curl_init_result));
    CURL *c = curl_easy_init();
    if (!c)
        return DX_ERR_NOMEM;
    sink s = {DX_STRBUF_INIT, 0, 0};
    s.buf.max = max_bytes;
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "dexcheck");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    dx_status st = DX_OK;
    if (s.no_memory)
        st = DX_ERR_NOMEM;
    else if (s.too_big) {
        st = dx_diags_add(diags, DX_SEV_ERROR, url, 0, 0, "lists.download", NULL,
                          "the file is larger than %zu bytes", max_bytes);
        st = st != DX_OK ? st : DX_ERR_LIMIT;
    } else if (rc != CURLE_OK)
        st = fail(diags, url, error[0] ? error : curl_easy_strerror(rc));
    else if (!s.buf.len)
        st = fail(diags, url, "the server sent an empty file");
    if (st != DX_OK) {
        dx_strbuf_free(&s.buf);
        return st;
    }
    *len = s.buf.len;
    *out = (unsigned char *)dx_strbuf_detach(&s.buf);
    return *out ? DX_OK : DX_ERR_NOMEM;
}

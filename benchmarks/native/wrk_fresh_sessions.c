/*
 * Preloaded into wrk (LD_PRELOAD) for compare.sh's https "handshake" runs: makes every new
 * connection's TLS handshake a full one.
 *
 * wrk reuses one SSL object per connection slot: when the server closes (Connection: close), it
 * calls SSL_clear and connects again, and SSL_clear keeps the object's session, so OpenSSL
 * offers it and the server resumes it (TLS 1.3 PSK or a TLS 1.2 ticket): no certificate, no
 * signature. Dropping the session first leaves OpenSSL nothing to offer. The servers keep their
 * default resumption settings; only this client declines to resume.
 *
 * Declared here rather than included, so that building it needs no OpenSSL headers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;

int SSL_set_session(SSL *ssl, SSL_SESSION *session);
int SSL_clear(SSL *ssl);

int SSL_clear(SSL *ssl) {
    static int (*real_clear)(SSL *);
    if (real_clear == NULL) {
        real_clear = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_clear");
        if (real_clear == NULL) {
            return 0;
        }
    }
    SSL_set_session(ssl, NULL);
    return real_clear(ssl);
}

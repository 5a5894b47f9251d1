/*
 * netsnmp_parse.c - time net-snmp's own C decoder on one SNMP message.
 *
 * Usage: netsnmp_parse FILE ITERATIONS RUNS
 *
 * FILE holds one raw BER-encoded SNMPv1/v2c (community) message, exactly as
 * it would arrive in a UDP datagram.  For each of RUNS runs the program
 * times ITERATIONS iterations of
 *
 *     pdu = calloc(1, sizeof(netsnmp_pdu));       (as snmp_create_sess_pdu)
 *     snmp_parse(NULL, &session, pdu, msg, len);  (header + PDU + varbinds)
 *     snmp_free_pdu(pdu);                         (reclaim everything)
 *
 * which is the same sequence libnetsnmp runs in _sess_process_packet() when
 * snmpd or snmpget receive a datagram.  snmp_parse() is exported and declared
 * in <net-snmp/library/snmp_api.h>; it decodes the version and community
 * (snmp_comstr_parse) and then the PDU with all its varbinds
 * (snmp_pdu_parse).  The session argument only supplies the expected version
 * (SNMP_DEFAULT_VERSION = take it from the message) and receives the error
 * code; the session_list argument is only used for SNMPv3 error reports, so
 * NULL is fine for community messages.
 *
 * Output: one line "run N: X.X ns/parse" per run, then
 * "median_ns_per_parse=X.X".  The number of varbinds decoded is printed once
 * on stderr as a sanity check.
 *
 * Build (Debian 12, package libsnmp-dev):
 *     gcc -std=c99 -O2 -Wall -Wextra -o netsnmp_parse netsnmp_parse.c -lnetsnmp
 */

/* clock_gettime() and the BSD u_char/u_long types used by net-snmp headers. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* Largest message we accept: the largest possible UDP payload. */
#define MAX_MESSAGE_LEN 65535

/* Read the whole of PATH into a freshly malloc'd buffer; exits on error. */
static u_char *read_file(const char *path, size_t *out_len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "netsnmp_parse: cannot open %s: %s\n", path,
                strerror(errno));
        exit(1);
    }

    /* One byte more than the limit so an oversized file is detected. */
    u_char *buf = malloc(MAX_MESSAGE_LEN + 1);
    if (buf == NULL) {
        fprintf(stderr, "netsnmp_parse: out of memory\n");
        exit(1);
    }

    size_t len = fread(buf, 1, MAX_MESSAGE_LEN + 1, fp);
    if (ferror(fp)) {
        fprintf(stderr, "netsnmp_parse: cannot read %s\n", path);
        exit(1);
    }
    fclose(fp);

    if (len == 0 || len > MAX_MESSAGE_LEN) {
        fprintf(stderr, "netsnmp_parse: %s: size %zu out of range 1..%d\n",
                path, len, MAX_MESSAGE_LEN);
        exit(1);
    }
    *out_len = len;
    return buf;
}

/* Parse a strictly positive decimal integer argument; exits on error. */
static long parse_count(const char *arg, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || v <= 0) {
        fprintf(stderr, "netsnmp_parse: invalid %s: %s\n", what, arg);
        exit(2);
    }
    return v;
}

/* Nanoseconds between two CLOCK_MONOTONIC readings. */
static double elapsed_ns(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e9
         + (double)(b->tv_nsec - a->tv_nsec);
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa;
    double b = *(const double *)pb;
    return (a > b) - (a < b);
}

/*
 * One decode, exactly as the library's receive path does it: a zeroed pdu
 * is filled by snmp_parse().  Returns the pdu (the caller frees it), or
 * NULL if the message did not parse.
 */
static netsnmp_pdu *parse_once(netsnmp_session *session, u_char *msg,
                               size_t len)
{
    netsnmp_pdu *pdu = calloc(1, sizeof(*pdu));
    if (pdu == NULL)
        return NULL;
    if (snmp_parse(NULL, session, pdu, msg, len) != 0) {
        snmp_free_pdu(pdu);
        return NULL;
    }
    return pdu;
}

/*
 * Private, empty persistent directory for the library.  Even with
 * persistent state disabled, init_snmp() creates "cert_indexes" there (TLS
 * certificate index, see cert_util.c), so point it at a mkdtemp() directory
 * instead of the system one (/var/lib/snmp) and remove it again at exit.
 */
static char persistent_dir[] = "/tmp/netsnmp_parse.XXXXXX";

static void remove_persistent_dir(void)
{
    char sub[sizeof(persistent_dir) + sizeof("/cert_indexes")];
    snprintf(sub, sizeof(sub), "%s/cert_indexes", persistent_dir);
    rmdir(sub);                 /* may legitimately not exist */
    if (rmdir(persistent_dir) != 0)
        fprintf(stderr, "netsnmp_parse: warning: cannot remove %s: %s\n",
                persistent_dir, strerror(errno));
}

/*
 * Quiet library initialisation, as a client application does it, but with
 * no MIB files, no config files, no persistent state and all log output
 * discarded.
 */
static void init_library(void)
{
    /* Do not load (or even index) any MIB modules. */
    setenv("MIBS", "", 1);
    setenv("MIBDIRS", "", 1);

    /*
     * A "null" log handler for every priority.  Merely disabling logging is
     * not enough: with no handler enabled net-snmp falls back to stderr.
     */
    netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);

    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
                           NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);

    if (mkdtemp(persistent_dir) == NULL) {
        fprintf(stderr, "netsnmp_parse: mkdtemp: %s\n", strerror(errno));
        exit(1);
    }
    atexit(remove_persistent_dir);
    netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
                          NETSNMP_DS_LIB_PERSISTENT_DIR, persistent_dir);

    init_snmp("netsnmp_parse");
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s FILE ITERATIONS RUNS\n", argv[0]);
        return 2;
    }
    long iterations = parse_count(argv[2], "ITERATIONS");
    long runs = parse_count(argv[3], "RUNS");

    size_t len = 0;
    u_char *msg = read_file(argv[1], &len);

    init_library();

    /* version = SNMP_DEFAULT_VERSION: accept whatever the message carries. */
    netsnmp_session session;
    snmp_sess_init(&session);

    /* First parse, untimed: prove the message decodes and count varbinds. */
    netsnmp_pdu *pdu = parse_once(&session, msg, len);
    if (pdu == NULL) {
        fprintf(stderr, "netsnmp_parse: %s: snmp_parse failed: %s\n",
                argv[1], snmp_api_errstring(session.s_snmp_errno));
        return 1;
    }
    int varbinds = 0;
    for (netsnmp_variable_list *vb = pdu->variables; vb != NULL;
         vb = vb->next_variable)
        varbinds++;
    fprintf(stderr,
            "%s: %zu bytes, SNMP version field %ld, PDU type 0x%02x, "
            "community length %zu, %d varbind(s) decoded\n",
            argv[1], len, pdu->version, (unsigned)pdu->command,
            pdu->community_len, varbinds);
    snmp_free_pdu(pdu);

    double *ns_per_parse = malloc((size_t)runs * sizeof(double));
    if (ns_per_parse == NULL) {
        fprintf(stderr, "netsnmp_parse: out of memory\n");
        return 1;
    }

    for (long r = 0; r < runs; r++) {
        long failures = 0;
        struct timespec t0, t1;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long i = 0; i < iterations; i++) {
            pdu = parse_once(&session, msg, len);
            if (pdu == NULL)
                failures++;
            else
                snmp_free_pdu(pdu);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);

        if (failures != 0) {
            fprintf(stderr, "netsnmp_parse: run %ld: %ld parse failures\n",
                    r + 1, failures);
            return 1;
        }
        ns_per_parse[r] = elapsed_ns(&t0, &t1) / (double)iterations;
        printf("run %ld: %.1f ns/parse\n", r + 1, ns_per_parse[r]);
        fflush(stdout);
    }

    qsort(ns_per_parse, (size_t)runs, sizeof(double), compare_doubles);
    double median = (runs % 2 != 0)
        ? ns_per_parse[runs / 2]
        : (ns_per_parse[runs / 2 - 1] + ns_per_parse[runs / 2]) / 2.0;
    printf("median_ns_per_parse=%.1f\n", median);

    free(ns_per_parse);
    free(msg);
    snmp_shutdown("netsnmp_parse");
    return 0;
}

// See include/igraph_bridge.h for why this file exists and what holds.
#include "igraph_bridge.h"
#include <igraph/igraph.h>
#include <stdlib.h>

struct sculpt_igraph_session {
    igraph_t graph;
    igraph_vector_t weights;
    igraph_vector_t strengths;
    igraph_integer_t n;
    double total_weight;
};

static int configured = 0;

int sculpt_igraph_open(int64_t n, int64_t m, const int64_t *edges, const double *weights, const double *strengths,
                       double total_weight, int directed, sculpt_igraph_session **out) {
    if (!configured) {
        // Errors come back as codes instead of aborting the process; warnings are not printed.
        igraph_set_error_handler(igraph_error_handler_ignore);
        igraph_set_warning_handler(igraph_warning_handler_ignore);
        configured = 1;
    }
    *out = NULL;
    sculpt_igraph_session *s = calloc(1, sizeof *s);
    if (!s) return IGRAPH_ENOMEM;
    igraph_vector_int_t list;
    igraph_error_t e = igraph_vector_int_init(&list, 2 * m);
    if (e) { free(s); return e; }
    for (int64_t i = 0; i < 2 * m; ++i) VECTOR(list)[i] = edges[i];
    e = igraph_create(&s->graph, &list, n, directed ? IGRAPH_DIRECTED : IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&list);
    if (e) { free(s); return e; }
    if ((e = igraph_vector_init(&s->weights, m))) { igraph_destroy(&s->graph); free(s); return e; }
    if ((e = igraph_vector_init(&s->strengths, n))) { igraph_vector_destroy(&s->weights); igraph_destroy(&s->graph); free(s); return e; }
    for (int64_t i = 0; i < m; ++i) VECTOR(s->weights)[i] = weights[i];
    for (int64_t v = 0; v < n; ++v) VECTOR(s->strengths)[v] = strengths[v];
    s->n = n;
    s->total_weight = total_weight;
    *out = s;
    return IGRAPH_SUCCESS;
}

/// Passes of Leiden before giving up on reaching a pass that changes nothing.
#define LEIDEN_MAX_PASSES 1000

/// Whether two memberships describe the same partition, whatever the cluster numbers.
static int same_partition(const igraph_vector_int_t *a, const igraph_vector_int_t *b) {
    igraph_integer_t n = igraph_vector_int_size(a);
    if (n != igraph_vector_int_size(b)) return 0;
    // Same partition ⇔ the label maps a→b and b→a are both functions; labels are 0…n−1.
    igraph_integer_t *ab = malloc(sizeof(igraph_integer_t) * (size_t)(2 * n + 1)), *ba = ab + n;
    if (!ab) return 0;
    for (igraph_integer_t i = 0; i < 2 * n; ++i) ab[i] = -1;
    int same = 1;
    for (igraph_integer_t i = 0; i < n && same; ++i) {
        igraph_integer_t x = VECTOR(*a)[i], y = VECTOR(*b)[i];
        if (x < 0 || x >= n || y < 0 || y >= n) { same = 0; break; }
        if (ab[x] == -1) ab[x] = y; else if (ab[x] != y) same = 0;
        if (ba[y] == -1) ba[y] = x; else if (ba[y] != x) same = 0;
    }
    free(ab);
    return same;
}

int sculpt_igraph_run(sculpt_igraph_session *s, int algorithm, double resolution, double beta, uint64_t seed,
                      int64_t *membership) {
    igraph_error_t e = igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
    if (e) return e;
    igraph_vector_int_t labels;
    if ((e = igraph_vector_int_init(&labels, 0))) return e;
    if (algorithm == 0) {
        // Iterated one pass at a time until a pass changes nothing (at most LEIDEN_MAX_PASSES), instead
        // of igraph's own "until stable" (n_iterations = -1): in libigraph 0.10.x that loop never ends
        // on a graph whose partition is already optimal (fixed upstream later).
        igraph_integer_t clusters = 0;
        igraph_real_t quality = 0;
        igraph_vector_int_t previous;
        if ((e = igraph_vector_int_init(&previous, 0))) { igraph_vector_int_destroy(&labels); return e; }
        for (int pass = 0; pass < LEIDEN_MAX_PASSES && !e; ++pass) {
            e = igraph_community_leiden(&s->graph, &s->weights, &s->strengths, resolution / (2 * s->total_weight), beta,
                                        pass > 0, 1, &labels, &clusters, &quality);
            if (e) break;
            if (pass > 0 && same_partition(&previous, &labels)) break;
            e = igraph_vector_int_update(&previous, &labels);
        }
        igraph_vector_int_destroy(&previous);
    } else {
        e = igraph_community_multilevel(&s->graph, &s->weights, resolution, &labels, NULL, NULL);
    }
    if (!e) {
        for (igraph_integer_t i = 0; i < s->n && i < igraph_vector_int_size(&labels); ++i) membership[i] = VECTOR(labels)[i];
    }
    igraph_vector_int_destroy(&labels);
    return e;
}

int sculpt_igraph_modularity(sculpt_igraph_session *s, const int64_t *membership, double resolution, int directed,
                             double *q) {
    igraph_vector_int_t labels;
    igraph_error_t e = igraph_vector_int_init(&labels, s->n);
    if (e) return e;
    for (igraph_integer_t i = 0; i < s->n; ++i) VECTOR(labels)[i] = membership[i];
    igraph_real_t value = 0;
    e = igraph_modularity(&s->graph, &labels, &s->weights, resolution, directed, &value);
    igraph_vector_int_destroy(&labels);
    if (!e) *q = value;
    return e;
}

void sculpt_igraph_close(sculpt_igraph_session *s) {
    if (!s) return;
    igraph_vector_destroy(&s->strengths);
    igraph_vector_destroy(&s->weights);
    igraph_destroy(&s->graph);
    free(s);
}

const char *sculpt_igraph_strerror(int code) { return igraph_strerror((igraph_error_t)code); }

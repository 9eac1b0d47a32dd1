#ifndef SCULPT_IGRAPH_BRIDGE_H
#define SCULPT_IGRAPH_BRIDGE_H
// A narrow C interface to igraph's C library for Clusterability. It exists so that no Swift module
// imports igraph's headers: they pull in <sys/select.h>, whose fd_set clashes with Dispatch's copy
// when both are Clang modules of one Swift module (a build-order-dependent error). Plain C types only.
// Not thread-safe (igraph is built without thread safety): callers hold one lock around every call.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An igraph graph with edge weights and vertex strengths, built once for several runs.
typedef struct sculpt_igraph_session sculpt_igraph_session;

/// Builds the graph: n vertices, m edges (edges[2i] → edges[2i+1] when directed), weights[m],
/// strengths[n]. Returns 0 or igraph's error code; on success *out must be closed.
int sculpt_igraph_open(int64_t n, int64_t m, const int64_t *edges, const double *weights, const double *strengths,
                       double total_weight, int directed, sculpt_igraph_session **out);

/// One seeded run: algorithm 0 = Leiden (modularity objective: node weights = strengths, resolution
/// γ/2W, iterate until stable), 1 = Louvain (multilevel, final level). Writes n labels to membership.
int sculpt_igraph_run(sculpt_igraph_session *s, int algorithm, double resolution, double beta, uint64_t seed,
                      int64_t *membership);

/// igraph_modularity of the given labels (n of them).
int sculpt_igraph_modularity(sculpt_igraph_session *s, const int64_t *membership, double resolution, int directed,
                             double *q);

void sculpt_igraph_close(sculpt_igraph_session *s);

/// igraph's message for an error code.
const char *sculpt_igraph_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif

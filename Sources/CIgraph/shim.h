#ifndef CIGRAPH_SHIM_H
#define CIGRAPH_SHIM_H
// igraph's C library, 0.10 API (libigraph-dev; pkg-config `igraph` adds -I/usr/include/igraph).
// NOTE: the Debian build has IGRAPH_THREAD_SAFE 0 (global RNG, error stack), so Clusterability
// serialises every igraph call behind one lock. SwiftPM does not track this file; after editing it,
// do a clean build.
#include <igraph.h>
#endif

#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
// LAPACKE (C interface to LAPACK) over OpenBLAS: Clusterability calls LAPACKE_dsyevr for the k
// smallest eigenpairs of the normalised Laplacian. NOTE: SwiftPM does not track this file; after
// editing it, do a clean build.
#include <lapacke.h>
// From OpenBLAS (libopenblas-dev); declared here so no OpenBLAS-variant include path is needed.
// Clusterability sets 1 thread: its parallelism is across shuffles, and a single-threaded BLAS
// gives the same bits whichever thread calls it.
void openblas_set_num_threads(int num_threads);
#endif

#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
// LAPACKE (C interface to LAPACK) over OpenBLAS: Clusterability calls LAPACKE_dsyevr for the k
// smallest eigenpairs of the normalised Laplacian. NOTE: SwiftPM does not track this file; after
// editing it, do a clean build.
#include <lapacke.h>
#endif

#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
// The few OpenBLAS entry points Sculpt calls, declared here so that no OpenBLAS-variant include path
// (pthread, openmp, serial) is needed: single-precision GEMM through the CBLAS interface and the
// thread-count controls. Debian's libopenblas0 uses 32-bit integers (not the ILP64 build), which
// these prototypes assume. NOTE: SwiftPM does not track this file; after editing it, do a clean build.

// CBLAS enumerations (values fixed by the CBLAS standard).
enum { COpenBLASRowMajor = 101 };
enum { COpenBLASNoTrans = 111, COpenBLASTrans = 112 };

void cblas_sgemm(const int order, const int transA, const int transB, const int m, const int n, const int k,
                 const float alpha, const float *a, const int lda, const float *b, const int ldb,
                 const float beta, float *c, const int ldc);

void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);

// OpenBLAS's environment reader and thread-pool shutdown (exported by the pthread builds; the pool
// restarts on the next call, reading the settings again).
void openblas_read_env(void);
int blas_thread_shutdown_(void);
#endif

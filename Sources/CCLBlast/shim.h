#ifndef CCLBLAST_SHIM_H
#define CCLBLAST_SHIM_H
// CLBlast (libclblast-dev): the tuned OpenCL BLAS. Sculpt calls only its strided-batched SGEMM, for
// large layers on GPU devices (OpenCLBackend's `clblast` path). NOTE: SwiftPM does not track this file;
// after editing it, do a clean build.
#define CL_TARGET_OPENCL_VERSION 120
#include <clblast_c.h>
#endif

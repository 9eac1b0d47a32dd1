#ifndef COPENCL_SHIM_H
#define COPENCL_SHIM_H
// Pin the API level before the Khronos headers see it: OpenCL 1.2 is what every NVIDIA driver
// offers, and it keeps clCreateCommandQueue un-deprecated. NOTE: SwiftPM does not track this file;
// after editing it, do a clean build.
#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#endif

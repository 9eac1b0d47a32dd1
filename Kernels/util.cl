// util.cl — small utility kernels over flat buffers (layouts: docs/layout.md "Conventions").
//
// Family `fill`: out[i] = value for 0 <= i < n.
//   fill_float(n, value, out)   out: float[>= n]
//   fill_int(n, value, out)     out: int[>= n]
// Shapes:  one flat dimension of n elements; any [P][...] buffer may be filled as a whole.
// Ids:     get_global_id(0) = i. The host may round the global size up to a multiple of the
//          work-group size; work-items with i >= n return at once, so out[n...] is never written.
// Output:  overwritten (not accumulated).
// Tuning macros: none.

__kernel void fill_float(const int n, const float value, __global float *out)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    out[i] = value;
}

__kernel void fill_int(const int n, const int value, __global int *out)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    out[i] = value;
}

// data.cl — mini-batch assembly: gather shuffled rows of the data set, add Gaussian input noise.
//
// Shapes (docs/layout.md "Conventions"): P models, N rows, B batch capacity, Bt ≤ B rows in this batch,
// n0 inputs, m outputs.
//   data    [N][n0]   clean inputs, shared by all models
//   targets [N][m]
//   perm    [P][N]    each model's row order for this epoch
//   x       [P][B][n0] out: overwritten for rows < Bt
//   y       [P][B][m]  out: overwritten for rows < Bt
//   keys    [P][2]    Philox key (model seed, purpose "input noise")
//   session [P]       the model's training-session counter (a fresh stream per retraining)
// NDRange: (≥ max(n0, m), Bt, P). Work-items past n0 / m do nothing for that array; inactive models skip.
// Noise: element e = pos·n0 + i of the epoch (pos = start + b) uses Philox block
// (e/2, epoch, session, 0) and takes the first (e even) or second (e odd) normal of the pair.

// With n0 = 0 only the targets are gathered (the sparse input layer reads the inputs itself).

// The standard normal of input element (pos, i) of an epoch, as described above (shared with
// sparse.cl, which draws the same numbers for the elements it reads).
inline float input_noise(const int pos, const int i, const int n0, const int epoch, const uint session,
                         const uint key0, const uint key1)
{
    const uint e = (uint)pos * (uint)n0 + (uint)i;
    const uint4 r = philox4x32_10((uint4)(e >> 1, (uint)epoch, session, 0u), (uint2)(key0, key1));
    const float2 z = normal_pair(r.x, r.y);
    return (e & 1u) ? z.y : z.x;
}

__kernel void batch_gather(const int n0, const int m, const int N, const int B, const int start,
                           const int epoch, const float sigma,
                           __global const float* data, __global const float* targets,
                           __global const uint* perm, __global const uint* keys,
                           __global const uint* session, __global const uint* active,
                           __global float* x, __global float* y)
{
    const int i = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (active[p] == 0) return;
    const int pos = start + b;
    const uint row = perm[(size_t)p * N + pos];
    if (i < n0) {
        float v = data[(size_t)row * n0 + i];
        if (sigma > 0.0f) v += sigma * input_noise(pos, i, n0, epoch, session[p], keys[2 * p], keys[2 * p + 1]);
        x[((size_t)p * B + b) * n0 + i] = v;
    }
    if (i < m) {
        y[((size_t)p * B + b) * m + i] = targets[(size_t)row * m + i];
    }
}

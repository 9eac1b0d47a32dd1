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
// NDRange: (max(n0, m), Bt, P). Work-items past n0 / m do nothing for that array; inactive models skip.
// Noise: element e = pos·n0 + i of the epoch (pos = start + b) uses Philox block
// (e/2, epoch, session, 0) and takes the first (e even) or second (e odd) normal of the pair.


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
        if (sigma > 0.0f) {
            const uint e = (uint)pos * (uint)n0 + (uint)i;
            const uint4 r = philox4x32_10((uint4)(e >> 1, (uint)epoch, session[p], 0u),
                                          (uint2)(keys[2 * p], keys[2 * p + 1]));
            const float2 z = normal_pair(r.x, r.y);
            v += sigma * ((e & 1u) ? z.y : z.x);
        }
        x[((size_t)p * B + b) * n0 + i] = v;
    }
    if (i < m) {
        y[((size_t)p * B + b) * m + i] = targets[(size_t)row * m + i];
    }
}

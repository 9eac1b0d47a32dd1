// loss.cl — mean binary cross-entropy on logits, its gradient, and validation metrics.
//
// Shapes: P models, B batch capacity, Bt ≤ B rows in use, m outputs.
//   z, dz      [P][B][m]   logits, gradient w.r.t. logits; y targets (see bce_grad)
//   targets    [N][m]      shared clean targets (validation); rows tOff/m … of this chunk
// Loss per element, stable for any z: max(z,0) − z·y + log(1 + exp(−|z|)).
// Prediction ŷ > 0.5 ⟺ z > 0.

#pragma OPENCL FP_CONTRACT OFF

inline float stable_sigmoid(float z) {
    if (z >= 0.0f) return 1.0f / (1.0f + exp(-z));
    const float e = exp(z);
    return e / (1.0f + e);
}

// dz = (σ(z) − y) · scale: scale = 1/(Bt·m) for the batch mean, 1/m for per-sample losses.
// y element (p, b, k) at p·yStride + yOff + b·m + k (yStride 0: targets shared by all models).
// Overwrites dz. NDRange (m, Bt, P).
__kernel void bce_grad(const int m, const int B, const int Bt, const float scale,
                       const int yStride, const int yOff,
                       __global const float* z, __global const float* y,
                       __global const uint* active, __global float* dz)
{
    const int k = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (k >= m || b >= Bt || active[p] == 0) return;
    const size_t e = ((size_t)p * B + b) * m + k;
    dz[e] = (stable_sigmoid(z[e]) - y[(size_t)p * yStride + yOff + (size_t)b * m + k]) * scale;
}

// Adds this chunk's summed loss and number of correct output bits to lossSum[p] and correct[p].
// One work-item per model, looping over the chunk in row-major order. NDRange (P).
__kernel void bce_eval_accumulate(const int m, const int B, const int Bt, const int tOff,
                                  __global const float* z, __global const float* targets,
                                  __global const uint* active,
                                  __global float* lossSum, __global uint* correct)
{
    const int p = get_global_id(0);
    if (active[p] == 0) return;
    float loss = 0.0f;
    uint ok = 0;
    for (int b = 0; b < Bt; ++b) {
        for (int k = 0; k < m; ++k) {
            const float v = z[((size_t)p * B + b) * m + k];
            const float t = targets[(size_t)tOff + (size_t)b * m + k];
            loss += fmax(v, 0.0f) - v * t + log1p(exp(-fabs(v)));
            ok += ((v > 0.0f) == (t > 0.5f)) ? 1u : 0u;
        }
    }
    lossSum[p] += loss;
    correct[p] += ok;
}

// loss.cl — the two losses on logits, their gradients, and validation metrics:
//   bce_*      mean binary cross-entropy, one sigmoid per output (Boolean tasks, multi-label outputs)
//   softmax_*  softmax over a row's m outputs with cross-entropy (10-class tasks, one-hot targets)
//
// Shapes: P models, B batch capacity, Bt ≤ B rows in use, m outputs.
//   z, dz      [P][B][m]   logits, gradient w.r.t. logits; y targets (see bce_grad)
//   targets    [N][m]      shared clean targets (validation); rows tOff/m … of this chunk
// BCE loss per element, stable for any z: max(z,0) − z·y + log(1 + exp(−|z|)). exp and log are
// mathfn.cl's (the fused kernel computes the same numbers in vector lanes).
// BCE prediction ŷ > 0.5 ⟺ z > 0; accuracy counts correct output bits (m per row).
// Softmax loss per row: logsumexp(z) − Σ_k y_k·z_k, computed from M = max_k z_k as
// log Σ_k exp(z_k − M) + Σ_k y_k·(M − z_k) (equal when the row's targets sum to 1, as one-hot ones do;
// no exp overflows and no large terms cancel). Softmax prediction: argmax z == argmax y (the first
// index among equal maxima on both sides); accuracy counts correct rows (1 per row).

#pragma OPENCL FP_CONTRACT OFF

inline float stable_sigmoid(float z) {
    if (z >= 0.0f) return 1.0f / (1.0f + sc_exp(-z));
    const float e = sc_exp(z);
    return e / (1.0f + e);
}

// dz = (σ(z) − y) · scale: scale = 1/(Bt·m) for the batch mean, 1/m for per-sample losses.
// y element (p, b, k) at p·yStride + yOff + b·m + k (yStride 0: targets shared by all models).
// saturate (the reference implementation's BCE of float sigmoid probabilities): dz = 0 where σ(z)
// rounds to exactly 1 with y = 0, or to exactly 0 with y = 1 (there its loss is patched and the
// sigmoid's derivative σ(1 − σ) is 0). Overwrites dz. NDRange (m, Bt, P).
__kernel void bce_grad(const int m, const int B, const int Bt, const float scale,
                       const int yStride, const int yOff, const int saturate,
                       __global const float* z, __global const float* y,
                       __global const uint* active, __global float* dz)
{
    const int k = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (k >= m || b >= Bt || active[p] == 0) return;
    const size_t e = ((size_t)p * B + b) * m + k;
    const float s = stable_sigmoid(z[e]), t = y[(size_t)p * yStride + yOff + (size_t)b * m + k];
    dz[e] = (saturate && ((s == 1.0f && t < 0.5f) || (s == 0.0f && t > 0.5f))) ? 0.0f : (s - t) * scale;
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
            loss += fmax(v, 0.0f) - v * t + sc_log1p(sc_exp(-fabs(v)));
            ok += ((v > 0.0f) == (t > 0.5f)) ? 1u : 0u;
        }
    }
    lossSum[p] += loss;
    correct[p] += ok;
}

// Softmax of row (p, b): M = max_k z_k, S = Σ_k exp(z_k − M), computed in index order by every
// work-item of the row, so they all see the same M and S.
inline void softmax_row_stats(__global const float* zr, const int m, float* M, float* S) {
    float mx = zr[0];
    for (int k = 1; k < m; ++k) mx = fmax(mx, zr[k]);
    float s = 0.0f;
    for (int k = 0; k < m; ++k) s += sc_exp(zr[k] - mx);
    *M = mx;
    *S = s;
}

// dz = (softmax(z)_k − y_k) · scale: scale = 1/Bt for the batch mean, 1 for per-sample losses.
// y element (p, b, k) at p·yStride + yOff + b·m + k (yStride 0: targets shared by all models).
// Overwrites dz. NDRange (m, Bt, P).
__kernel void softmax_ce_grad(const int m, const int B, const int Bt, const float scale,
                              const int yStride, const int yOff,
                              __global const float* z, __global const float* y,
                              __global const uint* active, __global float* dz)
{
    const int k = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (k >= m || b >= Bt || active[p] == 0) return;
    const size_t row = ((size_t)p * B + b) * m;
    float M, S;
    softmax_row_stats(z + row, m, &M, &S);
    const float q = sc_exp(z[row + k] - M) / S;
    dz[row + k] = (q - y[(size_t)p * yStride + yOff + (size_t)b * m + k]) * scale;
}

// Adds this chunk's summed softmax cross-entropy and number of correct rows to lossSum[p] and
// correct[p]. One work-item per model, looping over the chunk in row-major order. NDRange (P).
__kernel void softmax_eval_accumulate(const int m, const int B, const int Bt, const int tOff,
                                      __global const float* z, __global const float* targets,
                                      __global const uint* active,
                                      __global float* lossSum, __global uint* correct)
{
    const int p = get_global_id(0);
    if (active[p] == 0) return;
    float loss = 0.0f;
    uint ok = 0;
    for (int b = 0; b < Bt; ++b) {
        __global const float* zr = z + ((size_t)p * B + b) * m;
        __global const float* t = targets + (size_t)tOff + (size_t)b * m;
        float M, S;
        softmax_row_stats(zr, m, &M, &S);
        float yz = 0.0f;
        int az = 0, at = 0;
        for (int k = 0; k < m; ++k) {
            yz += t[k] * (M - zr[k]);
            if (zr[k] > zr[az]) az = k;
            if (t[k] > t[at]) at = k;
        }
        loss += sc_log(S) + yz;
        ok += (az == at) ? 1u : 0u;
    }
    lossSum[p] += loss;
    correct[p] += ok;
}

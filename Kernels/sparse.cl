// sparse.cl — the first weight layer of a population run over its surviving weights only: once edge
// pruning has left a few live weights per unit, a training step costs what is left, not n0 · n1.
//
// Per model, the inputs any of its live layer-0 weights read (its "slots", at most U) are gathered
// into a small dense batch xs; the layer then runs over the live weights (ELL rows of at most K).
//
// Shapes and layouts (docs/layout.md "Conventions"; layer 0 maps n0 inputs to nOut units):
//   inputs [P][U]          per model, the input column of each slot, increasing, then 0xFFFFFFFF
//   cols   [P][nOut][K]    per model and unit, the input columns of its live weights, increasing,
//   slots  [P][nOut][K]    and the slot of each; both 0xFFFFFFFF to the end of the row
//   xs     [P][B][U]       the gathered slots of the batch's rows
//   W, bias                as in dense.cl, layer 0 at wOff / bOff; out, dOut [P][B][nOut]
// Where the gather reads row b of model p:
//   usePerm != 0: row perm[p·N + start + b] of `in` ([N][n0], the training data) plus input noise
//                 σ · input_noise(start + b, i, …), exactly as batch_gather adds it;
//   usePerm == 0: element (p, b, i) at p·inStride + inOff + b·n0 + i (e.g. the validation table).
// Summation is sequential in float over a row's live weights in increasing column order (forward)
// and over the batch rows (weight gradient), so the results equal dense.cl's: the products skipped
// are exact zeros.
// Guards: work-items past the logical size return; inactive models (active[p] == 0) return.

#pragma OPENCL FP_CONTRACT OFF

#define SPARSE_END 0xFFFFFFFFu

// xs[p][b][u] = x(p, b, inputs[p][u]). NDRange (≥ U, Bt, P).
__kernel void sparse_input_gather(const int n0, const int U, const int N, const int B, const int Bt,
                                  const int start, const int epoch, const float sigma, const int usePerm,
                                  const int inStride, const int inOff,
                                  __global const float* in, __global const uint* perm, __global const uint* keys,
                                  __global const uint* session, __global const uint* inputs,
                                  __global const uint* active, __global float* xs)
{
    const int u = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (u >= U || b >= Bt || active[p] == 0) return;
    const uint i = inputs[(size_t)p * U + u];
    if (i == SPARSE_END) return;
    float v;
    if (usePerm != 0) {
        v = in[(size_t)perm[(size_t)p * N + start + b] * n0 + i];
        if (sigma > 0.0f) v += sigma * input_noise(start + b, (int)i, n0, epoch, session[p], keys[2 * p], keys[2 * p + 1]);
    } else {
        v = in[(size_t)p * inStride + inOff + (size_t)b * n0 + i];
    }
    xs[((size_t)p * B + b) * U + u] = v;
}

// out[p][b][j] = act(bias[p][j] + Σ_k W[p][j][cols[k]] · xs[p][b][slots[k]]). NDRange (≥ Bt, nOut, P).
__kernel void sparse_input_forward(const int n0, const int nOut, const int K, const int U, const int B, const int Bt,
                                   const int WT, const int wOff, const int BT, const int bOff, const int relu,
                                   __global const float* xs, __global const uint* cols, __global const uint* slots,
                                   __global const float* W, __global const float* bias,
                                   __global const uint* active, __global float* out)
{
    const int b = get_global_id(0);
    const int j = get_global_id(1);
    const int p = get_global_id(2);
    if (b >= Bt || j >= nOut || active[p] == 0) return;
    __global const float* x = xs + ((size_t)p * B + b) * U;
    __global const float* w = W + (size_t)p * WT + wOff + (size_t)j * n0;
    const size_t row = ((size_t)p * nOut + j) * K;
    float acc = 0.0f;
    for (int k = 0; k < K; ++k) {
        const uint i = cols[row + k];
        if (i == SPARSE_END) break;
        acc += w[i] * x[slots[row + k]];
    }
    acc += bias[(size_t)p * BT + bOff + j];
    out[((size_t)p * B + b) * nOut + j] = (relu != 0 && acc < 0.0f) ? 0.0f : acc;
}

// gW[p][j][cols[k]] = Σ_b dOut[p][b][j] · xs[p][b][slots[k]] for the live weights only; every other
// entry of gW is left as it was (the masked Adam step ignores it). NDRange (≥ K, nOut, P).
__kernel void sparse_input_backward_weights(const int n0, const int nOut, const int K, const int U, const int B,
                                            const int Bt, const int WT, const int wOff,
                                            __global const float* xs, __global const uint* cols,
                                            __global const uint* slots, __global const float* dOut,
                                            __global const uint* active, __global float* gW)
{
    const int k = get_global_id(0);
    const int j = get_global_id(1);
    const int p = get_global_id(2);
    if (k >= K || j >= nOut || active[p] == 0) return;
    const size_t e = ((size_t)p * nOut + j) * K + k;
    const uint i = cols[e];
    if (i == SPARSE_END) return;
    __global const float* x = xs + (size_t)p * B * U + slots[e];
    __global const float* d = dOut + (size_t)p * B * nOut + j;
    float acc = 0.0f;
    for (int b = 0; b < Bt; ++b) acc += d[(size_t)b * nOut] * x[(size_t)b * U];
    gW[(size_t)p * WT + wOff + (size_t)j * n0 + i] = acc;
}

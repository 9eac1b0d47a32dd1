// dense.cl — masked fully connected layers of a population of MLPs: forward, backward to the
// inputs, backward to the weights. Small-network variants: one work-item per output element.
//
// Shapes and layouts (docs/layout.md "Conventions"): P models, B batch capacity, Bt ≤ B rows in use,
// layer l maps nIn = n_l to nOut = n_{l+1}.
//   W     [P][WT]  all weight layers of a model concatenated; layer l at wOff, row-major [nOut][nIn]
//   bias  [P][BT]  all bias layers concatenated; layer l at bOff, [nOut]
//   in    element (p, b, i) at p·inStride + inOff + b·nIn + i  (inStride 0 broadcasts one shared
//         input to every model, e.g. the clean validation table)
//   out   [P][B][nOut]; dOut like out; dIn [P][B][nIn]
// Masked weights are exactly 0 (the update applies the mask), so no mask is read here.
// Guards: work-items past the NDRange's logical size return; inactive models (active[p] == 0) return.
// Accumulation is sequential in float in index order; FP_CONTRACT is off so results do not depend on
// how a compiler vectorises across work-items.

#pragma OPENCL FP_CONTRACT OFF

// out[p][b][j] = act(bias[p][j] + Σ_i W[p][j][i] · in[p][b][i]); act = ReLU when relu != 0.
// NDRange (nOut, Bt, P).
__kernel void dense_forward(const int nIn, const int nOut, const int B, const int Bt,
                            const int inStride, const int inOff,
                            const int WT, const int wOff, const int BT, const int bOff, const int relu,
                            __global const float* in, __global const float* W, __global const float* bias,
                            __global const uint* active, __global float* out)
{
    const int j = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (j >= nOut || b >= Bt || active[p] == 0) return;
    __global const float* x = in + (size_t)p * inStride + inOff + (size_t)b * nIn;
    __global const float* w = W + (size_t)p * WT + wOff + (size_t)j * nIn;
    float acc = 0.0f;
    for (int i = 0; i < nIn; ++i) acc += w[i] * x[i];
    acc += bias[(size_t)p * BT + bOff + j];
    out[((size_t)p * B + b) * nOut + j] = (relu != 0 && acc < 0.0f) ? 0.0f : acc;
}

// dIn[p][b][i] = (Σ_j dOut[p][b][j] · W[p][j][i]) · [a[p][b][i] > 0]  (a = the ReLU output that fed
// this layer; the derivative of ReLU at 0 is taken as 0). NDRange (nIn, Bt, P).
__kernel void dense_backward_data(const int nIn, const int nOut, const int B, const int Bt,
                                  const int WT, const int wOff,
                                  __global const float* dOut, __global const float* W,
                                  __global const float* a, __global const uint* active,
                                  __global float* dIn)
{
    const int i = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (i >= nIn || b >= Bt || active[p] == 0) return;
    const size_t row = (size_t)p * B + b;
    float acc = 0.0f;
    if (a[row * nIn + i] > 0.0f) {
        __global const float* w = W + (size_t)p * WT + wOff + i;
        __global const float* d = dOut + row * nOut;
        for (int j = 0; j < nOut; ++j) acc += d[j] * w[(size_t)j * nIn];
    }
    dIn[row * nIn + i] = acc;
}

// gW[p][j][i] = Σ_b dOut[p][b][j] · in[p][b][i]; work-item i == nIn writes gb[p][j] = Σ_b dOut[p][b][j].
// Overwrites the gradient. NDRange (nIn + 1, nOut, P).
__kernel void dense_backward_weights(const int nIn, const int nOut, const int B, const int Bt,
                                     const int inStride, const int inOff,
                                     const int WT, const int wOff, const int BT, const int bOff,
                                     __global const float* in, __global const float* dOut,
                                     __global const uint* active,
                                     __global float* gW, __global float* gb)
{
    const int i = get_global_id(0);
    const int j = get_global_id(1);
    const int p = get_global_id(2);
    if (i > nIn || j >= nOut || active[p] == 0) return;
    __global const float* d = dOut + (size_t)p * B * nOut + j;
    float acc = 0.0f;
    if (i == nIn) {
        for (int b = 0; b < Bt; ++b) acc += d[(size_t)b * nOut];
        gb[(size_t)p * BT + bOff + j] = acc;
    } else {
        __global const float* x = in + (size_t)p * inStride + inOff + i;
        for (int b = 0; b < Bt; ++b) acc += d[(size_t)b * nOut] * x[(size_t)b * nIn];
        gW[(size_t)p * WT + wOff + (size_t)j * nIn + i] = acc;
    }
}

// gemm.cl — matrix products of large masked layers for a population: C = A·B with strided operands,
// and an epilogue (bias, ReLU, gate). Variants for CPU devices (vector types, register blocks, tiny
// work-groups) and GPU devices (local-memory tiles, register blocking), chosen at run time by
// OpenCLBackend from the device type; the small-network kernels of dense.cl stay for small layers.
//
// Operands of model p (docs/layout.md "Conventions" for the tensors they point into):
//   A(m,k) = A[p·sAp + aOff + m·sAm + k·sAk]      M × K
//   B(k,n) = B[p·sBp + bOff + k·sBk + n·sBn]      K × N
//   C(m,n) = C[p·sCp + cOff + m·ldc + n]          M × N, overwritten
// Epilogue, in this order: + bias[p·sBiasP + biasOff + n] when useBias; max(·,0) when relu;
// · [G(m,n) > 0] with G(m,n) = G[p·sGp + gOff + m·ldg + n] when useGate (the ReLU derivative).
// The three uses: forward out = in·Wᵀ (+bias, ReLU); backward to the inputs dIn = dOut·W gated by
// the layer's input activations; backward to the weights gW = dOutᵀ·in.
// Guards: work-items past M, N return (edge blocks take a scalar path); inactive models return.
// Results differ from the sequential reference by summation order only (~1e-6 relative).
//
// Tuning macros: set only through OpenCLBackend's GemmTuning, which also computes the matching NDRange
// and work-group sizes (a -D flag alone would leave the host launching the old geometry):
//   GEMM_VB_MR  rows per work-item of gemm_vecb_cpu (default 4; the 16 columns are two float8)
//   GEMM_DOT_MR, GEMM_DOT_NR  rows × columns per work-item of gemm_dot_cpu (default 4 × 4)
//   GEMM_TS     tile edge of gemm_tiled_gpu (default 64; work-group (GEMM_TS/4, GEMM_TS/4), 4×4 per item)
//   GEMM_TK     depth of a tile step of gemm_tiled_gpu (default 16)

#ifndef GEMM_VB_MR
#define GEMM_VB_MR 4
#endif
#ifndef GEMM_DOT_MR
#define GEMM_DOT_MR 4
#endif
#ifndef GEMM_DOT_NR
#define GEMM_DOT_NR 4
#endif
#ifndef GEMM_TS
#define GEMM_TS 64
#endif
#ifndef GEMM_TK
#define GEMM_TK 16
#endif

inline float gemm_epilogue(float v, const int m, const int n, const int p,
                           __global const float* bias, const int biasOff, const int sBiasP, const int useBias,
                           const int relu,
                           __global const float* G, const int gOff, const int sGp, const int ldg, const int useGate)
{
    if (useBias) v += bias[(size_t)p * sBiasP + biasOff + n];
    if (relu && v < 0.0f) v = 0.0f;
    if (useGate && !(G[(size_t)p * sGp + gOff + (size_t)m * ldg + n] > 0.0f)) v = 0.0f;
    return v;
}

// Scalar C(m,n) for edge blocks and the generic fallback.
inline float gemm_dot_scalar(const int m, const int n, const int K,
                             __global const float* a, const int sAm, const int sAk,
                             __global const float* b, const int sBk, const int sBn)
{
    float acc = 0.0f;
    for (int k = 0; k < K; ++k) acc += a[(size_t)m * sAm + (size_t)k * sAk] * b[(size_t)k * sBk + (size_t)n * sBn];
    return acc;
}

#define GEMM_ARGS const int M, const int N, const int K, \
    __global const float* A, const int aOff, const int sAp, const int sAm, const int sAk, \
    __global const float* B, const int bOff, const int sBp, const int sBk, const int sBn, \
    __global float* C, const int cOff, const int sCp, const int ldc, \
    __global const float* bias, const int biasOff, const int sBiasP, const int useBias, const int relu, \
    __global const float* G, const int gOff, const int sGp, const int ldg, const int useGate, \
    __global const uint* active

#define EPILOGUE(v, m, n) gemm_epilogue((v), (m), (n), p, bias, biasOff, sBiasP, useBias, relu, G, gOff, sGp, ldg, useGate)

// CPU, B contiguous along n (sBn == 1): each work-item owns GEMM_VB_MR rows × 16 columns, broadcasting
// A(m,k) against two float8 of B(k, n..n+15). NDRange (ceil(N/16), ceil(M/GEMM_VB_MR), P), work-group (1,1,1).
__kernel void gemm_vecb_cpu(GEMM_ARGS)
{
    const int n0 = get_global_id(0) * 16;
    const int m0 = get_global_id(1) * GEMM_VB_MR;
    const int p = get_global_id(2);
    if (n0 >= N || m0 >= M || active[p] == 0) return;
    __global const float* a = A + (size_t)p * sAp + aOff;
    __global const float* b = B + (size_t)p * sBp + bOff;
    __global float* c = C + (size_t)p * sCp + cOff;
    if (n0 + 16 <= N && m0 + GEMM_VB_MR <= M) {
        float8 lo[GEMM_VB_MR], hi[GEMM_VB_MR];
        for (int r = 0; r < GEMM_VB_MR; ++r) { lo[r] = (float8)(0.0f); hi[r] = (float8)(0.0f); }
        for (int k = 0; k < K; ++k) {
            __global const float* brow = b + (size_t)k * sBk + n0;
            const float8 b0 = vload8(0, brow);
            const float8 b1 = vload8(1, brow);
            for (int r = 0; r < GEMM_VB_MR; ++r) {
                const float av = a[(size_t)(m0 + r) * sAm + (size_t)k * sAk];
                lo[r] = mad((float8)(av), b0, lo[r]);
                hi[r] = mad((float8)(av), b1, hi[r]);
            }
        }
        for (int r = 0; r < GEMM_VB_MR; ++r) {
            float v[16];
            vstore8(lo[r], 0, v);
            vstore8(hi[r], 1, v);
            for (int q = 0; q < 16; ++q) c[(size_t)(m0 + r) * ldc + n0 + q] = EPILOGUE(v[q], m0 + r, n0 + q);
        }
    } else {
        for (int m = m0; m < min(m0 + GEMM_VB_MR, M); ++m)
            for (int n = n0; n < min(n0 + 16, N); ++n)
                c[(size_t)m * ldc + n] = EPILOGUE(gemm_dot_scalar(m, n, K, a, sAm, sAk, b, sBk, sBn), m, n);
    }
}

// CPU, A and B both contiguous along k (sAk == sBk == 1, the forward in·Wᵀ): each work-item owns
// GEMM_DOT_MR × GEMM_DOT_NR outputs as float8 partial dot products over k, summed at the end.
// NDRange (ceil(N/GEMM_DOT_NR), ceil(M/GEMM_DOT_MR), P), work-group (1,1,1).
__kernel void gemm_dot_cpu(GEMM_ARGS)
{
    const int n0 = get_global_id(0) * GEMM_DOT_NR;
    const int m0 = get_global_id(1) * GEMM_DOT_MR;
    const int p = get_global_id(2);
    if (n0 >= N || m0 >= M || active[p] == 0) return;
    __global const float* a = A + (size_t)p * sAp + aOff;
    __global const float* b = B + (size_t)p * sBp + bOff;
    __global float* c = C + (size_t)p * sCp + cOff;
    if (n0 + GEMM_DOT_NR <= N && m0 + GEMM_DOT_MR <= M) {
        float8 acc[GEMM_DOT_MR][GEMM_DOT_NR];
        for (int r = 0; r < GEMM_DOT_MR; ++r) for (int q = 0; q < GEMM_DOT_NR; ++q) acc[r][q] = (float8)(0.0f);
        const int K8 = K & ~7;
        for (int k = 0; k < K8; k += 8) {
            float8 av[GEMM_DOT_MR];
            for (int r = 0; r < GEMM_DOT_MR; ++r) av[r] = vload8(0, a + (size_t)(m0 + r) * sAm + k);
            for (int q = 0; q < GEMM_DOT_NR; ++q) {
                const float8 bv = vload8(0, b + (size_t)(n0 + q) * sBn + k);
                for (int r = 0; r < GEMM_DOT_MR; ++r) acc[r][q] = mad(av[r], bv, acc[r][q]);
            }
        }
        for (int r = 0; r < GEMM_DOT_MR; ++r) {
            for (int q = 0; q < GEMM_DOT_NR; ++q) {
                const float8 s = acc[r][q];
                float v = ((s.s0 + s.s1) + (s.s2 + s.s3)) + ((s.s4 + s.s5) + (s.s6 + s.s7));
                for (int k = K8; k < K; ++k) v += a[(size_t)(m0 + r) * sAm + k] * b[(size_t)(n0 + q) * sBn + k];
                c[(size_t)(m0 + r) * ldc + n0 + q] = EPILOGUE(v, m0 + r, n0 + q);
            }
        }
    } else {
        for (int m = m0; m < min(m0 + GEMM_DOT_MR, M); ++m)
            for (int n = n0; n < min(n0 + GEMM_DOT_NR, N); ++n)
                c[(size_t)m * ldc + n] = EPILOGUE(gemm_dot_scalar(m, n, K, a, sAm, 1, b, 1, sBn), m, n);
    }
}

// GPU: GEMM_TS × GEMM_TS output tiles, GEMM_TK-deep steps through local memory, 4×4 outputs per
// work-item (register blocking). Any strides. NDRange (ceil(N/4), ceil(M/4), P) rounded up to the
// work-group (GEMM_TS/4, GEMM_TS/4, 1).
__kernel __attribute__((reqd_work_group_size(GEMM_TS / 4, GEMM_TS / 4, 1)))
void gemm_tiled_gpu(GEMM_ARGS)
{
    __local float As[GEMM_TK][GEMM_TS];
    __local float Bs[GEMM_TK][GEMM_TS];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int p = get_global_id(2);
    const int tileN = get_group_id(0) * GEMM_TS, tileM = get_group_id(1) * GEMM_TS;
    if (active[p] == 0) return;   // uniform per work-group: every item of a group has the same p
    __global const float* a = A + (size_t)p * sAp + aOff;
    __global const float* b = B + (size_t)p * sBp + bOff;
    __global float* c = C + (size_t)p * sCp + cOff;
    const int tid = ty * (GEMM_TS / 4) + tx, threads = (GEMM_TS / 4) * (GEMM_TS / 4);
    float acc[4][4];
    for (int i = 0; i < 4; ++i) for (int j = 0; j < 4; ++j) acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < K; k0 += GEMM_TK) {
        for (int e = tid; e < GEMM_TK * GEMM_TS; e += threads) {
            const int kk = e / GEMM_TS, mm = e % GEMM_TS;
            const int gm = tileM + mm, gk = k0 + kk;
            As[kk][mm] = (gm < M && gk < K) ? a[(size_t)gm * sAm + (size_t)gk * sAk] : 0.0f;
            const int gn = tileN + mm;
            Bs[kk][mm] = (gn < N && gk < K) ? b[(size_t)gk * sBk + (size_t)gn * sBn] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < GEMM_TK; ++kk) {
            float av[4], bv[4];
            for (int i = 0; i < 4; ++i) av[i] = As[kk][ty + i * (GEMM_TS / 4)];
            for (int j = 0; j < 4; ++j) bv[j] = Bs[kk][tx + j * (GEMM_TS / 4)];
            for (int i = 0; i < 4; ++i) for (int j = 0; j < 4; ++j) acc[i][j] = mad(av[i], bv[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < 4; ++i) {
        const int m = tileM + ty + i * (GEMM_TS / 4);
        if (m >= M) continue;
        for (int j = 0; j < 4; ++j) {
            const int n = tileN + tx + j * (GEMM_TS / 4);
            if (n < N) c[(size_t)m * ldc + n] = EPILOGUE(acc[i][j], m, n);
        }
    }
}

// The epilogue of a product computed elsewhere (CLBlast, into the dense [P][M][N] scratch `S`): copies
// model p's M × N result into C with the same epilogue as the kernels above; inactive models return
// (the library computed them anyway, C keeps its values). NDRange (N, M, P).
__kernel void gemm_epilogue_copy(const int M, const int N, __global const float* S,
                                 __global float* C, const int cOff, const int sCp, const int ldc,
                                 __global const float* bias, const int biasOff, const int sBiasP, const int useBias,
                                 const int relu,
                                 __global const float* G, const int gOff, const int sGp, const int ldg, const int useGate,
                                 __global const uint* active)
{
    const int n = get_global_id(0);
    const int m = get_global_id(1);
    const int p = get_global_id(2);
    if (n >= N || m >= M || active[p] == 0) return;
    const float v = S[((size_t)p * M + m) * N + n];
    C[(size_t)p * sCp + cOff + (size_t)m * ldc + n] = EPILOGUE(v, m, n);
}

// Bias gradient of one layer: gb[p][bOff + j] = Σ_{b<Bt} dOut[p][b][j]. NDRange (nOut, P).
__kernel void bias_grad(const int nOut, const int B, const int Bt, const int BT, const int bOff,
                        __global const float* dOut, __global const uint* active, __global float* gb)
{
    const int j = get_global_id(0);
    const int p = get_global_id(1);
    if (j >= nOut || active[p] == 0) return;
    float acc = 0.0f;
    for (int b = 0; b < Bt; ++b) acc += dOut[((size_t)p * B + b) * nOut + j];
    gb[(size_t)p * BT + bOff + j] = acc;
}

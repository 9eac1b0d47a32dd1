// fused.cl — whole training epochs of a population of small masked MLPs in one launch: for every
// model, every mini-batch step (gather with input noise, forward with dropout, loss gradient,
// backward, Adam with coupled weight decay and masks), then the validation pass, the best-epoch
// snapshot rule and the snapshot copy. The host sees only the epochs' metrics.
//
// It computes what the per-layer kernels compute (data.cl, dropout.cl, dense.cl, loss.cl, adam.cl,
// population.cl), element by element in the same order of operations: the per-layer path is its
// specification (tests compare the two), and its numbers are theirs bit for bit (mathfn.cl).
//
// Lane layout: models sit in groups of FUSED_G; element c of model p's C-element array lives at
//   ((p / G)·C + c)·G + p % G
// so the G models of a group read one contiguous run of memory for the same element. A work-item
// handles FUSED_V consecutive models of a group with FUSED_V-wide vectors (CPUs: V = G, the models
// sit in the vector lanes); with V = 1 each work-item is one model and neighbouring work-items read
// neighbouring addresses (GPUs: G = a warp). V divides G.
// Arrays in lane layout: weights, masks, Adam moments, snapshots [WT]; biases and their masks [BT];
// activation and delta scratch [AT] (AT = B·Σ_l n_l, layer l's rows at B·Σ_{k<l} n_k).
// Plain [P]-layout arrays: data, targets, perm [epochs][P][N], keys [P][2], session, lr, active,
// bestLoss, bestCorrect [P], history [epoch][P].
//
// A work-item computes every lane, active or not (uniform control flow keeps the vectors whole);
// inactive lanes (and the padding past P) never store into parameters, state or history.
// NDRange (ceil(P / V)).

#pragma OPENCL FP_CONTRACT OFF

#define V FUSED_V
#define G FUSED_G
#if V == 1
typedef float vf;
typedef uint vu;
typedef int vi;
#define VLOAD(ptr) (*(ptr))
#define VSTORE(v, ptr) (*(ptr) = (v))
#define TO_VF(x) ((float)(x))
#define VTRUE 1  // what a comparison yields for true (scalars 1, vectors −1)
#else
#define FUSED_CAT(a, b) a##b
#define FUSED_XCAT(a, b) FUSED_CAT(a, b)
typedef FUSED_XCAT(float, V) vf;
typedef FUSED_XCAT(uint, V) vu;
typedef FUSED_XCAT(int, V) vi;
#define VLOAD(ptr) FUSED_XCAT(vload, V)(0, (ptr))
#define VSTORE(v, ptr) FUSED_XCAT(vstore, V)((v), 0, (ptr))
#define TO_VF(x) FUSED_XCAT(convert_float, V)(x)
#define VTRUE (-1)
#endif


// exp, log, log1p, sin and cos: mathfn.cl's, whose vector instances round as the scalar ones the
// per-layer kernels call, so the fused path's numbers are theirs bit for bit.
#if V == 1
#define MATH(f, x) sc_##f(x)
#define SINCOS2PI(u, c) sc_sincos2pi((u), (c))
#else
#define FUSED_AS_I FUSED_XCAT(as_int, V)
#define FUSED_AS_F FUSED_XCAT(as_float, V)
#define FUSED_TO_I FUSED_XCAT(convert_int, V)
SC_MATH(vf, vi, _v, FUSED_AS_I, FUSED_AS_F, FUSED_TO_I, TO_VF)
#define MATH(f, x) sc_##f##_v(x)
#define SINCOS2PI(u, c) sc_sincos2pi_v((u), (c))
#endif

// Element c (of C per model) of a lane-layout array, this work-item's lanes: through the array's
// base pointer for this work-item, `buf##_` (set up once per launch: the offsets stay small ints).
#define LANE_BASE(buf, C) __global float* const buf##_ = (buf) + (size_t)grp * (size_t)(C) * G + lane0
#define LANE_BASE_CONST(buf, C) __global const float* const buf##_ = (buf) + (size_t)grp * (size_t)(C) * G + lane0
#define LD(buf, C, c) VLOAD(buf##_ + (c) * G)
#define ST(v, buf, C, c) VSTORE((v), buf##_ + (c) * G)
// Stores only into live lanes.
#define ST_LIVE(v, buf, C, c) ST(select(LD(buf, C, c), (v), live), buf, C, c)
// FUSED_MAX_DEPTH (from the host, FusedLayout.maximumDepth): the deepest network the kernel takes
// (its widths are kept in private memory); the host sends deeper ones to the per-layer path.

// Philox-4x32-10 of random.cl on V lanes at once (counter words c0..c3, key k0, k1).
inline void philox_lanes(vu* c0, vu* c1, vu* c2, vu* c3, vu k0, vu k1) {
    for (int r = 0; r < 10; ++r) {
        const vu lo0 = (vu)0xD2511F53u * *c0, hi0 = mul_hi((vu)0xD2511F53u, *c0);
        const vu lo1 = (vu)0xCD9E8D57u * *c2, hi1 = mul_hi((vu)0xCD9E8D57u, *c2);
        const vu y0 = hi1 ^ *c1 ^ k0;
        const vu y2 = hi0 ^ *c3 ^ k1;
        *c0 = y0;
        *c1 = lo1;
        *c2 = y2;
        *c3 = lo0;
        k0 += (vu)0x9E3779B9u;
        k1 += (vu)0xBB67AE85u;
    }
}

inline vf philox_unit_lanes(vu u) { return (TO_VF(u >> 8) + 1.0f) * (1.0f / 16777216.0f); }

// Adds σ·z to the batch's input element at offset `off` (= b·n0 + i) of layer 0's scratch rows.
#define ADD_NOISE(off, z) ST(LD(acts, AT, (off)) + sigma * (z), acts, AT, (off));

// dropout_apply of dropout.cl: the keep decision of hidden unit hOff + u at row position pos.
inline vi dropout_keep_lanes(const int hu, const int pos, const int epoch, vu session, vu k0, vu k1, const float rate) {
    vu c0 = (vu)((uint)hu), c1 = (vu)((uint)pos), c2 = (vu)((uint)epoch), c3 = session;
    philox_lanes(&c0, &c1, &c2, &c3, k0, k1);
    return philox_unit_lanes(c0) > rate;
}

inline vf stable_sigmoid_lanes(vf z) {
    const vf e = MATH(exp, -fabs(z));  // exp(−z) for z ≥ 0, exp(z) below: loss.cl's two branches
    return select(e / (1.0f + e), 1.0f / (1.0f + e), z >= 0.0f);
}

// Forward pass of scratch rows 0 … R−1 (layer 0's inputs already there), layer by layer and unit by
// unit so that a unit's weights stay in cache across the rows: layer outputs into the scratch, and
// dropout after hidden layers when withDropout and dropRate > 0 (row b at position pos0 + b of the
// epoch). Each output element as dense_forward then dropout_apply compute it; four rows at a time,
// each with its own sum, so that the additions (in index order, as the per-layer kernels do them)
// overlap instead of waiting on one another.
#define FORWARD_OUT(acc, b)                                                                       \
    {                                                                                             \
        vf o = (acc) + bj;                                                                        \
        if (l < L - 1) {                                                                          \
            o = select(o, (vf)0.0f, o < 0.0f);                                                    \
            if (fwdDropout && dropRate > 0.0f)                                                    \
                o = select((vf)0.0f, o * dropScale, dropout_keep_lanes(hOff + j, fwdPos0 + (b), epoch, sess, dk0, dk1, dropRate)); \
        }                                                                                         \
        ST(o, acts, AT, aOut + (b) * nOut + j);                                                   \
    }
#define FORWARD(R, pos0, withDropout)                                                             \
    {                                                                                             \
        const int fwdPos0 = (pos0), fwdDropout = (withDropout);                                   \
        int wOff = 0, bOff = 0, aIn = 0, hOff = 0;                                                \
        for (int l = 0; l < L; ++l) {                                                             \
            const int nIn = nw[l], nOut = nw[l + 1];                                              \
            const int aOut = aIn + B * nIn;                                                       \
            for (int j = 0; j < nOut; ++j) {                                                      \
                const vf bj = LD(bias, BT, bOff + j);                                             \
                int b = 0;                                                                        \
                for (; b + 4 <= (R); b += 4) {                                                    \
                    vf a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;                                \
                    for (int i = 0; i < nIn; ++i) {                                               \
                        const vf w = LD(W, WT, wOff + j * nIn + i);                               \
                        a0 += w * LD(acts, AT, aIn + b * nIn + i);                                \
                        a1 += w * LD(acts, AT, aIn + (b + 1) * nIn + i);                          \
                        a2 += w * LD(acts, AT, aIn + (b + 2) * nIn + i);                          \
                        a3 += w * LD(acts, AT, aIn + (b + 3) * nIn + i);                          \
                    }                                                                             \
                    FORWARD_OUT(a0, b) FORWARD_OUT(a1, b + 1) FORWARD_OUT(a2, b + 2) FORWARD_OUT(a3, b + 3) \
                }                                                                                 \
                for (; b < (R); ++b) {                                                            \
                    vf a0 = 0.0f;                                                                 \
                    for (int i = 0; i < nIn; ++i) a0 += LD(W, WT, wOff + j * nIn + i) * LD(acts, AT, aIn + b * nIn + i); \
                    FORWARD_OUT(a0, b)                                                            \
                }                                                                                 \
            }                                                                                     \
            if (l < L - 1) hOff += nOut;                                                          \
            wOff += nIn * nOut;                                                                   \
            bOff += nOut;                                                                         \
            aIn = aOut;                                                                           \
        }                                                                                         \
    }

// One Adam step of one parameter (adam.cl's expression, operation for operation); stores the
// parameter and its moments in live lanes.
#define ADAM(param, C, c, m1, m2, maskBuf, grad)                                                  \
    {                                                                                             \
        const vf mk = LD(maskBuf, C, c);                                                          \
        const vf w = LD(param, C, c);                                                             \
        const vf g = ((grad) + wd * w) * mk;                                                      \
        const vf a = beta1 * LD(m1, C, c) + (1.0f - beta1) * g;                                   \
        const vf v = beta2 * LD(m2, C, c) + (1.0f - beta2) * g * g;                               \
        ST_LIVE(a, m1, C, c);                                                                     \
        ST_LIVE(v, m2, C, c);                                                                     \
        ST_LIVE((w - (lrv / bc1) * a / (sqrt(v) / sqrt(bc2) + eps)) * mk, param, C, c);           \
    }

__kernel void fused_epochs(
    const int P, const int L, __global const int* widths,
    const int N, const int B, const int epoch0, const int epochs, const float sigma,
    const float dropRate, const float dropScale, const int softmax, const int saturate,
    const float wd, const float beta1, const float beta2, const float eps, __global const float* bc,
    const int Nv, const int chunk, const float NM, const float ruleScale, const int keepBest,
    __global const float* data, __global const float* targets, __global const uint* perm,
    __global const float* vData, __global const float* vTargets,
    __global const uint* noiseKeys, __global const uint* dropKeys, __global const uint* session,
    __global const float* lr, __global const uint* active,
    __global float* W, __global float* bias, __global const float* mask, __global const float* bmask,
    __global float* m1W, __global float* m2W, __global float* m1b, __global float* m2b,
    __global float* snapW, __global float* snapB, __global float* acts, __global float* dels,
    __global float* bestLoss, __global uint* bestCorrect, __global float* histLoss, __global uint* histCorrect)
{
    const int p0 = get_global_id(0) * V;
    if (p0 >= P) return;
    const size_t grp = p0 / G;
    const int lane0 = p0 % G;
    int nw[FUSED_MAX_DEPTH + 1];
    for (int l = 0; l <= L; ++l) nw[l] = widths[l];
    const int n0 = nw[0], m = nw[L];
    int WT = 0, BT = 0, AT = 0;
    for (int l = 0; l < L; ++l) { WT += nw[l] * nw[l + 1]; BT += nw[l + 1]; }
    for (int l = 0; l <= L; ++l) AT += B * nw[l];
    LANE_BASE(W, WT); LANE_BASE_CONST(mask, WT); LANE_BASE(m1W, WT); LANE_BASE(m2W, WT); LANE_BASE(snapW, WT);
    LANE_BASE(bias, BT); LANE_BASE_CONST(bmask, BT); LANE_BASE(m1b, BT); LANE_BASE(m2b, BT); LANE_BASE(snapB, BT);
    LANE_BASE(acts, AT); LANE_BASE(dels, AT);
    const int zOff = AT - B * m;  // the logits' (and their gradient's) rows

    // Per-lane model state (lanes past P: inactive).
    float tf[V];
    uint tu[V], tk0[V], tk1[V], td0[V], td1[V], ts[V];
    for (int k = 0; k < V; ++k) {
        const int p = p0 + k;
        const bool in = p < P;
        tf[k] = in ? lr[p] : 0.0f;
        tu[k] = in ? active[p] : 0u;
        ts[k] = in ? session[p] : 0u;
        tk0[k] = in ? noiseKeys[2 * p] : 0u;
        tk1[k] = in ? noiseKeys[2 * p + 1] : 0u;
        td0[k] = in ? dropKeys[2 * p] : 0u;
        td1[k] = in ? dropKeys[2 * p + 1] : 0u;
    }
    const vf lrv = VLOAD(tf);
    const vi live = VLOAD(tu) != (vu)0u;
    const vu sess = VLOAD(ts), nk0 = VLOAD(tk0), nk1 = VLOAD(tk1), dk0 = VLOAD(td0), dk1 = VLOAD(td1);
    // No live lane: nothing to store, so nothing to compute (late pruning rounds train a few models
    // of a large population).
#if V == 1
    if (!live) return;
#else
    if (!any(live)) return;
#endif
    const int steps = (N + B - 1) / B;

    for (int e = 0; e < epochs; ++e) {
        const int epoch = epoch0 + e;
        __global const uint* order = perm + (size_t)e * P * N;
        for (int s = 0; s < steps; ++s) {
            const int start = s * B, Bt = min(B, N - start);
            const float bc1 = bc[2 * (e * steps + s)], bc2 = bc[2 * (e * steps + s) + 1];
            // Gather (batch_gather) every row of the batch, then the forward pass, then the loss
            // gradient w.r.t. the logits (bce_grad / softmax_ce_grad, scale of the batch mean).
            for (int b = 0; b < Bt; ++b) {
                const int pos = start + b;
                uint row[V];
                for (int k = 0; k < V; ++k) row[k] = p0 + k < P ? order[(size_t)(p0 + k) * N + pos] : 0u;
                for (int i = 0; i < n0; ++i) {
                    for (int k = 0; k < V; ++k) tf[k] = data[(size_t)row[k] * n0 + i];
                    ST(VLOAD(tf), acts, AT, b * n0 + i);
                }
            }
            // Input noise: the batch's elements e = pos·n0 + i in pairs (2q, 2q + 1), which share
            // one Philox block and one Box–Muller pair (data.cl's input_noise draws both and keeps
            // one; here each pair is drawn once).
            if (sigma > 0.0f) {
                const int e0 = start * n0, e1 = (start + Bt) * n0;
                for (int q = e0 >> 1; 2 * q < e1; ++q) {
                    vu c0 = (vu)((uint)q), c1 = (vu)((uint)epoch), c2 = sess, c3 = (vu)0u;
                    philox_lanes(&c0, &c1, &c2, &c3, nk0, nk1);
                    const vf r = sqrt(-2.0f * MATH(log, philox_unit_lanes(c0)));
                    vf cosine;
                    const vf sine = SINCOS2PI(philox_unit_lanes(c1), &cosine);
                    if (2 * q >= e0) ADD_NOISE(2 * q - e0, r * cosine)
                    if (2 * q + 1 < e1) ADD_NOISE(2 * q + 1 - e0, r * sine)
                }
            }
            FORWARD(Bt, start, 1)
            for (int b = 0; b < Bt; ++b) {
                uint row[V];
                for (int k = 0; k < V; ++k) row[k] = p0 + k < P ? order[(size_t)(p0 + k) * N + start + b] : 0u;
                if (softmax) {
                    vf M = LD(acts, AT, zOff + b * m);
                    for (int k = 1; k < m; ++k) M = fmax(M, LD(acts, AT, zOff + b * m + k));
                    vf S = 0.0f;
                    for (int k = 0; k < m; ++k) S += MATH(exp, LD(acts, AT, zOff + b * m + k) - M);
                    const float scale = 1 / (float)Bt;
                    for (int k = 0; k < m; ++k) {
                        for (int q = 0; q < V; ++q) tf[q] = targets[(size_t)row[q] * m + k];
                        const vf qk = MATH(exp, LD(acts, AT, zOff + b * m + k) - M) / S;
                        ST((qk - VLOAD(tf)) * scale, dels, AT, zOff + b * m + k);
                    }
                } else {
                    const float scale = 1 / (float)(Bt * m);
                    for (int k = 0; k < m; ++k) {
                        for (int q = 0; q < V; ++q) tf[q] = targets[(size_t)row[q] * m + k];
                        const vf z = LD(acts, AT, zOff + b * m + k);
                        const vf s = stable_sigmoid_lanes(z), t = VLOAD(tf);
                        const vi dead = (s == 1.0f & t < 0.5f) | (s == 0.0f & t > 0.5f);  // bce_grad's saturate
                        ST(select((s - t) * scale, (vf)0.0f, saturate ? dead : (vi)0), dels, AT, zOff + b * m + k);
                    }
                }
            }
            // Backward, last layer first: the deltas of layer l (from the old W_l), then W_l's and
            // b_l's gradients, each fed straight into its Adam step.
            int wOff = WT, bOff = BT, aIn = AT - B * m, hOff = BT - m;
            for (int l = L - 1; l >= 0; --l) {
                const int nIn = nw[l], nOut = nw[l + 1];
                const int aOut = aIn;
                aIn -= B * nIn;
                wOff -= nIn * nOut;
                bOff -= nOut;
                if (l > 0) {
                    hOff -= nIn;
                    // dense_backward_data's sums (over j in order), four rows at a time.
#define BACKWARD_OUT(acc, b)                                                                      \
    {                                                                                             \
        vf d = select((vf)0.0f, (acc), LD(acts, AT, aIn + (b) * nIn + i) > 0.0f);                 \
        if (dropRate > 0.0f)                                                                      \
            d = select((vf)0.0f, d * dropScale, dropout_keep_lanes(hOff + i, start + (b), epoch, sess, dk0, dk1, dropRate)); \
        ST(d, dels, AT, aIn + (b) * nIn + i);                                                     \
    }
                    for (int i = 0; i < nIn; ++i) {
                        int b = 0;
                        for (; b + 4 <= Bt; b += 4) {
                            vf a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
                            for (int j = 0; j < nOut; ++j) {
                                const vf w = LD(W, WT, wOff + j * nIn + i);
                                a0 += LD(dels, AT, aOut + b * nOut + j) * w;
                                a1 += LD(dels, AT, aOut + (b + 1) * nOut + j) * w;
                                a2 += LD(dels, AT, aOut + (b + 2) * nOut + j) * w;
                                a3 += LD(dels, AT, aOut + (b + 3) * nOut + j) * w;
                            }
                            BACKWARD_OUT(a0, b) BACKWARD_OUT(a1, b + 1) BACKWARD_OUT(a2, b + 2) BACKWARD_OUT(a3, b + 3)
                        }
                        for (; b < Bt; ++b) {
                            vf a0 = 0.0f;
                            for (int j = 0; j < nOut; ++j) a0 += LD(dels, AT, aOut + b * nOut + j) * LD(W, WT, wOff + j * nIn + i);
                            BACKWARD_OUT(a0, b)
                        }
                    }
                }
                // dense_backward_weights' sums (over the rows in order), four weights at a time.
                for (int j = 0; j < nOut; ++j) {
                    int i = 0;
                    for (; i + 4 <= nIn; i += 4) {
                        vf a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
                        for (int b = 0; b < Bt; ++b) {
                            const vf d = LD(dels, AT, aOut + b * nOut + j);
                            a0 += d * LD(acts, AT, aIn + b * nIn + i);
                            a1 += d * LD(acts, AT, aIn + b * nIn + i + 1);
                            a2 += d * LD(acts, AT, aIn + b * nIn + i + 2);
                            a3 += d * LD(acts, AT, aIn + b * nIn + i + 3);
                        }
                        ADAM(W, WT, wOff + j * nIn + i, m1W, m2W, mask, a0)
                        ADAM(W, WT, wOff + j * nIn + i + 1, m1W, m2W, mask, a1)
                        ADAM(W, WT, wOff + j * nIn + i + 2, m1W, m2W, mask, a2)
                        ADAM(W, WT, wOff + j * nIn + i + 3, m1W, m2W, mask, a3)
                    }
                    for (; i < nIn; ++i) {
                        vf acc = 0.0f;
                        for (int b = 0; b < Bt; ++b) acc += LD(dels, AT, aOut + b * nOut + j) * LD(acts, AT, aIn + b * nIn + i);
                        ADAM(W, WT, wOff + j * nIn + i, m1W, m2W, mask, acc)
                    }
                    vf acc = 0.0f;
                    for (int b = 0; b < Bt; ++b) acc += LD(dels, AT, aOut + b * nOut + j);
                    ADAM(bias, BT, bOff + j, m1b, m2b, bmask, acc)
                }
            }
        }

        // Validation (bce_eval_accumulate / softmax_eval_accumulate over chunks of `chunk` rows, each
        // chunk summed on its own and then added), clean rows B at a time through the scratch.
        vf lossSum = 0.0f;
        vu correct = (vu)0u;
        for (int c0 = 0; c0 < Nv; c0 += chunk) {
            vf chunkLoss = 0.0f;
            for (int r0 = c0; r0 < min(Nv, c0 + chunk); r0 += B) {
                const int R = min(B, min(Nv, c0 + chunk) - r0);
                for (int b = 0; b < R; ++b)
                    for (int i = 0; i < n0; ++i) ST((vf)vData[(size_t)(r0 + b) * n0 + i], acts, AT, b * n0 + i);
                FORWARD(R, 0, 0)
                for (int b = 0; b < R; ++b) {
                    const int r = r0 + b;
                    __global const float* t = vTargets + (size_t)r * m;
                    if (softmax) {
                        vf M = LD(acts, AT, zOff + b * m);
                        for (int k = 1; k < m; ++k) M = fmax(M, LD(acts, AT, zOff + b * m + k));
                        vf S = 0.0f;
                        for (int k = 0; k < m; ++k) S += MATH(exp, LD(acts, AT, zOff + b * m + k) - M);
                        vf yz = 0.0f, zmax = LD(acts, AT, zOff + b * m);
                        vi az = (vi)0;
                        int at = 0;
                        for (int k = 0; k < m; ++k) {
                            const vf z = LD(acts, AT, zOff + b * m + k);
                            yz += t[k] * (M - z);
                            const vi up = z > zmax;
                            az = select(az, (vi)k, up);
                            zmax = select(zmax, z, up);
                            if (t[k] > t[at]) at = k;
                        }
                        chunkLoss += MATH(log, S) + yz;
                        correct += select((vu)0u, (vu)1u, az == (vi)at);
                    } else {
                        for (int k = 0; k < m; ++k) {
                            const vf v = LD(acts, AT, zOff + b * m + k);
                            const float tk = t[k];
                            chunkLoss += fmax(v, 0.0f) - v * tk + MATH(log1p, MATH(exp, -fabs(v)));
                            correct += select((vu)0u, (vu)1u, (v > 0.0f) == (vi)(tk > 0.5f ? VTRUE : 0));
                        }
                    }
                }
            }
            lossSum += chunkLoss;
        }

        // Best-epoch rule (snapshot_rule) and snapshot copy, per lane.
        const vf loss = lossSum / NM;
        const vf ruleLoss = isinf(ruleScale) ? (vf)(ruleScale) : loss * ruleScale;
        for (int k = 0; k < V; ++k) tf[k] = p0 + k < P ? bestLoss[p0 + k] : 0.0f;
        for (int k = 0; k < V; ++k) tu[k] = p0 + k < P ? bestCorrect[p0 + k] : 0u;
        const vf bl = VLOAD(tf);
        const vu bcor = VLOAD(tu);
        const vi take = live & select(correct >= bcor, ((ruleLoss <= bl) & (correct >= bcor)) | (correct > bcor), ruleLoss < SNAPSHOT_LOSS_CEILING);
        float lossOut[V], ruleOut[V];
        uint corOut[V];
        int takeOut[V], liveOut[V];
        VSTORE(loss, lossOut);
        VSTORE(ruleLoss, ruleOut);
        VSTORE(correct, corOut);
        VSTORE(take, takeOut);
        VSTORE(live, liveOut);
        for (int k = 0; k < V; ++k) {
            const int p = p0 + k;
            if (p >= P || liveOut[k] == 0) continue;
            if (takeOut[k] != 0) {
                bestLoss[p] = ruleOut[k];
                bestCorrect[p] = corOut[k];
            }
            histLoss[(size_t)epoch * P + p] = lossOut[k];
            histCorrect[(size_t)epoch * P + p] = corOut[k];
        }
        if (keepBest) {
            for (int c = 0; c < WT; ++c) ST(select(LD(snapW, WT, c), LD(W, WT, c), take), snapW, WT, c);
            for (int c = 0; c < BT; ++c) ST(select(LD(snapB, BT, c), LD(bias, BT, c), take), snapB, BT, c);
        }
    }
}

// Lane layout ↔ [P][C]: dst (lane layout) = src ([P][C]) for every model. NDRange (C, P).
__kernel void fused_to_lanes(const int C, __global const float* src, __global float* dst)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (c >= C) return;
    dst[(((size_t)(p / G)) * C + c) * G + p % G] = src[(size_t)p * C + c];
}

// dst ([P][C]) = src (lane layout) for models with flag[p] != 0. NDRange (C, P).
__kernel void fused_from_lanes(const int C, __global const uint* flag, __global const float* src, __global float* dst)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (c >= C || flag[p] == 0) return;
    dst[(size_t)p * C + c] = src[(((size_t)(p / G)) * C + c) * G + p % G];
}

// Row orders of `epochs` epochs for every model, as the host's Initialization.epochOrder draws them:
// perm[e][p] = the identity, shuffled by Fisher–Yates from the last row down, row i swapped with
// ⌊u·(i + 1) / 2³²⌋ where u is the next 32-bit number of the model's shuffle stream: Philox blocks
// (k, 0, epoch, session[p]) for k = 0, 1, … with key keys[p], each block's words in order x, y, z, w.
// Inactive models keep what their rows held (fused_epochs reads them for lanes it does not store, so
// any earlier order, or the zero-filled buffer, serves). NDRange (P, epochs).
__kernel void fused_shuffle(const int P, const int N, const int epoch0, __global const uint* keys,
                            __global const uint* session, __global const uint* active, __global uint* perm)
{
    const int p = get_global_id(0);
    const int e = get_global_id(1);
    if (p >= P || active[p] == 0) return;
    __global uint* out = perm + ((size_t)e * P + p) * N;
    for (int i = 0; i < N; ++i) out[i] = (uint)i;
    const uint2 key = (uint2)(keys[2 * p], keys[2 * p + 1]);
    uint block = 0;
    uint4 r = (uint4)(0u);
    int used = 4;
    for (int i = N - 1; i > 0; --i) {
        if (used == 4) {
            r = philox4x32_10((uint4)(block, 0u, (uint)(epoch0 + e), session[p]), key);
            ++block;
            used = 0;
        }
        const uint u = used == 0 ? r.x : used == 1 ? r.y : used == 2 ? r.z : r.w;
        ++used;
        const int j = (int)(((ulong)u * (ulong)(i + 1)) >> 32);
        const uint t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
}

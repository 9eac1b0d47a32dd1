// fused_solo.cl — the fused path for the last few models of a population: one model per work-item,
// with that model's batch rows or units across the vector lanes. fused_epochs puts one model in each
// lane, so a launch that trains two models there runs two lanes of one work-item on one core; late
// pruning rounds (one or two models for hundreds of rounds) spend most of a sweep's time like that.
//
// It computes what fused_epochs (and the per-layer kernels) compute, element by element, in the same
// order of operations: each lane does what one of their scalar work-items or lanes would, every sum
// still runs in index order, and only the assignment of elements to lanes differs. The numbers are
// theirs bit for bit (Tests/TrainingTests/FusedTrainingTests.swift).
//
// Per model: the solo arrays hold only the models being trained, model p in slot slot[p] (the host
// numbers the active models 0, 1, …), so their size follows the few models, not the population:
//   weights, masks, Adam moments and snapshot [slots][WS]: layer l's weight (j, i) at wOff_l + j·nP_l + i,
//     nP_l = n_l rounded up to V, the row's tail zero (V consecutive inputs load as one vector);
//     WS = Σ_l n_{l+1}·nP_l; the padding is never read into a sum. fused_solo_convert moves weights
//     between this and [P][WT].
//   biases, their masks, moments and snapshot [P][BT]: the population's own arrays.
//   scratch [slots][SS], SS = 2·TT + RT: xT, every layer's activations unit-major ([u][b] at u·Bp + b,
//     Bp = B rounded up to V, TT = Bp·Σ_l n_l): forward and backward-data run V rows per vector;
//     dT, the deltas, the same shape; xR, the input of every weight layer row-major ([b][i] at
//     b·nP_l + i, RT = B·Σ_{l<L} nP_l): weight gradients run V inputs per vector, summing over the
//     rows in order.
// Compiled into the fused program (its V, vector types, Philox and math functions); V > 1 only.
// NDRange (P), one work-item per work-group; inactive models return at once.

#if V > 1

// dropout_apply's keep decisions of hidden unit hu at the V row positions pos.
inline vi solo_keep(const int hu, const vu pos, const int epoch, const uint sess, const uint k0, const uint k1, const float rate) {
    vu c0 = (vu)((uint)hu), c1 = pos, c2 = (vu)((uint)epoch), c3 = (vu)sess;
    philox_lanes(&c0, &c1, &c2, &c3, (vu)k0, (vu)k1);
    return philox_unit_lanes(c0) > rate;
}

inline int round_up_v(const int n) { return (n + V - 1) / V * V; }

// Forward pass of rows 0 … R−1 (layer 0's inputs in xT): per layer, unit j's outputs V rows at a time,
// four units side by side (each its own sum over the inputs in index order, as dense_forward), then
// ReLU and dropout (row b at position pos0 + b) after hidden layers. With withCopy, also the hidden
// layers' row-major copies in xR for the weight gradients.
inline void solo_forward(
    const int L, const int* nw, const int* np, const int B, const int Bp, const int R, const int pos0, const int withDropout,
    const int withCopy, __global const float* W, __global const float* bias, __global float* xT, __global float* xR, const vu lane,
    const int epoch, const uint sess, const uint dk0, const uint dk1, const float dropRate, const float dropScale)
{
    int wOff = 0, bOff = 0, tIn = 0, rIn = 0, hOff = 0;
    for (int l = 0; l < L; ++l) {
        const int nIn = nw[l], nOut = nw[l + 1], pIn = np[l];
        const int tOut = tIn + nIn * Bp, rOut = rIn + B * pIn;
        const int hidden = l < L - 1, drop = hidden && withDropout && dropRate > 0.0f;
        for (int b0 = 0; b0 < R; b0 += V) {
            const vu pos = (vu)((uint)(pos0 + b0)) + lane;
#define SOLO_OUT(acc, u)                                                                          \
    {                                                                                             \
        vf o = (acc) + bias[bOff + (u)];                                                          \
        if (hidden) {                                                                             \
            o = select(o, (vf)0.0f, o < 0.0f);                                                    \
            if (drop) o = select((vf)0.0f, o * dropScale, solo_keep(hOff + (u), pos, epoch, sess, dk0, dk1, dropRate)); \
        }                                                                                         \
        VSTORE(o, xT + tOut + (u) * Bp + b0);                                                     \
    }
            int j = 0;
            for (; j + 4 <= nOut; j += 4) {
                __global const float* w0 = W + wOff + j * pIn;
                vf a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
                for (int i = 0; i < nIn; ++i) {
                    const vf x = VLOAD(xT + tIn + i * Bp + b0);
                    a0 += w0[i] * x;
                    a1 += w0[pIn + i] * x;
                    a2 += w0[2 * pIn + i] * x;
                    a3 += w0[3 * pIn + i] * x;
                }
                SOLO_OUT(a0, j) SOLO_OUT(a1, j + 1) SOLO_OUT(a2, j + 2) SOLO_OUT(a3, j + 3)
            }
            for (; j < nOut; ++j) {
                vf a0 = 0.0f;
                for (int i = 0; i < nIn; ++i) a0 += W[wOff + j * pIn + i] * VLOAD(xT + tIn + i * Bp + b0);
                SOLO_OUT(a0, j)
            }
#undef SOLO_OUT
        }
        if (hidden && withCopy)
            for (int b = 0; b < R; ++b)
                for (int u = 0; u < nOut; ++u) xR[rOut + b * np[l + 1] + u] = xT[tOut + u * Bp + b];
        if (hidden) hOff += nOut;
        wOff += nOut * pIn;
        bOff += nOut;
        tIn = tOut;
        rIn = rOut;
    }
}

// Adam with coupled weight decay and the mask (adam.cl's expression, operation for operation).
#define SOLO_ADAM(T, w, mk, m1, m2, grad)                                                         \
    {                                                                                             \
        const T g = ((grad) + wd * (w)) * (mk);                                                   \
        const T a = beta1 * (m1) + (1.0f - beta1) * g;                                            \
        const T v = beta2 * (m2) + (1.0f - beta2) * g * g;                                        \
        (m1) = a;                                                                                 \
        (m2) = v;                                                                                 \
        (w) = ((w) - (lrp / bc1) * a / (sqrt(v) / sqrt(bc2) + eps)) * (mk);                       \
    }

__kernel void fused_solo_epochs(
    const int P, const int L, __global const int* widths,
    const int N, const int B, const int epoch0, const int epochs, const float sigma,
    const float dropRate, const float dropScale, const int softmax, const int saturate,
    const float wd, const float beta1, const float beta2, const float eps, __global const float* bc,
    const int Nv, const int chunk, const float NM, const float ruleScale, const int keepBest,
    __global const float* data, __global const float* targets, __global const uint* perm,
    __global const float* vData, __global const float* vTargets,
    __global const uint* noiseKeys, __global const uint* dropKeys, __global const uint* session,
    __global const float* lr, __global const uint* active,
    __global float* Wall, __global float* biasAll, __global const float* maskAll, __global const float* bmaskAll,
    __global float* m1WAll, __global float* m2WAll, __global float* m1bAll, __global float* m2bAll,
    __global float* snapWAll, __global float* snapBAll, __global float* scratch,
    __global float* bestLoss, __global uint* bestCorrect, __global float* histLoss, __global uint* histCorrect,
    __global const uint* slot)
{
    const int p = get_global_id(0);
    if (p >= P || active[p] == 0) return;
    const size_t q = slot[p];
    int nw[FUSED_MAX_DEPTH + 1], np[FUSED_MAX_DEPTH + 1];
    for (int l = 0; l <= L; ++l) {
        nw[l] = widths[l];
        np[l] = round_up_v(nw[l]);
    }
    const int n0 = nw[0], m = nw[L], Bp = round_up_v(B);
    int WS = 0, BT = 0, TT = 0, RT = 0;
    for (int l = 0; l < L; ++l) {
        WS += nw[l + 1] * np[l];
        BT += nw[l + 1];
        RT += B * np[l];
    }
    for (int l = 0; l <= L; ++l) TT += Bp * nw[l];
    __global float* const W = Wall + q * WS;
    __global const float* const mask = maskAll + q * WS;
    __global float* const m1W = m1WAll + q * WS;
    __global float* const m2W = m2WAll + q * WS;
    __global float* const snapW = snapWAll + q * WS;
    __global float* const bias = biasAll + (size_t)p * BT;
    __global const float* const bmask = bmaskAll + (size_t)p * BT;
    __global float* const m1b = m1bAll + (size_t)p * BT;
    __global float* const m2b = m2bAll + (size_t)p * BT;
    __global float* const snapB = snapBAll + (size_t)p * BT;
    __global float* const xT = scratch + q * (2 * TT + RT);
    __global float* const dT = xT + TT;
    __global float* const xR = dT + TT;
    const int tL = TT - Bp * m;  // the logits' (and their gradient's) rows, unit-major

    const float lrp = lr[p];
    const uint sess = session[p], nk0 = noiseKeys[2 * p], nk1 = noiseKeys[2 * p + 1];
    const uint dk0 = dropKeys[2 * p], dk1 = dropKeys[2 * p + 1];
    uint laneIndex[V];
    for (int k = 0; k < V; ++k) laneIndex[k] = (uint)k;
    const vu lane = VLOAD(laneIndex);
    // A training's first launch starts Adam afresh; the row-major copies' padding columns are zero.
    if (epoch0 == 0) {
        for (int c = 0; c < WS; c += V) {
            VSTORE((vf)0.0f, m1W + c);
            VSTORE((vf)0.0f, m2W + c);
        }
        for (int c = 0; c < BT; ++c) m1b[c] = m2b[c] = 0.0f;
    }
    for (int c = 0; c < RT; ++c) xR[c] = 0.0f;  // (the copies' padding columns are summed over)
    const int steps = (N + B - 1) / B;

    for (int e = 0; e < epochs; ++e) {
        const int epoch = epoch0 + e;
        __global const uint* order = perm + ((size_t)e * P + p) * N;
        for (int s = 0; s < steps; ++s) {
            const int start = s * B, Bt = min(B, N - start);
            const float bc1 = bc[2 * (e * steps + s)], bc2 = bc[2 * (e * steps + s) + 1];
            // Gather (batch_gather) into the row-major inputs, input noise (data.cl's pairs of
            // elements e = pos·n0 + i, V pairs at a time), then the unit-major copy.
            for (int b = 0; b < Bt; ++b) {
                const uint row = order[start + b];
                for (int i = 0; i < n0; ++i) xR[b * np[0] + i] = data[(size_t)row * n0 + i];
            }
            if (sigma > 0.0f) {
                const int e0 = start * n0, e1 = (start + Bt) * n0;
                for (int q0 = e0 >> 1; 2 * q0 < e1; q0 += V) {
                    vu c0 = (vu)((uint)q0) + lane, c1 = (vu)((uint)epoch), c2 = (vu)sess, c3 = (vu)0u;
                    philox_lanes(&c0, &c1, &c2, &c3, (vu)nk0, (vu)nk1);
                    const vf r = sqrt(-2.0f * MATH(log, philox_unit_lanes(c0)));
                    vf cosine;
                    const vf sine = SINCOS2PI(philox_unit_lanes(c1), &cosine);
                    float zc[V], zs[V];
                    VSTORE(r * cosine, zc);
                    VSTORE(r * sine, zs);
                    for (int k = 0; k < V && 2 * (q0 + k) < e1; ++k) {
                        const int q = q0 + k;
                        if (2 * q >= e0) {
                            const int off = 2 * q - e0;
                            xR[off / n0 * np[0] + off % n0] += sigma * zc[k];
                        }
                        if (2 * q + 1 < e1) {
                            const int off = 2 * q + 1 - e0;
                            xR[off / n0 * np[0] + off % n0] += sigma * zs[k];
                        }
                    }
                }
            }
            for (int b = 0; b < Bt; ++b)
                for (int i = 0; i < n0; ++i) xT[i * Bp + b] = xR[b * np[0] + i];
            solo_forward(L, nw, np, B, Bp, Bt, start, 1, 1, W, bias, xT, xR, lane, epoch, sess, dk0, dk1, dropRate, dropScale);

            // The loss gradient w.r.t. the logits (bce_grad / softmax_ce_grad, scale of the batch mean),
            // V rows at a time; lanes past the batch compute rows that are never read.
            for (int b0 = 0; b0 < Bt; b0 += V) {
                uint rowOf[V];
                for (int k = 0; k < V; ++k) rowOf[k] = order[start + min(b0 + k, Bt - 1)];
                float tv[V];
                if (softmax) {
                    vf M = VLOAD(xT + tL + b0);
                    for (int k = 1; k < m; ++k) M = fmax(M, VLOAD(xT + tL + k * Bp + b0));
                    vf S = 0.0f;
                    for (int k = 0; k < m; ++k) S += MATH(exp, VLOAD(xT + tL + k * Bp + b0) - M);
                    const float scale = 1 / (float)Bt;
                    for (int k = 0; k < m; ++k) {
                        for (int q = 0; q < V; ++q) tv[q] = targets[(size_t)rowOf[q] * m + k];
                        const vf qk = MATH(exp, VLOAD(xT + tL + k * Bp + b0) - M) / S;
                        VSTORE((qk - VLOAD(tv)) * scale, dT + tL + k * Bp + b0);
                    }
                } else {
                    const float scale = 1 / (float)(Bt * m);
                    for (int k = 0; k < m; ++k) {
                        for (int q = 0; q < V; ++q) tv[q] = targets[(size_t)rowOf[q] * m + k];
                        const vf z = VLOAD(xT + tL + k * Bp + b0);
                        const vf sg = stable_sigmoid_lanes(z), t = VLOAD(tv);
                        const vi dead = (sg == 1.0f & t < 0.5f) | (sg == 0.0f & t > 0.5f);  // bce_grad's saturate
                        VSTORE(select((sg - t) * scale, (vf)0.0f, saturate ? dead : (vi)0), dT + tL + k * Bp + b0);
                    }
                }
            }

            // Backward, last layer first: layer l's deltas (from the old W_l, V rows at a time, four
            // inputs side by side, each summed over the outputs in order), then W_l's gradients (V
            // inputs at a time, four outputs side by side, each summed over the rows in order) and
            // b_l's, each fed straight into its Adam step.
            int wOff = WS, bOff = BT, tIn = tL, rIn = RT, hOff = BT - m;
            for (int l = L - 1; l >= 0; --l) {
                const int nIn = nw[l], nOut = nw[l + 1], pIn = np[l];
                const int tOut = tIn;
                tIn -= Bp * nIn;
                rIn -= B * pIn;
                wOff -= nOut * pIn;
                bOff -= nOut;
                if (l > 0) {
                    hOff -= nIn;
                    for (int b0 = 0; b0 < Bt; b0 += V) {
                        const vu pos = (vu)((uint)(start + b0)) + lane;
#define SOLO_BACK(acc, u)                                                                         \
    {                                                                                             \
        vf d = select((vf)0.0f, (acc), VLOAD(xT + tIn + (u) * Bp + b0) > 0.0f);                   \
        if (dropRate > 0.0f) d = select((vf)0.0f, d * dropScale, solo_keep(hOff + (u), pos, epoch, sess, dk0, dk1, dropRate)); \
        VSTORE(d, dT + tIn + (u) * Bp + b0);                                                      \
    }
                        int i = 0;
                        for (; i + 4 <= nIn; i += 4) {
                            vf a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
                            for (int j = 0; j < nOut; ++j) {
                                const vf d = VLOAD(dT + tOut + j * Bp + b0);
                                __global const float* w = W + wOff + j * pIn + i;
                                a0 += d * w[0];
                                a1 += d * w[1];
                                a2 += d * w[2];
                                a3 += d * w[3];
                            }
                            SOLO_BACK(a0, i) SOLO_BACK(a1, i + 1) SOLO_BACK(a2, i + 2) SOLO_BACK(a3, i + 3)
                        }
                        for (; i < nIn; ++i) {
                            vf a0 = 0.0f;
                            for (int j = 0; j < nOut; ++j) a0 += VLOAD(dT + tOut + j * Bp + b0) * W[wOff + j * pIn + i];
                            SOLO_BACK(a0, i)
                        }
#undef SOLO_BACK
                    }
                }
                for (int i0 = 0; i0 < pIn; i0 += V) {
#define SOLO_WEIGHT(acc, u)                                                                       \
    {                                                                                             \
        const int c = wOff + (u) * pIn + i0;                                                      \
        vf w = VLOAD(W + c), mw = VLOAD(m1W + c), vw = VLOAD(m2W + c);                            \
        SOLO_ADAM(vf, w, VLOAD(mask + c), mw, vw, acc)                                            \
        VSTORE(mw, m1W + c);                                                                      \
        VSTORE(vw, m2W + c);                                                                      \
        VSTORE(w, W + c);                                                                         \
    }
                    int j = 0;
                    for (; j + 4 <= nOut; j += 4) {
                        vf a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
                        for (int b = 0; b < Bt; ++b) {
                            const vf x = VLOAD(xR + rIn + b * pIn + i0);
                            a0 += dT[tOut + j * Bp + b] * x;
                            a1 += dT[tOut + (j + 1) * Bp + b] * x;
                            a2 += dT[tOut + (j + 2) * Bp + b] * x;
                            a3 += dT[tOut + (j + 3) * Bp + b] * x;
                        }
                        SOLO_WEIGHT(a0, j) SOLO_WEIGHT(a1, j + 1) SOLO_WEIGHT(a2, j + 2) SOLO_WEIGHT(a3, j + 3)
                    }
                    for (; j < nOut; ++j) {
                        vf a0 = 0.0f;
                        for (int b = 0; b < Bt; ++b) a0 += dT[tOut + j * Bp + b] * VLOAD(xR + rIn + b * pIn + i0);
                        SOLO_WEIGHT(a0, j)
                    }
#undef SOLO_WEIGHT
                }
                for (int j = 0; j < nOut; ++j) {
                    float acc = 0.0f;
                    for (int b = 0; b < Bt; ++b) acc += dT[tOut + j * Bp + b];
                    float w = bias[bOff + j], mw = m1b[bOff + j], vw = m2b[bOff + j];
                    SOLO_ADAM(float, w, bmask[bOff + j], mw, vw, acc)
                    m1b[bOff + j] = mw;
                    m2b[bOff + j] = vw;
                    bias[bOff + j] = w;
                }
            }
        }

        // Validation (bce_eval_accumulate / softmax_eval_accumulate over chunks of `chunk` rows, each
        // chunk summed on its own and then added), clean rows Bp at a time; each row's loss terms are
        // computed V rows per vector, kept in dT, and added in row order.
        float lossSum = 0.0f;
        uint correct = 0u;
        for (int c0 = 0; c0 < Nv; c0 += chunk) {
            const int cEnd = min(Nv, c0 + chunk);
            float chunkLoss = 0.0f;
            for (int r0 = c0; r0 < cEnd; r0 += Bp) {
                const int R = min(Bp, cEnd - r0);
                for (int b = 0; b < R; ++b)
                    for (int i = 0; i < n0; ++i) xT[i * Bp + b] = vData[(size_t)(r0 + b) * n0 + i];
                solo_forward(L, nw, np, B, Bp, R, 0, 0, 0, W, bias, xT, xR, lane, epoch, sess, dk0, dk1, dropRate, dropScale);
                for (int b0 = 0; b0 < R; b0 += V) {
                    float tv[V];
                    int hit[V];
                    uint rowOf[V];
                    for (int k = 0; k < V; ++k) rowOf[k] = (uint)(r0 + min(b0 + k, R - 1));
                    if (softmax) {
                        vf M = VLOAD(xT + tL + b0);
                        for (int k = 1; k < m; ++k) M = fmax(M, VLOAD(xT + tL + k * Bp + b0));
                        vf S = 0.0f;
                        for (int k = 0; k < m; ++k) S += MATH(exp, VLOAD(xT + tL + k * Bp + b0) - M);
                        vf yz = 0.0f, zmax = VLOAD(xT + tL + b0), tat = 0.0f;
                        vi az = (vi)0, at = (vi)0;
                        for (int k = 0; k < m; ++k) {
                            const vf z = VLOAD(xT + tL + k * Bp + b0);
                            for (int q = 0; q < V; ++q) tv[q] = vTargets[(size_t)rowOf[q] * m + k];
                            const vf t = VLOAD(tv);
                            yz += t * (M - z);
                            const vi up = z > zmax;
                            az = select(az, (vi)k, up);
                            zmax = select(zmax, z, up);
                            if (k == 0) tat = t;
                            const vi tup = t > tat;
                            at = select(at, (vi)k, tup);
                            tat = select(tat, t, tup);
                        }
                        VSTORE(MATH(log, S) + yz, dT + tL + b0);
                        VSTORE(az == at, hit);
                        for (int k = 0; k < V && b0 + k < R; ++k) {
                            chunkLoss += dT[tL + b0 + k];
                            correct += hit[k] != 0;
                        }
                    } else {
                        for (int k = 0; k < m; ++k) {
                            const vf v = VLOAD(xT + tL + k * Bp + b0);
                            for (int q = 0; q < V; ++q) tv[q] = vTargets[(size_t)rowOf[q] * m + k];
                            const vf tk = VLOAD(tv);
                            VSTORE(fmax(v, 0.0f) - v * tk + MATH(log1p, MATH(exp, -fabs(v))), dT + tL + k * Bp + b0);
                            VSTORE((v > 0.0f) == (tk > 0.5f), hit);
                            for (int q = 0; q < V && b0 + q < R; ++q) correct += hit[q] != 0;
                        }
                        for (int k = 0; k < V && b0 + k < R; ++k)
                            for (int u = 0; u < m; ++u) chunkLoss += dT[tL + u * Bp + b0 + k];
                    }
                }
            }
            lossSum += chunkLoss;
        }

        // Best-epoch rule (snapshot_rule) and snapshot copy.
        const float loss = lossSum / NM;
        const float ruleLoss = isinf(ruleScale) ? ruleScale : loss * ruleScale;
        const float bl = bestLoss[p];
        const uint bcor = bestCorrect[p];
        const int take = ruleLoss < SNAPSHOT_LOSS_CEILING ? (ruleLoss <= bl && correct >= bcor) || correct > bcor : correct >= bcor;
        if (take) {
            bestLoss[p] = ruleLoss;
            bestCorrect[p] = correct;
        }
        histLoss[(size_t)epoch * P + p] = loss;
        histCorrect[(size_t)epoch * P + p] = correct;
        if (keepBest && take) {
            for (int c = 0; c < WS; c += V) VSTORE(VLOAD(W + c), snapW + c);
            for (int c = 0; c < BT; ++c) snapB[c] = bias[c];
        }
    }
}

#endif

// Weights between [P][WT] and the solo layout [slots][WS] (rows padded to nP_l, model p in slot
// slot[p], see above), for the models with flag[p] != 0: toSolo writes dst (solo) from src ([P][WT]),
// otherwise dst ([P][WT]) from src (solo). The padding is never written. NDRange (WT, P).
__kernel void fused_solo_convert(const int L, __global const int* widths, const int toSolo, __global const uint* flag,
                                 __global const uint* slot, __global const float* src, __global float* dst)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (flag[p] == 0) return;
    int WT = 0, WS = 0, at = -1;
    for (int l = 0; l < L; ++l) {
        const int nIn = widths[l], nOut = widths[l + 1], pIn = (nIn + FUSED_V - 1) / FUSED_V * FUSED_V;
        if (at < 0 && c < WT + nIn * nOut) {
            const int r = c - WT;
            at = WS + r / nIn * pIn + r % nIn;
        }
        WT += nIn * nOut;
        WS += nOut * pIn;
    }
    if (at < 0) return;
    if (toSolo) dst[(size_t)slot[p] * WS + at] = src[(size_t)p * WT + c];
    else dst[(size_t)p * WT + c] = src[(size_t)slot[p] * WS + at];
}

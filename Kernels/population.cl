// population.cl — per-model bookkeeping of a population: the best-epoch snapshot rule, masked copies
// between parameter sets (snapshot, accepted network, current), and masks.
//
// Shapes: P models; C elements per model for copies; WT weights, BT biases per model.
// Guards: work-items past the logical size return; inactive models skip unless stated.

// Best-epoch rule of docs/method.md §2 after one validation pass, per model:
//   loss = lossSum / NM (the mean: NM = N·m output elements for BCE, N rows for softmax; a float);
//   λ = loss · ruleScale (1, or the reference implementation's averaging: +inf with one batch);
//   if λ < SNAPSHOT_LOSS_CEILING: take = (λ ≤ bestLoss && correct ≥ bestCorrect) || correct > bestCorrect
//   else:           take = correct ≥ bestCorrect      (λ is +inf whenever ruleScale is, even for loss 0)
// SNAPSHOT_LOSS_CEILING comes from the host (SculptCore's SnapshotRule, the one definition of the rule).
// On take, bestCorrect/bestLoss (λ) update. Writes take to flag[p] and the epoch's metrics (the mean
// loss) to histCorrect/histLoss at [epoch][P]. NDRange (P).
__kernel void snapshot_rule(const int P, const int epoch, const float NM, const float ruleScale,
                            __global const float* lossSum, __global const uint* correct,
                            __global const uint* active,
                            __global float* bestLoss, __global uint* bestCorrect, __global uint* flag,
                            __global float* histLoss, __global uint* histCorrect)
{
    const int p = get_global_id(0);
    if (p >= P) return;
    if (active[p] == 0) { flag[p] = 0; return; }
    const float loss = lossSum[p] / NM;
    const float ruleLoss = isinf(ruleScale) ? ruleScale : loss * ruleScale;
    const uint c = correct[p];
    int take;
    if (ruleLoss < SNAPSHOT_LOSS_CEILING) take = (ruleLoss <= bestLoss[p] && c >= bestCorrect[p]) || c > bestCorrect[p];
    else take = c >= bestCorrect[p];
    if (take) { bestLoss[p] = ruleLoss; bestCorrect[p] = c; }
    flag[p] = take ? 1u : 0u;
    histLoss[(size_t)epoch * P + p] = loss;
    histCorrect[(size_t)epoch * P + p] = c;
}

// dst[p][c] = src[p][c] for every model with flag[p] != 0 (flag is the selection; active is not
// consulted). NDRange (C, P).
__kernel void select_copy(const int C, __global const uint* flag,
                          __global const float* src, __global float* dst)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (c >= C || flag[p] == 0) return;
    const size_t e = (size_t)p * C + c;
    dst[e] = src[e];
}

// Bias mask of one layer: bm[p][bOff + j] = 1 if row j of that layer's weight mask has a nonzero,
// else 0 (a unit with no incoming edge loses its bias). NDRange (nOut, P).
__kernel void mask_derive_bias(const int nIn, const int nOut, const int WT, const int wOff,
                               const int BT, const int bOff,
                               __global const float* mask, __global float* bm)
{
    const int j = get_global_id(0);
    const int p = get_global_id(1);
    if (j >= nOut) return;
    __global const float* row = mask + (size_t)p * WT + wOff + (size_t)j * nIn;
    float any = 0.0f;
    for (int i = 0; i < nIn; ++i) if (row[i] != 0.0f) { any = 1.0f; break; }
    bm[(size_t)p * BT + bOff + j] = any;
}

// param[p][c] *= mask[p][c] for active models. NDRange (C, P).
__kernel void mask_apply(const int C, __global const uint* active,
                         __global const float* mask, __global float* param)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (c >= C || active[p] == 0) return;
    const size_t e = (size_t)p * C + c;
    param[e] *= mask[e];
}

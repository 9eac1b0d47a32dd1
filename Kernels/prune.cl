// prune.cl — unit scores, unit and magnitude masks, and per-model order statistics for pruning.
//
// Shapes (docs/layout.md "Conventions"): P models; WT weights per model; H hidden units per model, hidden
// layer l's units at hOff(l) = n_1 + … + n_{l−1} in score/keep arrays [P][H]; B batch capacity.
// Guards: work-items past the logical size return; inactive models skip.
// Ranges: the order statistics and magnitude masks work on a range of each model's array: model p's
// elements are values[p·stride + off + c] for 0 ≤ c < C. The whole model is stride = C, off = 0; one
// weight layer l is stride = WT, off = wOff(l), C = n_l·n_{l+1}.

// score[p][hOff + u] += Σ_b |a[p][b][u] · d[p][b][u]| for rows b < Bt (a: post-ReLU activations of
// one hidden layer, d: the per-sample loss gradient w.r.t. them, zero where a is). NDRange (n, P).
__kernel void unit_score_accumulate(const int n, const int B, const int Bt, const int H, const int hOff,
                                    __global const float* a, __global const float* d,
                                    __global const uint* active, __global float* score)
{
    const int u = get_global_id(0);
    const int p = get_global_id(1);
    if (u >= n || active[p] == 0) return;
    float acc = 0.0f;
    for (int b = 0; b < Bt; ++b) {
        const size_t e = ((size_t)p * B + b) * n + u;
        acc += fabs(a[e] * d[e]);
    }
    score[(size_t)p * H + hOff + u] += acc;
}

// Removes units from weight layer l's mask: mask[p][wOff + j·nIn + i] = 0 unless input unit i and
// output unit j are both kept. keepIn/keepOut index keep[p][H] at hIn/hOut; a negative offset means
// that side is the input or output layer, which is never pruned. NDRange (nIn·nOut, P).
__kernel void mask_prune_units(const int nIn, const int nOut, const int WT, const int wOff,
                               const int H, const int hIn, const int hOut,
                               __global const float* keep, __global const uint* active, __global float* mask)
{
    const int e = get_global_id(0);
    const int p = get_global_id(1);
    if (e >= nIn * nOut || active[p] == 0) return;
    const int j = e / nIn, i = e % nIn;
    float k = 1.0f;
    if (hIn >= 0) k *= keep[(size_t)p * H + hIn + i];
    if (hOut >= 0) k *= keep[(size_t)p * H + hOut + j];
    mask[(size_t)p * WT + wOff + e] *= k;
}

// out[p] = the rank[p]-th smallest (0-based) of |v| over model p's range v = values[p·stride + off …]
// of C elements, exactly, by a radix select on the bit patterns of |v| (monotonic for non-negative
// floats): four passes of 8 bits, most significant first, each counting the candidates in a 256-bin
// histogram. One work-item per model: O(4·C) sequential reads, meant for ranges up to ~10^6
// elements. NDRange (P).
__kernel void select_kth_abs(const int C, const int stride, const int off,
                             __global const float* values, __global const uint* rank,
                             __global const uint* active, __global float* out)
{
    const int p = get_global_id(0);
    if (active[p] == 0) return;
    __global const float* v = values + (size_t)p * stride + off;
    uint prefix = 0u, prefixMask = 0u;
    uint k = rank[p];
    uint hist[256];
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int i = 0; i < 256; ++i) hist[i] = 0u;
        for (int c = 0; c < C; ++c) {
            const uint bits = as_uint(v[c]) & 0x7FFFFFFFu;
            if ((bits & prefixMask) == prefix) hist[(bits >> shift) & 0xFFu] += 1u;
        }
        uint digit = 0u;
        while (k >= hist[digit]) { k -= hist[digit]; ++digit; }
        prefix |= digit << shift;
        prefixMask |= 0xFFu << shift;
    }
    out[p] = as_float(prefix);
}

// Global magnitude pruning with the percentile rule of docs/method.md §4: with lo/hi the order statistics
// around the percentile's rank and interp[p] != 0 when the rank has a fractional part, the
// threshold θ lies strictly between lo and hi, so |w| > θ ⟺ |w| ≥ hi; otherwise θ = lo.
// mask *= keep, so masks stay nested. Works on model p's range W/mask[p·stride + off + c], c < C.
// (Pruning the k smallest with ties at the threshold: lo = the (k−1)-th smallest, interp = 0.)
// NDRange (C, P).
__kernel void mask_magnitude(const int C, const int stride, const int off,
                             __global const float* W, __global const float* lo,
                             __global const float* hi, __global const uint* interp,
                             __global const uint* active, __global float* mask)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (c >= C || active[p] == 0) return;
    const size_t e = (size_t)p * stride + off + c;
    const float w = fabs(W[e]);
    const int keep = (interp[p] != 0 && hi[p] > lo[p]) ? (w >= hi[p]) : (w > lo[p]);
    mask[e] = keep ? mask[e] : 0.0f;
}

// count[p] = number of nonzero entries of values[p][0..C). One work-item per model. NDRange (P).
__kernel void count_nonzero(const int C, __global const float* values, __global uint* count)
{
    const int p = get_global_id(0);
    __global const float* v = values + (size_t)p * C;
    uint n = 0u;
    for (int c = 0; c < C; ++c) n += (v[c] != 0.0f) ? 1u : 0u;
    count[p] = n;
}

// Parallel form of select_kth_abs for large weight counts (one launch pair per 8-bit digit, most
// significant first). State per model: rank[p] (the rank still to find within the candidates),
// prefix[p] and prefixMask[p] (the digits fixed so far). Counts are integers, so the result equals
// select_kth_abs exactly.
//
// radix_histogram: work-group g of model p counts, in local memory, the digit at `shift` of every
// candidate |v| (bits & prefixMask == prefix) among elements [g·chunk, (g+1)·chunk) of its range
// values[p·stride + off …], and writes its 256 counts to hist[p][g][·]. NDRange (G·WG, P),
// work-group (WG, 1).
__kernel void radix_histogram(const int C, const int stride, const int off, const int chunk, const int shift,
                              __global const float* values, __global const uint* prefix,
                              __global const uint* prefixMask, __global const uint* active,
                              __global uint* hist)
{
    __local uint lh[256];
    const int lid = get_local_id(0), wg = get_local_size(0), g = get_group_id(0), G = get_num_groups(0);
    const int p = get_global_id(1);
    for (int i = lid; i < 256; i += wg) lh[i] = 0u;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (active[p] != 0) {
        __global const float* v = values + (size_t)p * stride + off;
        const uint pre = prefix[p], pm = prefixMask[p];
        const int end = min(C, (g + 1) * chunk);
        for (int c = g * chunk + lid; c < end; c += wg) {
            const uint bits = as_uint(v[c]) & 0x7FFFFFFFu;
            if ((bits & pm) == pre) atomic_inc(&lh[(bits >> shift) & 0xFFu]);
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int i = lid; i < 256; i += wg) hist[((size_t)p * G + g) * 256 + i] = lh[i];
}

// radix_pick: sums the G partial histograms of model p, finds the digit holding rank[p], and fixes
// it in prefix/prefixMask; after the last digit (shift 0) writes out[p]. NDRange (P).
__kernel void radix_pick(const int G, const int shift, __global const uint* hist, __global const uint* active,
                         __global uint* rank, __global uint* prefix, __global uint* prefixMask, __global float* out)
{
    const int p = get_global_id(0);
    if (active[p] == 0) return;
    uint k = rank[p];
    uint digit = 0u;
    for (; digit < 256u; ++digit) {
        uint count = 0u;
        for (int g = 0; g < G; ++g) count += hist[((size_t)p * G + g) * 256 + digit];
        if (k < count) break;
        k -= count;
    }
    rank[p] = k;
    prefix[p] |= digit << shift;
    prefixMask[p] |= 0xFFu << shift;
    if (shift == 0) out[p] = as_float(prefix[p]);
}

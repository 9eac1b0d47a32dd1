// dropout.cl — inverted dropout on the hidden activations of a population, in training only.
//
// Shapes (docs/layout.md "Conventions"): P models, B batch capacity, Bt ≤ B rows in use, n units of one
// hidden layer whose units sit at hOff … hOff+n−1 among the model's H hidden units.
//   x       [P][B][n]  a hidden layer's post-ReLU activations (forward) or the gradient w.r.t. its
//                      pre-activations (backward); updated in place for rows < Bt
//   keys    [P][2]     Philox key (model seed, purpose "dropout")
//   session [P]        the model's training-session counter
// Keep decision of unit u of row b, the same in the forward and the backward pass: Philox block
// (hOff + u, start + b, epoch, session[p]) with the model's key; keep ⟺ philox_unit(r.x) > rate
// (philox_unit is exact in float, so host and device agree bit for bit). start + b is the row's
// position in the epoch's order, which fixes the step and the row within it; nothing depends on
// the population. rate 0 keeps every unit.
// x = keep ? x·scale : 0 with scale = 1/(1 − rate) (inverted dropout: evaluation needs no change).
// The backward pass applies the same kernel to the gradient: a kept unit's gradient is scaled by
// 1/(1 − rate), a dropped one's is zeroed.
// NDRange (n, Bt, P). Work-items past n or Bt return; inactive models skip.

#pragma OPENCL FP_CONTRACT OFF

__kernel void dropout_apply(const int n, const int B, const int Bt, const int hOff,
                            const int start, const int epoch, const float rate, const float scale,
                            __global const uint* keys, __global const uint* session,
                            __global const uint* active, __global float* x)
{
    const int u = get_global_id(0);
    const int b = get_global_id(1);
    const int p = get_global_id(2);
    if (u >= n || b >= Bt || active[p] == 0) return;
    const uint4 r = philox4x32_10((uint4)((uint)(hOff + u), (uint)(start + b), (uint)epoch, session[p]),
                                  (uint2)(keys[2 * p], keys[2 * p + 1]));
    const size_t e = ((size_t)p * B + b) * n + u;
    x[e] = (philox_unit(r.x) > rate) ? x[e] * scale : 0.0f;
}

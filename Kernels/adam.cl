// adam.cl — Adam with coupled L2 weight decay and masks, for a population.
//
// Shapes: P models, C parameters per model (all weights, or all biases, of a model concatenated).
//   param, grad, m1, m2, mask   [P][C]   (mask 0/1; for biases the derived bias mask)
//   lr                          [P]      each model's learning rate
// Step (PyTorch's Adam with weight_decay, bias corrections bc1 = 1 − β1^t, bc2 = 1 − β2^t):
//   g = (grad + wd·param)·mask;  m1 = β1·m1 + (1−β1)·g;  m2 = β2·m2 + (1−β2)·g²
//   param = (param − lr/bc1 · m1 / (sqrt(m2)/sqrt(bc2) + eps))·mask
// A masked parameter therefore stays exactly 0 and its moments stay 0.
// NDRange (C, P); inactive models skip.

#pragma OPENCL FP_CONTRACT OFF

__kernel void adam_step(const int C, const float wd, const float beta1, const float beta2,
                        const float eps, const float bc1, const float bc2,
                        __global const float* lr, __global const uint* active,
                        __global const float* mask, __global const float* grad,
                        __global float* param, __global float* m1, __global float* m2)
{
    const int c = get_global_id(0);
    const int p = get_global_id(1);
    if (c >= C || active[p] == 0) return;
    const size_t e = (size_t)p * C + c;
    const float mk = mask[e];
    const float w = param[e];
    const float g = (grad[e] + wd * w) * mk;
    const float a = beta1 * m1[e] + (1.0f - beta1) * g;
    const float v = beta2 * m2[e] + (1.0f - beta2) * g * g;
    m1[e] = a;
    m2[e] = v;
    param[e] = (w - (lr[p] / bc1) * a / (sqrt(v) / sqrt(bc2) + eps)) * mk;
}

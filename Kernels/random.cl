// random.cl — Philox-4x32-10 counter-based random numbers (Salmon et al., SC 2011).
//
// Bit-identical to SculptCore/Philox.swift: every random number is philox(key, counter) with the key
// made from (model seed, purpose) on the host and the counter from the number's position, so a model's
// numbers do not depend on the population it is in. No kernels here: helpers for the other families.
//
// normal_pair: Box–Muller on two uniforms in (0,1], with mathfn.cl's log and sin/cos of 2πu (the same
// numbers on every device); they and the host's libm differ by an ulp or two, so device noise matches
// the reference to ~1e-6, not bit for bit.

#pragma OPENCL FP_CONTRACT OFF

inline uint4 philox4x32_10(uint4 c, uint2 k) {
    for (int r = 0; r < 10; ++r) {
        const ulong p0 = (ulong)0xD2511F53u * (ulong)c.x;
        const ulong p1 = (ulong)0xCD9E8D57u * (ulong)c.z;
        const uint y0 = (uint)(p1 >> 32) ^ c.y ^ k.x;
        const uint y1 = (uint)p1;
        const uint y2 = (uint)(p0 >> 32) ^ c.w ^ k.y;
        const uint y3 = (uint)p0;
        c = (uint4)(y0, y1, y2, y3);
        k.x += 0x9E3779B9u;
        k.y += 0xBB67AE85u;
    }
    return c;
}

inline float philox_unit(uint u) {
    return ((float)(u >> 8) + 1.0f) * (1.0f / 16777216.0f);
}

inline float2 normal_pair(uint a, uint b) {
    const float u1 = philox_unit(a);
    const float u2 = philox_unit(b);
    const float r = sqrt(-2.0f * sc_log(u1));
    float c;
    const float s = sc_sincos2pi(u2, &c);
    return (float2)(r * c, r * s);
}

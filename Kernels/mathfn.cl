// mathfn.cl — exp, log, log1p, and the sine and cosine of 2πu, written out in float arithmetic.
//
// Why not the OpenCL built-ins: their rounding is the driver's, and a vector built-in may round
// differently from the scalar one. The per-layer kernels are scalar (one element per work-item) and
// the fused kernel keeps one model per vector lane; for their numbers to agree bit for bit, the fused
// kernel used to call the scalar built-ins one lane at a time, which cost it most of its speed. These
// functions are plain arithmetic and `select`, so the scalar and the vector instances round alike
// (FP_CONTRACT is off: no fused multiply-adds on any device) and vectorise. Accuracy: within 2 ulp of
// the exact value over their documented ranges (log1p 3 ulp) (Tests/TrainingTests/MathFunctionTests.swift).
//
//   sc_exp(x)      every float; results below 2^−149 are 0, above FLT_MAX +inf, NaN stays NaN
//   sc_log(x)      x > 0 (subnormals too); 0 → −inf, x < 0 → NaN, +inf → +inf
//   sc_log1p(x)    x > −1, accurate near 0 (log(1 + x) scaled by x / ((1 + x) − 1))
//   sc_sincos2pi   sin(2πu), cos(2πu) for |u| ≤ 2^20, reduced by quarter turns exactly (u − q/4)
//
// SC_MATH(T, I, SUF, AS_I, AS_F, TO_I, TO_F) defines the four for float type T with integer type I
// of the same shape; this file instantiates the scalar ones (suffix none) and fused.cl its vector ones.
// A comparison yields 1 for scalars and −1 for vectors; `select` takes either as true.

#pragma OPENCL FP_CONTRACT OFF

#define SC_MATH(T, I, SUF, AS_I, AS_F, TO_I, TO_F)                                                  \
    inline T sc_exp##SUF(T x) {                                                                     \
        /* x = k·ln2 + r, |r| ≤ ln2/2; ln2 split so that k·hi is exact for |k| ≤ 2^15. */           \
        const T xc = clamp(x, -104.0f, 89.0f);                                                      \
        const T k = rint(xc * 1.44269504f);                                                         \
        const T r = (xc - k * 0.693359375f) - k * -2.12194440e-4f;                                  \
        T q = r * (1.0f / 5040.0f) + (1.0f / 720.0f);                                               \
        q = q * r + (1.0f / 120.0f);                                                                \
        q = q * r + (1.0f / 24.0f);                                                                 \
        q = q * r + (1.0f / 6.0f);                                                                  \
        q = q * r + 0.5f;                                                                           \
        const T er = 1.0f + (r + r * r * q);                                                        \
        /* 2^k in two normal factors, so that k down to −150 rounds once, into a subnormal. */      \
        const I ki = TO_I(k), k1 = ki >> 1, k2 = ki - k1;                                           \
        const T y = er * AS_F((k1 + 127) << 23) * AS_F((k2 + 127) << 23);                           \
        return select(y, x, isnan(x));                                                              \
    }                                                                                               \
    inline T sc_log##SUF(T x) {                                                                     \
        /* x = 2^e·m with m in [√½, √2); log m = 2·atanh(s), s = f/(2 + f), f = m − 1. */            \
        const I sub = x < 1.17549435e-38f;                                                          \
        const I bits = AS_I(select(x, x * 16777216.0f, sub));                                       \
        T m = AS_F((bits & 0x007fffff) | 0x3f800000);                                               \
        const I big = m > 1.41421356f;                                                              \
        m = select(m, m * 0.5f, big);                                                               \
        const I e = ((bits >> 23) & 0xff) - select((I)127, (I)151, sub) + select((I)0, (I)1, big);  \
        const T f = m - 1.0f;                                                                       \
        const T s = f / (2.0f + f);                                                                 \
        const T z = s * s;                                                                          \
        const T R = z * (0.666666667f + z * (0.4f + z * (0.285714286f + z * 0.222222222f)));       \
        const T ef = TO_F(e);                                                                       \
        T y = ef * 0.693359375f + ((f - s * (f - R)) + ef * -2.12194440e-4f);                       \
        y = select(y, (T)(-INFINITY), x == 0.0f);                                                   \
        y = select(y, x, isinf(x) | isnan(x));                                                      \
        return select(y, (T)(NAN), x < 0.0f);                                                       \
    }                                                                                               \
    inline T sc_log1p##SUF(T x) {                                                                   \
        const T u = 1.0f + x;                                                                       \
        const T y = sc_log##SUF(u) * (x / (u - 1.0f));                                              \
        return select(select(y, x, u == 1.0f), u, isinf(u));                                        \
    }                                                                                               \
    inline T sc_sincos2pi##SUF(T u, T* cosine) {                                                    \
        const T q = rint(4.0f * u);                                                                 \
        const T a = (u - 0.25f * q) * 6.28318531f; /* |a| ≤ π/4 */                                  \
        const T a2 = a * a;                                                                         \
        T sp = a2 * (-1.0f / 39916800.0f) + (1.0f / 362880.0f);                                     \
        sp = sp * a2 + (-1.0f / 5040.0f);                                                           \
        sp = sp * a2 + (1.0f / 120.0f);                                                             \
        sp = sp * a2 + (-1.0f / 6.0f);                                                              \
        const T sn = a + a * a2 * sp;                                                               \
        T cp = a2 * (-1.0f / 3628800.0f) + (1.0f / 40320.0f);                                       \
        cp = cp * a2 + (-1.0f / 720.0f);                                                            \
        cp = cp * a2 + (1.0f / 24.0f);                                                              \
        const T cs = 1.0f - (0.5f * a2 - a2 * a2 * cp);                                             \
        /* Quarter turn qi: (sin, cos) = (sn, cs), (cs, −sn), (−sn, −cs), (−cs, sn). */             \
        const I qi = TO_I(q) & 3;                                                                   \
        const I swap = (qi & 1) != 0;                                                               \
        const T s0 = select(sn, cs, swap), c0 = select(cs, sn, swap);                               \
        *cosine = select(c0, -c0, ((qi + 1) & 2) != 0);                                             \
        return select(s0, -s0, (qi & 2) != 0);                                                      \
    }

SC_MATH(float, int, , as_int, as_float, convert_int, convert_float)

// The functions on an array, for tests: op 0 exp, 1 log, 2 log1p, 3 sin(2πx), 4 cos(2πx). NDRange (n).
__kernel void math_eval(const int op, const int n, __global const float* x, __global float* y)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float v = x[i];
    float c = 0.0f;
    const float s = op >= 3 ? sc_sincos2pi(v, &c) : 0.0f;
    y[i] = op == 0 ? sc_exp(v) : op == 1 ? sc_log(v) : op == 2 ? sc_log1p(v) : op == 3 ? s : c;
}

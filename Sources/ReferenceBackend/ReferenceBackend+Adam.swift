import SculptCore

// The adam.cl family (see Kernels/adam.cl for shapes, layout and guards).
extension ReferenceBackend {

    public func adamStep(
        P: Int, C: Int, wd: Float, beta1: Float, beta2: Float, eps: Float, bc1: Float, bc2: Float,
        lr: Floats, active: UInts, mask: Floats, grad: Floats, param: Floats, m1: Floats, m2: Floats
    ) throws {
        for p in 0..<P where active.a[p] != 0 {
            for c in 0..<C {
                let e = p * C + c
                let mk = Double(mask.a[e]), w = Double(param.a[e])
                let g = (Double(grad.a[e]) + Double(wd) * w) * mk
                let a = Double(beta1) * Double(m1.a[e]) + (1 - Double(beta1)) * g
                let v = Double(beta2) * Double(m2.a[e]) + (1 - Double(beta2)) * g * g
                m1.a[e] = Float(a)
                m2.a[e] = Float(v)
                param.a[e] = Float((w - Double(lr.a[p]) / Double(bc1) * a / (v.squareRoot() / Double(bc2).squareRoot() + Double(eps))) * mk)
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
